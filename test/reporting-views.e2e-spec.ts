import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { Role } from '../src/common/auth/role.js';
import { createUser } from './helpers/auth.js';
import { runCli } from './helpers/processes.js';
import { buildReportFixture, type ReportFixture } from './helpers/report-fixture.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const VIEWS = ['activity', 'fund_progress', 'lp_commitments', 'pipeline'];

/** The reporting views (same figures as the API on the report fixture) and the read-only role for BI tools. */
describe('reporting schema and role', () => {
  let t: TestApp;
  let f: ReportFixture;
  let reader: pg.Client;
  const role = `rpt_${randomBytes(4).toString('hex')}`;
  // A quote and a question mark: the password is escaped, never spliced or scanned for placeholders.
  const password = `it's?a-Secret-${randomBytes(6).toString('hex')}`;
  const sql = <T>(text: string, params: unknown[] = []) =>
    t.orm.em.getConnection().execute<T[]>(text, params);

  beforeAll(async () => {
    t = await createTestApp();
    const alice = await createUser(t, Role.Member, { username: 'alice' });
    const bob = await createUser(t, Role.Member, { username: 'bob' });
    f = await buildReportFixture(t, { alice: alice.id, bob: bob.id });
  });

  afterAll(async () => {
    await reader?.end().catch(() => undefined);
    if (t) {
      await sql(`drop owned by ${role}`).catch(() => undefined);
      await sql(`drop role if exists ${role}`).catch(() => undefined);
      await t.close();
    }
  });

  it('has the documented views, with live records only', async () => {
    const views = await sql<{ name: string }>(
      `select table_name as name from information_schema.views where table_schema = 'reporting' order by 1`,
    );
    expect(views.map((v) => v.name)).toEqual(VIEWS);
    // Nine deals, one deleted.
    const pipeline = await sql<{ n: number; weighted: string }>(
      `select count(*)::int as n, sum(weighted_amount) filter (where is_open and currency = 'USD' and fund_id = ?)::text as weighted
         from reporting.pipeline`,
      [f.funds.fund2],
    );
    expect(pipeline).toEqual([{ n: 8, weighted: '185000.00' }]);
    const lps = await sql<{ currency: string; n: number; unfunded: string }>(
      `select currency, count(*)::int as n, sum(unfunded_amount)::text as unfunded from reporting.lp_commitments
        group by currency order by currency`,
    );
    expect(lps).toEqual([
      { currency: 'EUR', n: 2, unfunded: '400000.50' },
      { currency: 'USD', n: 3, unfunded: '300000.00' },
    ]);
    const activity = await sql<{ n: number }>(`select count(*)::int as n from reporting.activity`);
    expect(activity).toEqual([{ n: f.communications.filter((c) => c.live).length }]);
    const progress = await sql<Record<string, string | null>>(
      `select currency, target_amount::text as target, committed_amount::text as committed,
              funded_amount::text as funded, weighted_pipeline_amount::text as weighted, gap_to_target::text as gap
         from reporting.fund_progress where fund_id = ? order by currency`,
      [f.funds.fund2],
    );
    expect(progress).toEqual([
      {
        currency: 'EUR',
        target: null,
        committed: '250000.50',
        funded: '0.00',
        weighted: '150000.30',
        gap: null,
      },
      {
        currency: 'USD',
        target: '5000000.00',
        committed: '500000.00',
        funded: '200000.00',
        weighted: '185000.00',
        gap: '4500000.00',
      },
    ]);
  });

  it('create-reporting-role makes a login that reads the views and nothing else', async () => {
    const env = { DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'silent' };
    const short = await runCli(['create-reporting-role', '--name', role, '--password', 'short'], env);
    expect(short.code).not.toBe(0);
    expect(short.output).toContain('--password');
    const created = await runCli(
      ['create-reporting-role', '--name', role, '--password', 'first-password-1'],
      env,
    );
    expect(created).toMatchObject({ code: 0 });
    expect(created.output).toContain(`Created role ${role}`);
    // Run again: same role, new password.
    const updated = await runCli(['create-reporting-role', '--name', role, '--password', password], env);
    expect(updated).toMatchObject({ code: 0 });
    expect(updated.output).toContain(`Updated role ${role}`);

    const url = new URL(t.databaseUrl);
    url.username = role;
    url.password = password;
    reader = new pg.Client({ connectionString: url.toString() });
    await reader.connect();
    for (const view of VIEWS) {
      const { rows } = await reader.query(`select count(*)::int as n from reporting.${view}`);
      expect(rows[0].n).toBeGreaterThan(0);
    }
    const tables = await sql<{ name: string }>(
      `select schemaname || '.' || tablename as name from pg_tables where schemaname = 'public' order by 1`,
    );
    expect(tables.map((x) => x.name)).toEqual(expect.arrayContaining(['public.users', 'public.audit_log']));
    for (const { name } of tables) {
      await expect(reader.query(`select 1 from ${name} limit 1`)).rejects.toMatchObject({ code: '42501' });
    }
    // Read-only: no writes through the views, no tables of its own.
    await expect(reader.query(`delete from reporting.lp_commitments`)).rejects.toThrow();
    await expect(reader.query(`create table public.mine (i int)`)).rejects.toMatchObject({ code: '25006' });
  });
});
