import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { erdMarkdown } from '../src/database/erd.js';
import { dropDatabases } from '../src/database/throwaway-database.js';
import { createTestDatabase } from './helpers/test-app.js';

describe('docs/erd.md', () => {
  let url: string | undefined;

  afterAll(async () => {
    if (url) await dropDatabases(process.env.VCRM_TEST_SERVER_URL!, new URL(url).pathname.slice(1));
  });

  it('matches the schema the migrations build (run `npm run docs:erd` after a migration)', async () => {
    url = await createTestDatabase();
    const committed = await readFile(join(import.meta.dirname, '..', 'docs', 'erd.md'), 'utf8');
    expect(await erdMarkdown(url)).toBe(committed);
  });
});
