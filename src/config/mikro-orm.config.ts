import { join } from 'node:path';

import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';

import { projectRoot } from '../common/utils/project-root.js';
import { ENTITIES } from '../database/entities.js';

/** True when running TypeScript sources directly (jest), where migrations are read from migrations/*.ts. */
const runningTs = import.meta.url.endsWith('.ts');

export function createOrmConfig(clientUrl: string, overrides: Partial<Options> = {}): Options {
  const root = projectRoot();
  return defineConfig({
    clientUrl,
    entities: ENTITIES,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: false },
    preferTs: runningTs,
    forceUtcTimezone: true,
    allowGlobalContext: false,
    pool: { min: 0, max: 10 },
    // Kept by connect-pg-simple (migration admin_sessions), not an entity: schema diffs must leave it alone.
    schemaGenerator: { skipTables: ['admin_sessions'] },
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: join(root, 'dist', 'migrations'),
      pathTs: join(root, 'migrations'),
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
