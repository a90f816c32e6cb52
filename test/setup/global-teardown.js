import { rm } from 'node:fs/promises';

import { dropDatabases } from '../../dist/src/database/throwaway-database.js';

export default async function globalTeardown() {
  const serverUrl = process.env.VCRM_TEST_SERVER_URL;
  const prefix = process.env.VCRM_TEST_RUN_PREFIX;
  if (serverUrl && prefix) await dropDatabases(serverUrl, prefix);
  const state = globalThis.__VCRM_TEST_RUN__;
  await state?.embedded?.stop();
  if (state?.tmpDir) await rm(state.tmpDir, { recursive: true, force: true });
}
