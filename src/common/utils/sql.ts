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
 * Counts the rows of a `select … from … where …` (without order or limit), stopping at COUNT_CAP + 1:
 * feed the result to `cappedTotal`.
 */
export function cappedCountSql(select: string, cap: number): string {
  return `select count(*)::int as n from (${select} limit ${cap + 1}) capped`;
}
