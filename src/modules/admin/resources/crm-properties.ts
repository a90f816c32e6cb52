import { type Dictionary, type EntityProperty, type FilterQuery, ReferenceKind } from '@mikro-orm/core';
import { BaseProperty, type PropertyType } from 'adminjs';

import { isDayColumn } from './admin-validation.js';

/**
 * A property that is not a column as such: computed for display (a contact's full name), filtered and
 * sorted through SQL the resource defines.
 */
export interface VirtualProperty {
  path: string;
  type: PropertyType;
  value?: (entity: Dictionary) => unknown;
  where?: (value: string) => FilterQuery<Dictionary>;
  orderBy?: (direction: 'asc' | 'desc') => Partial<Dictionary<'asc' | 'desc'>>[];
}

/** A column as @adminjs/mikroorm describes it (its Property class, which the package does not export by name). */
export type AdapterProperty = BaseProperty & {
  getColumnMetadata(): EntityProperty;
  isEditable(): boolean;
  isEnum(): boolean;
  availableValues(): string[] | null;
};

/**
 * The adapter's column property, completed where it has no answer: many-to-many collections are arrays of
 * references, uuid columns are ids, JSON is "mixed", and unknown types are text (the adapter would warn on
 * every page otherwise).
 */
export class ColumnProperty extends BaseProperty {
  constructor(private readonly inner: AdapterProperty) {
    super({ path: inner.path(), isId: inner.isId() });
  }

  getColumnMetadata(): EntityProperty {
    return this.inner.getColumnMetadata();
  }

  override type(): PropertyType {
    const column = this.getColumnMetadata();
    if (column.kind === ReferenceKind.MANY_TO_MANY || column.kind === ReferenceKind.MANY_TO_ONE)
      return 'reference';
    if (column.type === 'uuid') return 'uuid';
    if (column.type === 'json') return 'mixed';
    if (isDayColumn(column)) return 'date';
    if (column.runtimeType === 'Date') return 'datetime';
    if (column.runtimeType === 'boolean') return 'boolean';
    if (column.runtimeType === 'number') return 'number';
    if (column.enum) return 'string';
    return column.columnTypes?.[0] === 'text' ? 'textarea' : 'string';
  }

  override reference(): string | null {
    const column = this.getColumnMetadata();
    return column.kind === ReferenceKind.MANY_TO_MANY
      ? (column.targetMeta?.className ?? null)
      : this.inner.reference();
  }

  override isArray(): boolean {
    return this.getColumnMetadata().kind === ReferenceKind.MANY_TO_MANY;
  }

  override isEditable(): boolean {
    return this.inner.isEditable();
  }

  override isRequired(): boolean {
    const column = this.getColumnMetadata();
    return (
      !column.nullable &&
      column.kind !== ReferenceKind.MANY_TO_MANY &&
      column.default === undefined &&
      column.defaultRaw === undefined &&
      !column.primary &&
      !column.version
    );
  }

  override isSortable(): boolean {
    return this.getColumnMetadata().kind === ReferenceKind.SCALAR && this.type() !== 'mixed';
  }

  override availableValues(): string[] | null {
    return this.inner.availableValues();
  }

  /** Enum columns (`@Enum`, a PostgreSQL enum or a checked text): filtered by equality, never `ILIKE`. */
  isEnum(): boolean {
    return this.availableValues() !== null;
  }

  override position(): number {
    return this.inner.position();
  }
}

export class VirtualAdminProperty extends BaseProperty {
  constructor(readonly virtual: VirtualProperty) {
    super({ path: virtual.path, type: virtual.type, isSortable: !!virtual.orderBy });
  }
}
