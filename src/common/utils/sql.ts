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
