import { readdirSync } from 'node:fs';

import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';

import { createOrmConfig, MIGRATIONS } from './mikro-orm.config.js';

/** Arbitrary but fixed: every instance of the app takes the same lock before migrating. */
const MIGRATION_LOCK_KEY = 7_301_955_114;

export class MigrationFailedError extends Error {
  override name = 'MigrationFailedError';
}

export type MigrationDirection = 'up' | 'down';

/**
 * Applies pending migrations (or reverts the last one) under a PostgreSQL advisory lock, so that two
 * instances starting at once never migrate together: the second waits, then finds nothing pending.
 * All pending migrations run in one transaction: a failure leaves the schema as it was. When none is pending
 * (every start but the first after an upgrade) the ORM and its migrator are not loaded at all.
 */
export async function migrate(
  databaseUrl: string,
  direction: MigrationDirection = 'up',
  log: (message: string) => void = () => undefined,
): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  let orm: MikroORM | undefined;
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    if (
      direction === 'up' &&
      (await pendingMigrations((sql) => lock.query<{ name: string }>(sql).then((r) => r.rows))).length === 0
    )
      return [];
    orm = await MikroORM.init(createOrmConfig(databaseUrl));
    const migrator = orm.getMigrator();
    let current = '';
    migrator.on(direction === 'up' ? 'migrating' : 'reverting', ({ name }) => {
      current = name;
      log(`${direction === 'up' ? 'Applying' : 'Reverting'} migration ${name}`);
    });
    try {
      const done = direction === 'up' ? await migrator.up() : await migrator.down();
      return done.map((m) => m.name);
    } catch (err) {
      const cause = err as Error & { cause?: Error };
      const reason = cause.cause?.message ?? cause.message;
      throw new MigrationFailedError(
        `Migration ${current || '(unknown)'} failed (${direction}); nothing was applied: ${reason}`,
        { cause: err },
      );
    }
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end();
    await orm?.close(true);
  }
}

let shipped: string[] | undefined;

/** The migrations this build ships, by name (the files MikroORM's migrator reads, without extension). */
export function shippedMigrations(): string[] {
  shipped ??= readdirSync(MIGRATIONS.path)
    .filter((file) => /\.(js|ts)$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => file.replace(/\.(js|ts)$/, ''))
    .sort();
  return shipped;
}

/**
 * Shipped migrations the database has not recorded as applied (all of them before the first), as the migrator
 * would list them, from one read of its table: loading the migrator costs most of a second.
 */
export async function pendingMigrations(
  query: (sql: string) => Promise<{ name: string }[]>,
): Promise<string[]> {
  const applied = await query(`select name from ${MIGRATIONS.tableName}`).then(
    (rows) => new Set(rows.map((row) => row.name)),
    (err: { code?: string }) => {
      if (err.code === '42P01') return new Set<string>();
      throw err;
    },
  );
  return shippedMigrations().filter((name) => !applied.has(name));
}
