import { Resource as OrmAdapterResource } from '@adminjs/mikroorm';
import {
  type Dictionary,
  type EntityClass,
  type EntityMetadata,
  type EntityProperty,
  type EntityManager,
  type FilterQuery,
  type MikroORM,
  ReferenceKind,
  wrap,
} from '@mikro-orm/core';
import {
  type ActionContext,
  BaseProperty,
  BaseRecord,
  BaseResource,
  type Filter,
  NotFoundError,
  type ParamsType,
  type PropertyType,
} from 'adminjs';
import { isUUID } from 'class-validator';

import { Role, roleAtLeast } from '../../../common/auth/role.js';
import { escapeLike } from '../../../common/utils/sql.js';
import { User } from '../../users/user.entity.js';
import { type AdminUser, adminUser } from '../admin-access.js';
import { staleVersionError, toAdminError } from './admin-errors.js';
import { flatParams } from './flat-params.js';

/** The list filter that shows soft-deleted records (managers and admins only). */
export const DELETED_FILTER = 'deletedRecords';

/**
 * A property that is not a column as such: computed for display (a contact's full name), filtered and
 * sorted through SQL the resource defines. Custom fields will arrive the same way: one function per
 * resource that returns these from the definitions at run time (see `dynamicProperties`).
 */
export interface VirtualProperty {
  path: string;
  type: PropertyType;
  /** Pages the property is added to (after the resource's own properties); none: only where listed. */
  on?: ('list' | 'show' | 'edit' | 'filter')[];
  value?: (entity: Dictionary) => unknown;
  where?: (value: string) => FilterQuery<Dictionary>;
  orderBy?: (direction: 'asc' | 'desc') => Partial<Dictionary<'asc' | 'desc'>>[];
}

/** Creates/updates records a different way than field assignment (users: through UsersService). */
export interface RecordWriter {
  create(params: Dictionary, context?: ActionContext): Promise<Dictionary>;
  update(id: string, params: Dictionary, context?: ActionContext): Promise<Dictionary>;
}

export interface CrmResourceConfig {
  /** deletedAt/deletedBy: delete is a soft delete; lists hide deleted rows unless the filter asks. */
  softDelete?: boolean;
  /** Many-to-many collections loaded with every record (tags). */
  populate?: string[];
  virtual?: VirtualProperty[];
  /** Extra scope by user (managers see only their own API tokens). */
  scope?: (context?: ActionContext) => FilterQuery<Dictionary> | undefined;
  /** What other resources' pages learn about a record they refer to (a contact's owner): these params only. */
  referenceParams?: string[];
  writer?: RecordWriter;
  /** Rules that go with a write (an opportunity's stage history); `previous` is the row before an update. */
  beforeFlush?: (
    em: EntityManager,
    row: Dictionary,
    previous: Dictionary | undefined,
    user?: AdminUser,
  ) => void;
  /** Default order when the list does not ask for one. */
  defaultOrder?: Dictionary<'asc' | 'desc'>;
}

type Row = Dictionary;

/** A column as @adminjs/mikroorm describes it (its Property class, which the package does not export by name). */
type AdapterProperty = BaseProperty & {
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
class ColumnProperty extends BaseProperty {
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
    if (column.type === 'date') return 'date';
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

  isEnum(): boolean {
    return this.inner.isEnum();
  }

  override position(): number {
    return this.inner.position();
  }
}

class VirtualAdminProperty extends BaseProperty {
  constructor(readonly virtual: VirtualProperty) {
    super({ path: virtual.path, type: virtual.type, isSortable: !!virtual.orderBy });
  }
}

/**
 * The MikroORM adapter of @adminjs/mikroorm, made fit for this app:
 * - every call works on a fork of the request's EntityManager (the admin router opens a RequestContext);
 * - credential columns (`hidden: true` in the entity) are not properties at all, so no action can show or set them;
 * - text filters are case-insensitive `ILIKE` with escaped input; bad ids find nothing instead of erroring;
 * - soft-deletable records are hidden from lists unless a manager asks, and delete is the soft delete;
 * - a save with an older `version` is refused (also when someone saves between read and write);
 * - database refusals become field errors in the form instead of being logged and ignored.
 */
export class CrmResource extends BaseResource {
  private readonly adapter: OrmAdapterResource;
  private readonly metadata: EntityMetadata;
  private readonly columns = new Map<string, ColumnProperty>();
  private readonly virtuals = new Map<string, VirtualAdminProperty>();

  constructor(
    private readonly orm: MikroORM,
    readonly model: EntityClass<unknown>,
    private readonly config: CrmResourceConfig = {},
  ) {
    super(model);
    this.adapter = new OrmAdapterResource({ orm, model: model });
    this.metadata = orm.getMetadata().get(model.name);
    for (const prop of this.adapter.properties() as unknown as AdapterProperty[]) {
      if (!prop.getColumnMetadata().hidden) this.columns.set(prop.path(), new ColumnProperty(prop));
    }
    for (const v of config.virtual ?? []) this.virtuals.set(v.path, new VirtualAdminProperty(v));
  }

  override databaseName(): string {
    return this.adapter.databaseName();
  }

  override databaseType(): string {
    return this.adapter.databaseType();
  }

  override id(): string {
    return this.metadata.className;
  }

  override properties(): BaseProperty[] {
    return [...this.columns.values(), ...this.virtuals.values()];
  }

  override property(path: string): BaseProperty | null {
    return this.virtuals.get(path) ?? this.columns.get(path) ?? null;
  }

  override build(params: ParamsType): BaseRecord {
    return new BaseRecord(flatParams.unflatten(params), this);
  }

  /** The ORM metadata of a visible column, or undefined (hidden credential columns are never returned). */
  column(path: string): EntityProperty | undefined {
    return this.columns.get(path)?.getColumnMetadata();
  }

  get isSoftDeletable(): boolean {
    return !!this.config.softDelete;
  }

  override async count(filter: Filter, context?: ActionContext): Promise<number> {
    return this.em().count(this.model, this.where(filter, context));
  }

  override async find(
    filter: Filter,
    params: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } },
    context?: ActionContext,
  ): Promise<BaseRecord[]> {
    const { limit = 10, offset = 0, sort = {} } = params;
    const rows = await this.em().find(this.model, this.where(filter, context), {
      populate: (this.config.populate ?? []) as never[],
      orderBy: this.orderBy(sort.sortBy, sort.direction === 'desc' ? 'desc' : 'asc'),
      limit,
      offset,
    });
    return rows.map((row) => this.record(row as Row));
  }

  override async findOne(id: string, context?: ActionContext): Promise<BaseRecord | null> {
    if (!isUUID(String(id))) return null;
    const where: Dictionary = { id };
    if (this.isSoftDeletable && !this.mayIncludeDeleted(context)) where.deletedAt = null;
    const scope = this.config.scope?.(context);
    const row = await this.em().findOne(this.model, scope ? { $and: [where, scope] } : where, {
      populate: (this.config.populate ?? []) as never[],
    });
    return row ? this.record(row) : null;
  }

  /** Records shown as references (an opportunity's contact): deleted ones too, so the link still names them. */
  override async findMany(ids: (string | number)[]): Promise<BaseRecord[]> {
    const valid = ids.map(String).filter((id) => isUUID(id));
    if (valid.length === 0) return [];
    const rows = await this.em().find(this.model, { id: { $in: valid } });
    return rows.map((row) => this.reference(row as Row));
  }

  /** A record as a reference: only `referenceParams` when the resource names them. */
  reference(row: Row): BaseRecord {
    const keep = this.config.referenceParams;
    if (!keep) return this.record(row);
    const params = this.params(row);
    return new BaseRecord(Object.fromEntries(keep.map((k) => [k, params[k]])), this);
  }

  override async create(params: ParamsType, context?: ActionContext): Promise<ParamsType> {
    try {
      if (this.config.writer) return await this.config.writer.create(this.entityData(params), context);
      const em = this.em();
      const row = em.create(this.model, this.entityData(params) as never) as Row;
      this.config.beforeFlush?.(em, row, undefined, context && adminUser(context));
      await em.flush();
      return this.params(row);
    } catch (err) {
      throw toAdminError(err);
    }
  }

  override async update(id: string, params: ParamsType = {}, context?: ActionContext): Promise<ParamsType> {
    try {
      const data = this.entityData(params);
      if (this.config.writer) return await this.config.writer.update(id, data, context);
      const em = this.em();
      const row = await this.load(em, id, 'update');
      const sent = params.version as unknown;
      if (this.isVersioned && sent !== undefined && sent !== null && sent !== '') {
        // The form carries the version it was loaded with; a newer one means someone else saved meanwhile.
        if (Number(sent) !== row.version)
          throw staleVersionError(this.id(), Number(row.version), Number(sent));
      }
      const previous = { ...row };
      em.assign(row, data as never);
      this.config.beforeFlush?.(em, row, previous, context && adminUser(context));
      await em.flush();
      return this.params(row);
    } catch (err) {
      throw toAdminError(err, this.id());
    }
  }

  /** Soft delete where the entity has deletedAt; otherwise a real delete (the database refuses referenced rows). */
  override async delete(id: string, context?: ActionContext): Promise<void> {
    try {
      const em = this.em();
      const row = (await em.findOne(this.model, { id })) as Row | null;
      if (!row) throw new NotFoundError(`${this.id()} ${id} not found`, 'delete');
      if (this.isSoftDeletable) {
        if (row.deletedAt) return;
        const user = context ? adminUser(context) : undefined;
        row.deletedAt = new Date();
        row.deletedBy = user ? em.getReference(User, user.id, { wrapped: true }) : null;
      } else {
        em.remove(row);
      }
      await em.flush();
    } catch (err) {
      throw toAdminError(err, this.id());
    }
  }

  async restore(id: string): Promise<BaseRecord> {
    const em = this.em();
    const row = await this.load(em, id, 'restore');
    if (row.deletedAt) {
      row.deletedAt = null;
      row.deletedBy = null;
      await em.flush().catch((err: unknown) => {
        throw toAdminError(err, this.id());
      });
    }
    return this.record(row);
  }

  /** One row by id, with the resource's collections, for a write; AdminJS's 404 otherwise. */
  private async load(em: EntityManager, id: string, action: string): Promise<Row> {
    const populate = (this.config.populate ?? []) as never[];
    const row = (await em.findOne(this.model, { id }, { populate })) as Row | null;
    if (!row) throw new NotFoundError(`${this.id()} ${id} not found`, action);
    return row;
  }

  /** A fresh fork of the request's EntityManager (MikroORM's RequestContext, opened by the admin router). */
  em(): EntityManager {
    return this.orm.em.fork();
  }

  private get isVersioned(): boolean {
    return !!this.metadata.versionProperty;
  }

  private mayIncludeDeleted(context?: ActionContext): boolean {
    const user = context ? adminUser(context) : undefined;
    return !!user && roleAtLeast(user.role, Role.Manager);
  }

  private where(filter: Filter | undefined, context?: ActionContext): FilterQuery<unknown> {
    const and: Dictionary[] = [];
    let deleted: string | undefined;
    for (const { path, value } of Object.values(filter?.filters ?? {}) as {
      path: string;
      value: unknown;
    }[]) {
      if (path === DELETED_FILTER) {
        deleted = String(value);
        continue;
      }
      const condition = this.condition(path, value);
      if (condition) and.push(condition);
    }
    if (this.isSoftDeletable) {
      const may = this.mayIncludeDeleted(context);
      if (may && deleted === 'only') and.push({ deletedAt: { $ne: null } });
      else if (!(may && deleted === 'include')) and.push({ deletedAt: null });
    }
    const scope = this.config.scope?.(context);
    if (scope) and.push(scope);
    return and.length === 0 ? {} : and.length === 1 ? and[0] : { $and: and };
  }

  /** One list filter as a condition; values that cannot match (a bad id, a non-number) match nothing. */
  private condition(path: string, value: unknown): Dictionary | undefined {
    const virtual = this.virtuals.get(path)?.virtual;
    if (virtual) return virtual.where && typeof value === 'string' ? virtual.where(value) : undefined;
    const prop = this.columns.get(path);
    if (!prop || prop.getColumnMetadata().hidden) return undefined;
    const column = prop.getColumnMetadata();
    const nothing = { id: null };
    const isUuid = column.type === 'uuid' || column.columnTypes?.[0] === 'uuid';
    if (column.kind === ReferenceKind.MANY_TO_ONE || column.kind === ReferenceKind.MANY_TO_MANY || isUuid) {
      return isUUID(String(value)) ? { [path]: String(value) } : nothing;
    }
    if (typeof value === 'object' && value !== null) {
      const { from, to } = value as { from?: string; to?: string };
      const range: Dictionary = {};
      const date = column.type === 'date' ? (v: string) => v.slice(0, 10) : (v: string) => new Date(v);
      if (from && !Number.isNaN(Date.parse(from))) range.$gte = date(from);
      if (to && !Number.isNaN(Date.parse(to))) range.$lte = date(to);
      return Object.keys(range).length > 0 ? { [path]: range } : undefined;
    }
    const text = String(value);
    if (prop.isEnum()) return prop.availableValues()?.includes(text) ? { [path]: text } : nothing;
    if (column.runtimeType === 'boolean') return { [path]: text === 'true' };
    if (column.runtimeType === 'number') {
      return text.trim() !== '' && Number.isFinite(Number(text)) ? { [path]: Number(text) } : nothing;
    }
    if (column.runtimeType === 'string') return { [path]: { $ilike: `%${escapeLike(text)}%` } };
    return undefined;
  }

  private orderBy(
    sortBy: string | undefined,
    direction: 'asc' | 'desc',
  ): Partial<Dictionary<'asc' | 'desc'>>[] {
    const virtual = sortBy ? this.virtuals.get(sortBy)?.virtual : undefined;
    if (virtual?.orderBy) return [...virtual.orderBy(direction), { id: direction }];
    const prop = sortBy ? this.columns.get(sortBy) : null;
    if (prop && prop.isSortable() && prop.getColumnMetadata().kind === ReferenceKind.SCALAR) {
      return [{ [sortBy!]: direction }, { id: direction }];
    }
    return [this.config.defaultOrder ?? { createdAt: 'desc' }, { id: 'desc' }];
  }

  /** Form params as entity data: only editable, existing columns; relations by id; nothing hidden. */
  private entityData(params: ParamsType): Dictionary {
    const nested = flatParams.unflatten(params);
    const writable = new Set(
      this.decorate()
        .getProperties({ where: 'edit' })
        .map((p) => p.propertyPath.split('.')[0]),
    );
    const data: Dictionary = {};
    for (const [key, value] of Object.entries(nested)) {
      const prop = this.columns.get(key);
      const isColumn = !!prop && !prop.getColumnMetadata().hidden && prop.isEditable();
      if ((isColumn && writable.has(key)) || (this.config.writer && key === 'password')) data[key] = value;
    }
    return data;
  }

  private record(row: Row): BaseRecord {
    return new BaseRecord(this.params(row), this);
  }

  /** The params AdminJS sees: columns (never hidden ones), relations as ids, virtual values. */
  params(row: Row): Dictionary {
    const out: Dictionary = {};
    for (const prop of this.columns.values()) {
      const column = prop.getColumnMetadata();
      const value = row[column.name] as unknown;
      if (column.kind === ReferenceKind.MANY_TO_ONE || column.kind === ReferenceKind.ONE_TO_ONE) {
        out[column.name] = value ? (wrap(value, true).getPrimaryKey() as string) : null;
      } else if (column.kind === ReferenceKind.MANY_TO_MANY) {
        const items = value as { isInitialized(): boolean; getItems(): Row[] } | undefined;
        if (items?.isInitialized()) out[column.name] = items.getItems().map((i) => i.id as string);
      } else if (value !== undefined && !(column.lazy && !wrap(row, true).isInitialized())) {
        out[column.name] = value;
      }
    }
    for (const { virtual } of this.virtuals.values()) {
      if (virtual.value) out[virtual.path] = virtual.value(row);
    }
    return out;
  }
}
