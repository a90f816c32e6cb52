import { type Dictionary, type FilterQuery, raw, ReferenceKind } from '@mikro-orm/core';
import type { ActionContext, Filter } from 'adminjs';
import { isUUID } from 'class-validator';

import { Role, roleAtLeast } from '../../../common/auth/role.js';
import { AppError } from '../../../common/errors/index.js';
import { escapeLike } from '../../../common/utils/sql.js';
import { adminUser } from '../admin-access.js';
import { isDayColumn } from './admin-validation.js';
import type { ColumnProperty, VirtualAdminProperty } from './crm-properties.js';
import { type CrmResourceConfig, DELETED_FILTER } from './crm-config.js';

/**
 * What a back-office list, count or record page of one resource reads: its filters as conditions (enums by
 * equality, text case-insensitive with escaped input, bad ids matching nothing), the soft-delete, visibility,
 * hidden-by-default and scope rules, what a role may filter and sort on, and the order.
 */
export class CrmListQuery {
  constructor(
    private readonly resourceId: string,
    private readonly config: CrmResourceConfig,
    private readonly columns: Map<string, ColumnProperty>,
    private readonly virtuals: Map<string, VirtualAdminProperty>,
  ) {}

  /** The condition of a record page: its id, and the list's soft-delete, visibility and scope rules. */
  one(id: string, context?: ActionContext): FilterQuery<unknown> {
    const where: Dictionary = { id };
    if (this.config.softDelete && !this.mayIncludeDeleted(context)) where.deletedAt = null;
    if (this.config.visible) Object.assign(where, this.visibleWhere());
    const scope = this.config.scope?.(context);
    return scope ? { $and: [where, scope] } : where;
  }

  /** Refuses a filter or sort on a column the signed-in user may not see (config.restrict). */
  assertMayUse(path: string | undefined, context: ActionContext | undefined, what: string): void {
    const restrict = this.config.restrict;
    if (!restrict || path === undefined || path === DELETED_FILTER) return;
    const user = context ? adminUser(context) : undefined;
    if (user && roleAtLeast(user.role, restrict.below)) return;
    if (!restrict.paths.includes(path)) {
      throw new AppError(403, 'FORBIDDEN', `You may not ${what} ${this.resourceId} records by ${path}`);
    }
  }

  private visibleWhere(): Dictionary {
    const visible = this.config.visible;
    return visible ? { [raw((alias: string) => visible(alias))]: [] } : {};
  }

  private mayIncludeDeleted(context?: ActionContext): boolean {
    const user = context ? adminUser(context) : undefined;
    return !!user && roleAtLeast(user.role, Role.Manager);
  }

  where(filter: Filter | undefined, context?: ActionContext): FilterQuery<unknown> {
    const and: Dictionary[] = [];
    let deleted: string | undefined;
    const filters = Object.values(filter?.filters ?? {}) as { path: string; value: unknown }[];
    const hidden = this.config.hiddenByDefault;
    if (hidden && !filters.some((f) => hidden.unless.includes(f.path))) and.push(hidden.where);
    for (const { path, value } of filters) {
      if (path === DELETED_FILTER) {
        deleted = String(value);
        continue;
      }
      this.assertMayUse(path, context, 'filter');
      const condition = this.condition(path, value);
      if (condition) and.push(condition);
    }
    const may = this.mayIncludeDeleted(context);
    if (this.config.softDelete) {
      if (may && deleted === 'only') and.push({ deletedAt: { $ne: null } });
      else if (!(may && deleted === 'include')) and.push({ deletedAt: null });
    }
    if (this.config.visible && !(may && deleted === 'include')) and.push(this.visibleWhere());
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
      const date = isDayColumn(column) ? (v: string) => v.slice(0, 10) : (v: string) => new Date(v);
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

  orderBy(sortBy: string | undefined, direction: 'asc' | 'desc'): Partial<Dictionary<'asc' | 'desc'>>[] {
    const virtual = sortBy ? this.virtuals.get(sortBy)?.virtual : undefined;
    if (virtual?.orderBy) return [...virtual.orderBy(direction), { id: direction }];
    const prop = sortBy ? this.columns.get(sortBy) : null;
    if (prop && prop.isSortable() && prop.getColumnMetadata().kind === ReferenceKind.SCALAR) {
      // Ties in the default order (custom fields by type, then display order), then by id for stable pages.
      const ties = Object.entries(this.config.defaultOrder ?? {})
        .filter(([key]) => key !== sortBy)
        .map(([key, order]) => ({ [key]: order }));
      return [{ [sortBy!]: direction }, ...ties, { id: direction }];
    }
    return [this.config.defaultOrder ?? { createdAt: 'desc' }, { id: 'desc' }];
  }
}
