import { QueryCounter } from '../../bench/query-counter.js';
import { dropDatabases } from '../../src/database/throwaway-database.js';
import { createTestApp, createTestDatabase, type TestApp } from './test-app.js';

/** A test app on its own throwaway database, talking to it through the benchmark's counting proxy. */
export interface CountedTestApp extends TestApp {
  /** Counts (and captures) the statements the app sends: `counter.measure(() => request)`. */
  counter: QueryCounter;
}

/** Statements per request are counted on the wire; close() stops the app and the proxy and drops the database. */
export async function createCountedTestApp(): Promise<CountedTestApp> {
  const databaseUrl = await createTestDatabase();
  const target = new URL(databaseUrl);
  const counter = await QueryCounter.start({ host: target.hostname, port: Number(target.port || 5432) });
  const proxied = new URL(databaseUrl);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(counter.port);
  const t = await createTestApp({ DATABASE_URL: proxied.toString() });
  return {
    ...t,
    counter,
    close: async () => {
      await t.close();
      await counter.close();
      await dropDatabases(process.env.VCRM_TEST_SERVER_URL!, new URL(databaseUrl).pathname.slice(1));
    },
  };
}
