import pg from 'pg';

/**
 * Throwaway databases for tests and benchmarks: created by them, named with this prefix, dropped afterwards.
 * The guard below is what keeps a test run away from a real database.
 */
export const THROWAWAY_PREFIX = 'vcrm_test_';

export function assertThrowaway(name: string): void {
  if (!name.startsWith(THROWAWAY_PREFIX)) {
    throw new Error(
      `Refusing to use database "${name}": only throwaway ${THROWAWAY_PREFIX}* databases may be created or dropped`,
    );
  }
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** `fn` with a client on the database at `url`, closed whatever `fn` does. */
export async function withDatabase<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** `fn` with a client on the server's `postgres` database (creating, dropping, commenting on databases). */
export function withAdmin<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  return withDatabase(databaseUrl(serverUrl, 'postgres'), fn);
}

export async function createDatabase(serverUrl: string, name: string, template?: string): Promise<string> {
  assertThrowaway(name);
  await withAdmin(serverUrl, (c) =>
    c.query(
      `CREATE DATABASE ${c.escapeIdentifier(name)}${template ? ` TEMPLATE ${c.escapeIdentifier(template)}` : ''}`,
    ),
  );
  return databaseUrl(serverUrl, name);
}

export async function dropDatabases(serverUrl: string, prefix: string): Promise<void> {
  assertThrowaway(prefix);
  await withAdmin(serverUrl, async (c) => {
    const { rows } = await c.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      assertThrowaway(datname);
      await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  });
}
