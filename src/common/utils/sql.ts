import type { EntityManager } from '@mikro-orm/postgresql';
import { countLimit, CountMode, totalOf, type Total } from '../dto/paging.dto.js';

/** Escapes LIKE/ILIKE wildcards so user input matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * `?, ?, ?` for a raw `in (…)` list: MikroORM's `execute` binds one value per `?`, so an array cannot be
 * bound to a single placeholder. Never splice the values themselves into SQL.
 */
export function placeholders(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}

/**
 * The total of a `select … from … where …` (without order or limit) counted as `mode` asks: up to
 * COUNT_CAP + 1 rows, all of them, or no query at all (null).
 */
export async function countRows(
  em: EntityManager,
  select: string,
  params: readonly unknown[],
  mode: CountMode = CountMode.Capped,
): Promise<Total> {
  if (mode === CountMode.None) return null;
  const limit = countLimit(mode);
  const [count] = await em
    .getConnection()
    .execute<{ n: number }[]>(
      `select count(*)::int as n from (${select}${limit === undefined ? '' : ` limit ${limit}`}) counted`,
      [...params],
    );
  return totalOf(count.n, mode);
}

/**
 * The rows `select` (ending in its `from`, the table aliased `alias`) finds for `ids`, in the order of `ids`
 * (a page's order), in one query; ids without a row are left out.
 */
export async function rowsInOrder<T extends { id: string }>(
  em: EntityManager,
  select: string,
  alias: string,
  ids: readonly string[],
): Promise<T[]> {
  if (ids.length === 0) return [];
  const rows = await em
    .getConnection()
    .execute<T[]>(`${select} where ${alias}.id in (${placeholders(ids)})`, [...ids]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Conditions joined by `and`, with their bound values in placeholder order. */
export class SqlWhere {
  private readonly conditions: string[];
  readonly params: unknown[];

  constructor(initial: readonly { sql: string; params: readonly unknown[] }[] = []) {
    this.conditions = initial.map((c) => c.sql);
    this.params = initial.flatMap((c) => c.params);
  }

  add(sql: string, ...values: unknown[]): void {
    this.conditions.push(sql);
    this.params.push(...values);
  }

  /** `where a and b`, or nothing when there is no condition. */
  get clause(): string {
    return this.conditions.length > 0 ? `where ${this.conditions.join(' and ')}` : '';
  }
}

/**
 * The ids of one page of `table` (filtered by `where`, sorted by `order`, which must end in a unique column)
 * and the total counted as `paging.count` asks, both at once on two connections.
 */
export async function pageOfIds(
  em: EntityManager,
  table: string,
  where: SqlWhere,
  order: string,
  paging: { limit: number; offset: number; count?: CountMode },
): Promise<{ ids: string[]; total: Total }> {
  const [rows, total] = await Promise.all([
    em
      .getConnection()
      .execute<{ id: string }[]>(
        `select id from ${table} ${where.clause} order by ${order} limit ? offset ?`,
        [...where.params, paging.limit, paging.offset],
      ),
    countRows(em, `select 1 from ${table} ${where.clause}`, where.params, paging.count),
  ]);
  return { ids: rows.map((r) => r.id), total };
}
