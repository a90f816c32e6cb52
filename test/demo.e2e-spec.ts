import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { freePort } from '../src/database/embedded-postgres.js';
import { runCli, startApp, waitFor } from './helpers/processes.js';
import { createTestApp, createTestDatabase } from './helpers/test-app.js';

const TABLES = [
  'users',
  'tags',
  'organizations',
  'organization_tags',
  'contacts',
  'contact_tags',
  'funds',
  'lp_profiles',
  'opportunities',
  'opportunity_stage_history',
  'communications',
  'tasks',
];

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const one = async (url: string, sql: string): Promise<Record<string, unknown>> =>
  withClient(url, async (c) => (await c.query(sql)).rows[0] as Record<string, unknown>);

/** Every demo table's row count and a hash of its full contents: equal snapshots mean nothing changed. */
const snapshot = (url: string): Promise<Record<string, string>> =>
  withClient(url, async (c) => {
    const result: Record<string, string> = {};
    for (const table of TABLES) {
      const { rows } = await c.query<{ n: string; h: string | null }>(
        `select count(*) n, md5(string_agg(t::text, '|' order by t::text)) h from "${table}" t`,
      );
      result[table] = `${rows[0].n}:${rows[0].h ?? ''}`;
    }
    return result;
  });

const counts = (snap: Record<string, string>): Record<string, number> =>
  Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, Number(v.split(':')[0])]));

describe('demo data', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it('seed-demo loads exactly the SPEC.md set, a second run changes nothing, and admin/admin123 signs in', async () => {
    const url = await createTestDatabase();
    const first = await runCli(['seed-demo'], { DATABASE_URL: url, LOG_LEVEL: 'silent' });
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/contacts\s+12 created, 0 already there/);
    expect(first.output).toContain('admin / admin123 (admin), grant / password (manager)');

    const before = await snapshot(url);
    expect(counts(before)).toMatchObject({
      users: 2,
      tags: 6,
      organizations: 8,
      contacts: 12,
      funds: 2,
      lp_profiles: 6,
      opportunities: 6,
      communications: 8,
    });
    expect(counts(before).tasks).toBeGreaterThanOrEqual(3);

    const facts = await one(
      url,
      `select
        (select string_agg(username || ':' || role, ',' order by username) from users) users,
        (select string_agg(name, ',' order by name) from tags) tags,
        (select string_agg(name || ':' || type, ',' order by name) from organizations) organizations,
        (select count(*) from contacts where contact_type = 'investor') investors,
        (select count(*) from contacts where contact_type = 'prospect') prospects,
        (select count(distinct organization_id) from contacts) contact_organizations,
        (select string_agg(name || ':' || status || ':' || coalesce(target_amount::text, '-'), ',' order by name) from funds) funds,
        (select sum(p.commitment_amount)::text from lp_profiles p join funds f on f.id = p.fund_id where f.name = 'Fund I') committed,
        (select sum(p.funded_amount)::text from lp_profiles p join funds f on f.id = p.fund_id where f.name = 'Fund I') funded,
        (select bool_and(legal_docs_signed and wire_received and funded_amount = commitment_amount) from lp_profiles) fully_funded,
        (select bool_and(c.contact_type = 'investor') from lp_profiles p join contacts c on c.id = p.contact_id) lps_are_investors,
        (select sum(o.expected_amount)::text from opportunities o join funds f on f.id = o.fund_id where f.name = 'Fund II') expected,
        (select count(distinct stage) from opportunities) stages,
        (select lost_reason is not null from opportunities where stage = 'lost') lost_has_reason,
        (select bool_and(h.n > 0) from (select count(h.id) n from opportunities o left join opportunity_stage_history h on h.opportunity_id = o.id group by o.id) h) every_deal_has_history,
        (select bool_and(o.stage = last.to_stage) from opportunities o join lateral (select to_stage from opportunity_stage_history where opportunity_id = o.id order by changed_at desc limit 1) last on true) history_ends_at_stage,
        (select count(*) from contact_tags) contact_tags,
        (select count(*) from organization_tags) organization_tags`,
    );
    expect(facts).toEqual({
      users: 'admin:admin,grant:manager',
      tags: 'Family Office,Fund I LP,Fund II Prospect,High Priority,Institutional,Re-up Target',
      organizations:
        'Atlas Family Office:family_office,Blue Harbor Foundation:foundation,Cascade Wealth Management:wealth_manager,' +
        'Northeast Pension Fund:pension,Pacific Capital Partners:fund_of_funds,Redwood Endowment:endowment,' +
        'Sovereign Wealth Holdings:sovereign_wealth,Summit Insurance Group:insurance',
      investors: '6',
      prospects: '6',
      contact_organizations: '8',
      funds: 'Fund I:closed:80000000.00,Fund II:raising:120000000.00',
      committed: '83000000.00',
      funded: '83000000.00',
      fully_funded: true,
      lps_are_investors: true,
      expected: '40000000.00',
      stages: '6',
      lost_has_reason: true,
      every_deal_has_history: true,
      history_ends_at_stage: true,
      contact_tags: expect.any(String),
      organization_tags: expect.any(String),
    });
    expect(Number(facts.contact_tags)).toBeGreaterThanOrEqual(12);
    expect(Number(facts.organization_tags)).toBeGreaterThanOrEqual(6);

    const second = await runCli(['seed-demo'], { DATABASE_URL: url, LOG_LEVEL: 'silent' });
    expect(second.code).toBe(0);
    expect(second.output).toMatch(/contacts\s+0 created, 12 already there/);
    expect(second.output).not.toContain('admin123');
    expect(await snapshot(url)).toEqual(before);

    // A missing record is found missing by its natural key and put back; the others are left alone.
    await withClient(url, (c) => c.query(`delete from tags where name = 'Re-up Target'`));
    const third = await runCli(['seed-demo'], { DATABASE_URL: url, LOG_LEVEL: 'silent' });
    expect(third.output).toMatch(/tags\s+1 created, 5 already there/);
    expect(third.output).toMatch(/organizations\s+0 created, 8 already there/);

    const t = await createTestApp({ DATABASE_URL: url });
    cleanup.push(() => t.close());
    const admin = await t.http
      .post('/api/auth/login')
      .send({ username: 'admin', password: 'admin123' })
      .expect(200);
    expect(admin.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    const grant = await t.http
      .post('/api/auth/login')
      .send({ username: 'grant', password: 'password' })
      .expect(200);
    expect(grant.body.user.role).toBe('manager');
    const orgs = await t.http
      .get('/api/organizations?limit=50')
      .set({ Authorization: `Bearer ${admin.body.token}` })
      .expect(200);
    expect(orgs.body.total).toBe(8);
  }, 120_000);

  it('DEMO=true seeds in-process only a database without users', async () => {
    const url = await createTestDatabase();
    await withClient(url, (c) =>
      c.query(
        `insert into users (username, email, full_name, role, password_hash) values ('ada', 'ada@fund.example', 'Ada', 'admin', '!')`,
      ),
    );
    const t = await createTestApp({ DATABASE_URL: url, DEMO: 'true' });
    cleanup.push(() => t.close());
    expect(
      await one(url, 'select (select count(*) from users) u, (select count(*) from organizations) o'),
    ).toEqual({ u: '1', o: '0' });
  });

  it('the built app started with DEMO=true on an empty database serves the demo set', async () => {
    const url = await createTestDatabase({ empty: true });
    const dataDir = await mkdtemp(join(tmpdir(), 'vcrm-demo-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const app = startApp({ DATABASE_URL: url, DATA_DIR: dataDir, PORT: String(port), DEMO: 'true' });
    cleanup.push(() => Promise.resolve(app.child.exitCode === null && app.child.kill('SIGKILL')));
    const base = `http://127.0.0.1:${port}/api`;
    await waitFor(async () => ((await fetch(`${base}/health`)).status === 200 ? true : undefined), 60_000);
    expect(app.output()).toContain('loaded the demo data set');
    expect(app.output()).not.toContain('No users yet');

    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin123' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const get = async (path: string) =>
      (await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } })).json() as Promise<{
        total: number;
        data: { username?: string; name?: string }[];
      }>;
    const users = await get('/users');
    expect(users.total).toBe(2);
    expect(users.data.map((u) => u.username).sort()).toEqual(['admin', 'grant']);
    expect((await get('/organizations?limit=50')).total).toBe(8);

    app.child.kill('SIGINT');
    expect((await app.exited).code).toBe(0);
  }, 120_000);
});
