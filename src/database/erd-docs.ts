import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { projectRoot } from '../common/utils/project-root.js';
import { EmbeddedPostgres } from './embedded-postgres.js';
import { erdMarkdown } from './erd.js';
import { migrate } from './migrate.js';
import { createDatabase, dropDatabases, THROWAWAY_PREFIX } from './throwaway-database.js';

/**
 * `npm run docs:erd`: migrates a throwaway database (on the server of TEST_DATABASE_URL, else an embedded
 * PostgreSQL) and writes docs/erd.md from its live schema.
 */
async function main(): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'vcrm-erd-'));
  await chmod(work, 0o755);
  let server: EmbeddedPostgres | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  const name = `${THROWAWAY_PREFIX}erd_${randomBytes(4).toString('hex')}`;
  try {
    if (!serverUrl) {
      server = new EmbeddedPostgres({ dir: join(work, 'postgres'), database: 'postgres' });
      await server.start();
      serverUrl = server.urlFor('postgres');
    }
    const url = await createDatabase(serverUrl, name);
    try {
      await migrate(url);
      const target = join(projectRoot(), 'docs', 'erd.md');
      await writeFile(target, await erdMarkdown(url));
      process.stdout.write(`wrote ${target}\n`);
    } finally {
      await dropDatabases(serverUrl, name);
    }
  } finally {
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
