import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';

import { createOrmConfig } from './mikro-orm.config.js';

/** Arbitrary but fixed: every instance of the app takes the same lock before migrating. */
const MIGRATION_LOCK_KEY = 7_301_955_114;

export class MigrationFailedError extends Error {
  override name = 'MigrationFailedError';
}

export type MigrationDirection = 'up' | 'down';

/**
 * Applies pending migrations (or reverts the last one) under a PostgreSQL advisory lock, so that two
 * instances starting at once never migrate together: the second waits, then finds nothing pending.
 * All pending migrations run in one transaction: a failure leaves the schema as it was.
 */
export async function migrate(
  databaseUrl: string,
  direction: MigrationDirection = 'up',
  log: (message: string) => void = () => undefined,
): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  const orm = await MikroORM.init(createOrmConfig(databaseUrl));
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
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
    await orm.close(true);
  }
}

export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  return (await orm.getMigrator().getPendingMigrations()).map((m) => m.name);
}
