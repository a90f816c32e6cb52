import { createHash } from 'node:crypto';

import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * The `?` placeholders of `sql` (MikroORM's and knex's) numbered `$1…$n` for the extended protocol; those in
 * quoted strings, quoted identifiers and comments are text and stay. `??` (knex's identifier binding) and a
 * backslash-escaped `\?` have no meaning here: refused rather than guessed.
 */
export function numbered(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      out += sql.slice(i, end < 0 ? sql.length : end);
      i = end < 0 ? sql.length : end - 1;
    } else if (c === '?') {
      if (sql[i + 1] === '?' || sql[i - 1] === '\\')
        throw new Error(`numbered: "${sql.slice(i - 1, i + 2)}"`);
      out += `$${++n}`;
    } else out += c;
  }
  return out;
}

/** Where the string or identifier opened by `quote` at `start` closes (a doubled quote is part of it). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  for (;;) {
    const end = sql.indexOf(quote, i);
    if (end < 0) return sql.length - 1;
    if (sql[end + 1] !== quote) return end;
    i = end + 2;
  }
}

/** A pg client as knex hands it out: enough to send a named statement. */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<unknown>;
}

/** Statement texts already numbered, by their `?` text: a hot statement is converted once. */
const texts = new Map<string, { name: string; text: string }>();
const MAX_TEXTS = 500;

/**
 * The rows of `sql` sent as a named prepared statement on the connection of `em` (its transaction's, or one
 * lent by the pool): PostgreSQL parses and plans it once per connection and reuses the plan (plan_cache_mode
 * auto: custom plans for the first executions, then the generic plan when it is not costlier), where MikroORM's
 * `execute` sends each call as new text, planned again. For hot reads whose text does not vary with their
 * values (never a variable-length `in (?, ?, …)`): each distinct text stays prepared on every connection.
 */
export async function preparedRows<T>(
  em: EntityManager,
  sql: string,
  params: readonly unknown[],
): Promise<T[]> {
  let statement = texts.get(sql);
  if (!statement) {
    const text = numbered(sql);
    statement = { name: `vcrm_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
    if (texts.size >= MAX_TEXTS) texts.delete(texts.keys().next().value!);
    texts.set(sql, statement);
  }
  // A transaction's knex client lends its own connection; the root one lends a pooled connection.
  const knex = (em.getTransactionContext<object>() ?? em.getKnex()) as unknown as { client: KnexClient };
  const client = knex.client;
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query({ ...statement, values: [...params] });
    return result.rows as T[];
  } finally {
    await client.releaseConnection(connection);
  }
}
