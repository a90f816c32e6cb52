import { createHash } from 'node:crypto';

import { RequestContext as OrmRequestContext, TransactionContext } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';

import { RequestContext } from '../context/request-context.js';

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

/** A pg client as knex hands it out: enough to send a statement, named or not. */
interface PgClient {
  query(config: { name?: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

interface KnexClient {
  acquireConnection(): Promise<PgClient>;
  releaseConnection(connection: PgClient): Promise<unknown>;
}

/** Statement names by text (`?` or `$n` text: a hot statement is numbered and named once). */
const names = new Map<string, { name: string; text: string }>();
const MAX_TEXTS = 500;

function statement(key: string, numberedText: () => string): { name: string; text: string } {
  let found = names.get(key);
  if (!found) {
    const text = numberedText();
    found = { name: `vcrm_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`, text };
    if (names.size >= MAX_TEXTS) names.delete(names.keys().next().value!);
    names.set(key, found);
  }
  return found;
}

/**
 * The rows of `sql` sent as a named prepared statement on the connection of `em` (its transaction's, or one
 * lent by the pool): PostgreSQL parses and plans it once per connection and reuses the plan (plan_cache_mode
 * auto: custom plans for the first executions, then the generic plan when it is not costlier), where MikroORM's
 * `execute` sends each call as new text, planned again. For hot reads whose text does not vary with their
 * values (never a variable-length `in (?, ?, …)`), and whose best plan does not depend on them (a record by
 * id, rows by ids; not a search, whose plan depends on the term): each distinct text stays prepared on every
 * connection.
 */
export function preparedRows<T>(em: EntityManager, sql: string, params: readonly unknown[]): Promise<T[]> {
  return send<T>(
    em,
    statement(sql, () => numbered(sql)),
    params,
  );
}

/** preparedRows for a knex query: its text as knex numbers it (`$n`), its bindings as values. */
export function preparedQuery<T>(em: EntityManager, query: Knex.QueryBuilder): Promise<T[]> {
  return preparedNative<T>(em, query.toSQL().toNative());
}

/** preparedRows for a statement already numbered (`$n`, as knex's toNative makes it) and its values. */
export function preparedNative<T>(em: EntityManager, native: NativeStatement): Promise<T[]> {
  return send<T>(
    em,
    statement(native.sql, () => native.sql),
    native.bindings,
  );
}

/** A statement as knex's toNative makes it: text numbered `$n`, and its values. */
export interface NativeStatement {
  sql: string;
  bindings: readonly unknown[];
}

/** What a reused statement is built with where its varying value goes (see reusedStatement): never sent. */
const STAND_IN = '\u0000stand-in\u0000';
const reusedStatements = new Map<string, NativeStatement>();

/**
 * The statement `build` makes for `value` (a record's id, or a page's ids), built once per `shape` and then only given
 * the new value: building and printing a knex query costs the app 15–25 µs of CPU a time, warmed up (a contact page's
 * rows statement: 17 µs), which a hot read need not pay for a text that never changes. `shape` is the caller's name for
 * everything `build` depends on besides the value (which record kind, which lists, deleted records or not). `build`
 * gets a stand-in for the value (a text, or a list of one text) and must bind it as a value, never splice it.
 */
export function reusedStatement<T extends string | readonly string[]>(
  shape: string,
  value: T,
  build: (standIn: T) => NativeStatement,
): NativeStatement {
  let statement = reusedStatements.get(shape);
  if (!statement) {
    statement = build((typeof value === 'string' ? STAND_IN : [STAND_IN]) as T);
    if (statement.sql.includes(STAND_IN))
      throw new Error(`reusedStatement ${shape}: the value is in the text`);
    reusedStatements.set(shape, statement);
  }
  const bindings = statement.bindings.map((binding) =>
    binding === STAND_IN || (Array.isArray(binding) && binding.length === 1 && binding[0] === STAND_IN)
      ? value
      : binding,
  );
  return { sql: statement.sql, bindings };
}

/**
 * Runs a knex query: in the EntityManager's current transaction when there is one (a bare `await` of a knex
 * builder would take another connection), its values sent as parameters, errors mapped as MikroORM maps its own.
 * Sent unnamed: PostgreSQL plans it for its values each time, as MikroORM's `execute` would have it, without
 * `execute` writing the values into the text, knex reading that text again and sending it without parameters
 * (about a tenth of a short list's or search's CPU).
 */
export function runQuery<T extends object>(
  em: EntityManager,
  query: Knex.QueryBuilder | Knex.Raw,
): Promise<T[]> {
  const native = query.toSQL().toNative();
  return send<T>(em, { text: native.sql }, native.bindings);
}

async function send<T>(
  em: EntityManager,
  statement: { name?: string; text: string },
  params: readonly unknown[],
): Promise<T[]> {
  // A transaction's knex client lends its own connection; the root one lends a pooled connection.
  const knex = (transactionContextOf<object>(em) ?? em.getKnex()) as unknown as { client: KnexClient };
  const client = knex.client;
  const connection = await client.acquireConnection();
  try {
    const result = await connection.query({ ...statement, values: [...params] });
    return result.rows as T[];
  } catch (error) {
    // As MikroORM's own queries fail: a unique violation is a UniqueConstraintViolationException, and so on.
    throw em.getDriver().convertException(error as Error);
  } finally {
    await client.releaseConnection(connection);
  }
}

/**
 * The transaction `em` is in now (its driver's transaction context), found without making the request's fork: a
 * request that has not forked (orm-context.ts) has begun no transaction in it. For these plain queries, which need
 * the transaction's connection if there is one and never an identity map: making a fork costs a read that uses
 * nothing else of the ORM about a twentieth of its CPU.
 */
export function transactionContextOf<T>(em: EntityManager): T | undefined {
  if (!em.global) return em.getTransactionContext<T>();
  const current = TransactionContext.getEntityManager(em.name) ?? OrmRequestContext.getEntityManager(em.name);
  if (current) return current.getTransactionContext<T>();
  const entities = RequestContext.current()?.entities;
  if (entities?.root.name === em.name) return entities.fork?.getTransactionContext<T>();
  return em.getTransactionContext<T>();
}
