import { randomBytes } from 'node:crypto';

import { createDatabase, dropDatabases } from '../../src/database/throwaway-database.js';

/** A variable the global setup (test/setup/global-setup.js) sets for every test file of the run. */
export function testRunValue(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run database tests through jest (test/setup/global-setup.js)`);
  return value;
}

/** A fresh throwaway database: cloned from the migrated template, or empty (no tables at all). */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<string> {
  const name = `${testRunValue('VCRM_TEST_RUN_PREFIX')}${randomBytes(4).toString('hex')}`;
  return createDatabase(
    testRunValue('VCRM_TEST_SERVER_URL'),
    name,
    options.empty ? undefined : testRunValue('VCRM_TEST_TEMPLATE'),
  );
}

/** Drops a database createTestDatabase made. */
export async function dropTestDatabase(databaseUrl: string): Promise<void> {
  await dropDatabases(testRunValue('VCRM_TEST_SERVER_URL'), new URL(databaseUrl).pathname.slice(1));
}
