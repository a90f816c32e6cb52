// Runs once per `jest` run, outside jest's module system (plain ESM over the built dist/, which
// `npm test` builds first): a PostgreSQL server and a migrated template database. Each test file clones
// the template into its own throwaway database, so files run in parallel without seeing each other's rows.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EmbeddedPostgres } from '../../dist/src/database/embedded-postgres.js';
import { migrate } from '../../dist/src/database/migrate.js';
import { createDatabase, THROWAWAY_PREFIX } from '../../dist/src/database/throwaway-database.js';

export default async function globalSetup() {
  // AdminJS reads these when it loads (STACK.md): its production front-end bundles, and no bundling of its
  // own (the app serves the bundle `npm run build` made; the back office tests check it is there).
  process.env.NODE_ENV = 'production';
  process.env.ADMIN_JS_SKIP_BUNDLE = 'true';
  const state = {};
  globalThis.__VCRM_TEST_RUN__ = state;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    state.tmpDir = await mkdtemp(join(tmpdir(), 'vcrm-test-'));
    await chmod(state.tmpDir, 0o755);
    // Two jest workers, each file with one or two app instances (ORM pool, session pool, listeners) and its own
    // clients: more connections than PostgreSQL's default 100 at the busiest moments.
    state.embedded = new EmbeddedPostgres({
      dir: join(state.tmpDir, 'postgres'),
      database: 'postgres',
      settings: { max_connections: '300' },
    });
    await state.embedded.start();
    serverUrl = state.embedded.urlFor('postgres');
  }
  const runPrefix = `${THROWAWAY_PREFIX}${Date.now().toString(36)}${randomBytes(3).toString('hex')}_`;
  const template = `${runPrefix}template`;
  await migrate(await createDatabase(serverUrl, template), 'up');
  process.env.VCRM_TEST_SERVER_URL = serverUrl;
  process.env.VCRM_TEST_RUN_PREFIX = runPrefix;
  process.env.VCRM_TEST_TEMPLATE = template;
}
