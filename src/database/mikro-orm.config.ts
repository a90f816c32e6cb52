import { join } from 'node:path';

import { defineConfig, FlushMode, LoadStrategy, type Options } from '@mikro-orm/postgresql';

import { projectRoot } from '../common/utils/project-root.js';
import { AuditSubscriber } from '../modules/audit/audit.subscriber.js';
import { PostgreSqlDriver } from './crm-driver.js';
import { ENTITIES } from './entities.js';
import { contextEntityManager } from './orm-context.js';

/** True when running TypeScript sources directly (jest), where migrations are read from migrations/*.ts. */
const runningTs = import.meta.url.endsWith('.ts');

const MIGRATIONS_JS = join(projectRoot(), 'dist', 'migrations');
const MIGRATIONS_TS = join(projectRoot(), 'migrations');

/** Where the migrations are read from (dist/migrations, or migrations/*.ts under jest), and their table. */
export const MIGRATIONS = {
  tableName: 'mikro_orm_migrations',
  path: runningTs ? MIGRATIONS_TS : MIGRATIONS_JS,
};

export function createOrmConfig(clientUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    // PostgreSQL, with schema diffs that leave the custom fields' indexes alone (crm-driver.ts).
    driver: PostgreSqlDriver,
    entities: ENTITIES,
    subscribers: [new AuditSubscriber()],
    // No `extensions: [Migrator]`: `orm.getMigrator()` loads @mikro-orm/migrations when first asked, so a start
    // with nothing to migrate never loads it (migrate.ts).
    discovery: { warnWhenNoEntities: false },
    preferTs: runningTs,
    forceUtcTimezone: true,
    allowGlobalContext: false,
    context: contextEntityManager,
    // Write only on an explicit flush or commit, never as a side effect of a query: a half-built record must
    // not reach the database before its checks have passed.
    flushMode: FlushMode.COMMIT,
    // Relations load in one extra query per relation (where id in …), never as joins inside a paged query:
    // joining a to-many relation forces PostgreSQL to page over a grouped subquery (~60 ms on 10k rows).
    loadStrategy: LoadStrategy.SELECT_IN,
    pool: { min: 0, max: 10 },
    driverOptions: { connection: connectionOptions(clientUrl) },
    // Not entities, so schema diffs must leave them alone: admin_sessions is kept by connect-pg-simple,
    // sign_in_throttle (UNLOGGED) by SignInThrottleStorage; both are created by migrations.
    schemaGenerator: { skipTables: ['admin_sessions', 'sign_in_throttle'] },
    migrations: {
      tableName: MIGRATIONS.tableName,
      path: MIGRATIONS_JS,
      pathTs: MIGRATIONS_TS,
      glob: '!(*.d).{js,ts}',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      silent: true,
    },
    ...overrides,
  });
}

/**
 * Per-connection settings. JIT compilation is off: it costs ~75 ms on large counts and brings nothing to
 * this workload. `sslmode` in DATABASE_URL (managed PostgreSQL) is honoured: MikroORM reads only host,
 * port, user, password and database from the URL.
 */
function connectionOptions(clientUrl: string): Record<string, unknown> {
  const options: Record<string, unknown> = { options: '-c jit=off' };
  const sslmode = URL.canParse(clientUrl) ? new URL(clientUrl).searchParams.get('sslmode') : null;
  if (sslmode === 'require' || sslmode === 'prefer' || sslmode === 'no-verify')
    options.ssl = { rejectUnauthorized: false };
  if (sslmode === 'verify-ca' || sslmode === 'verify-full') options.ssl = { rejectUnauthorized: true };
  return options;
}
