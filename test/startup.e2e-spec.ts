import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { freePort } from '../src/database/embedded-postgres.js';
import { migrate, pendingMigrations } from '../src/database/migrate.js';
import { runCli, startApp, waitFor } from './helpers/processes.js';
import { createTestApp, createTestDatabase } from './helpers/test-app.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

// These tests start real processes (the app, the CLI, PostgreSQL): give them room on a busy machine.
const PROCESS_TIMEOUT = 120_000;

describe('schema and start-up', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it('the entities and the migrations describe the same schema', async () => {
    const t = await createTestApp();
    cleanup.push(() => t.close());
    await expect(t.orm.getMigrator().checkMigrationNeeded()).resolves.toBe(false);
  });

  it('every index an entity declares as SQL exists exactly so in the migrated schema', async () => {
    // MikroORM's schema diff compares such indexes by name only: build each declared one under another name
    // (in a transaction rolled back) and compare PostgreSQL's own definitions of both.
    const t = await createTestApp();
    cleanup.push(() => t.close());
    const declared = Object.values(t.orm.getMetadata().getAll()).flatMap((meta) =>
      [...meta.indexes, ...meta.uniques]
        .filter((index) => typeof index.expression === 'string')
        .map((index) => ({ name: index.name!, sql: index.expression as string })),
    );
    expect(declared.length).toBeGreaterThan(10);
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      for (const { name, sql } of declared) {
        const probe = `${name.slice(0, 50)}_probe`;
        await client.query(sql.replace(`"${name}"`, `"${probe}"`));
        const defs = await client.query<{ indexname: string; indexdef: string }>(
          'select indexname, indexdef from pg_indexes where indexname = any($1)',
          [[name, probe]],
        );
        const def = (n: string) =>
          defs.rows
            .find((r) => r.indexname === n)
            ?.indexdef.replace(`"${n}"`, '?')
            .replace(` ${n} `, ' ? ');
        expect({ name, definition: def(name) }).toEqual({ name, definition: def(probe) });
      }
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });

  it('two instances migrating at once apply each migration exactly once', async () => {
    const url = await createTestDatabase({ empty: true });
    const pendingBefore = await pendingMigrations((sql) => query<{ name: string }>(url, sql));
    const [a, b] = await Promise.all([migrate(url), migrate(url)]);
    expect([a.length, b.length].sort()).toEqual([0, expect.any(Number)]);
    const applied = await query<{ name: string }>(url, 'select name from mikro_orm_migrations order by name');
    expect(applied.map((r) => r.name)).toEqual([...a, ...b].sort());
    // The check a start makes without loading the migrator lists exactly what the migrator then applied.
    expect(pendingBefore).toEqual(applied.map((r) => r.name));
    await expect(pendingMigrations((sql) => query<{ name: string }>(url, sql))).resolves.toEqual([]);
  });

  it(
    'a failing migration stops start-up with its name, and leaves the schema untouched',
    async () => {
      const url = await createTestDatabase({ empty: true });
      // A table in the way makes the auth migration fail half-way through.
      await query(url, 'create table "api_tokens" (id int)');
      const app = startApp({ DATABASE_URL: url, PORT: String(await freePort()) });
      const run = await app.exited;
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/Migration20261122000600_auth failed \(up\); nothing was applied/);
      const tables = await query<{ table_name: string }>(
        url,
        "select table_name from information_schema.tables where table_schema = 'public'",
      );
      expect(tables.map((r) => r.table_name).sort()).toEqual(['api_tokens', 'mikro_orm_migrations']);
      expect(await query(url, 'select * from mikro_orm_migrations')).toEqual([]);
    },
    PROCESS_TIMEOUT,
  );

  it(
    'the CLI creates a user who can then sign in through the API',
    async () => {
      const url = await createTestDatabase({ empty: true });
      const run = await runCli(
        [
          'create-user',
          '--username',
          'first.admin',
          '--email',
          'first@fund.example',
          '--role',
          'admin',
          '--password',
          'Fund2-raise-tracker!',
        ],
        { DATABASE_URL: url, LOG_LEVEL: 'silent' },
      );
      expect(run.output).toContain('Created admin first.admin');
      expect(run.code).toBe(0);
      const t = await createTestApp({ DATABASE_URL: url });
      cleanup.push(() => t.close());
      const res = await t.http
        .post('/api/auth/login')
        .send({ username: 'first.admin', password: 'Fund2-raise-tracker!' })
        .expect(200);
      expect(res.body.user.role).toBe('admin');
      const dup = await runCli(
        [
          'create-user',
          '--username',
          'first.admin',
          '--email',
          'x@fund.example',
          '--role',
          'admin',
          '--password',
          'Fund2-raise-tracker!',
        ],
        { DATABASE_URL: url, LOG_LEVEL: 'silent' },
      );
      expect(dup.code).toBe(1);
      expect(dup.output).toContain('username is already taken');
    },
    PROCESS_TIMEOUT,
  );

  it(
    'with no DATABASE_URL, runs its own PostgreSQL, stops it on SIGINT, and keeps data across restarts',
    async () => {
      const dataDir = await mkdtemp(join(tmpdir(), 'vcrm-start-'));
      await chmod(dataDir, 0o755);
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const env = { DATA_DIR: dataDir, DATABASE_URL: '' };

      const boot = async (): Promise<{ stop: () => Promise<number | null>; url: string }> => {
        const port = await freePort();
        const app = startApp({ ...env, PORT: String(port) });
        cleanup.push(() => Promise.resolve(app.child.exitCode === null && app.child.kill('SIGKILL')));
        const url = `http://127.0.0.1:${port}`;
        await waitFor(async () => ((await fetch(`${url}/api/health`)).status === 200 ? true : undefined));
        return {
          url,
          stop: async () => {
            app.child.kill('SIGINT');
            return (await app.exited).code;
          },
        };
      };
      const postgresRunning = (): boolean => {
        try {
          return execFileSync('ps', ['-eo', 'args'])
            .toString()
            .includes(join(dataDir, 'postgres', 'cluster'));
        } catch {
          return false;
        }
      };

      const first = await boot();
      expect(postgresRunning()).toBe(true);
      const created = await runCli(
        [
          'create-user',
          '--username',
          'keeper',
          '--email',
          'keeper@fund.example',
          '--role',
          'admin',
          '--password',
          'Fund2-raise-tracker!',
        ],
        { ...env, LOG_LEVEL: 'silent' },
      );
      expect(created.code).toBe(0);
      expect(await first.stop()).toBe(0);
      expect(postgresRunning()).toBe(false);

      const second = await boot();
      const res = await fetch(`${second.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'keeper', password: 'Fund2-raise-tracker!' }),
      });
      expect(res.status).toBe(200);
      expect(await second.stop()).toBe(0);
      expect(postgresRunning()).toBe(false);
    },
    PROCESS_TIMEOUT,
  );
});
