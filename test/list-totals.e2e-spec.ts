import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { Role } from '../src/common/auth/role.js';
import { COUNT_CAP } from '../src/common/dto/paging.dto.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Big lists count up to COUNT_CAP and say so; smaller ones stay exact; `count` asks for another count. */
describe('list totals on big tables', () => {
  let t: TestApp;
  let member: SignedInUser;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    admin = await signedIn(t, Role.Admin);
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    await client.query(
      `insert into organizations (name) select 'Org ' || g from generate_series(1, ${COUNT_CAP + 100}) g`,
    );
    await client.query(
      `insert into contacts (first_name, last_name, contact_type)
       select 'Person', 'Number ' || g, case when g <= 40 then 'investor'::contact_type else 'prospect'::contact_type end
         from generate_series(1, ${COUNT_CAP + 100}) g`,
    );
    // Contact "Number g" works at "Org g".
    await client.query(
      `update contacts c set organization_id = o.id from organizations o where o.name = 'Org ' || substr(c.last_name, 8)`,
    );
    // Every contact an LP of one fund: LP profiles count as the other lists do.
    await client.query(
      `with fund as (insert into funds (name) values ('Fund Big') returning id)
       insert into lp_profiles (contact_id, fund_id, commitment_amount) select c.id, fund.id, 1000 from contacts c, fund`,
    );
    // Every contact's deal; every tenth without an amount (it sorts as the smallest).
    await client.query(
      `insert into opportunities (name, contact_id, probability, expected_amount)
       select 'Deal ' || c.last_name, c.id, 10,
              case when c.last_name like '%0' then null else length(c.last_name) * 1000 end
         from contacts c`,
    );
    // Communications of one contact, a day apart; every tenth mentions a pension (110 of them).
    await client.query(
      `insert into communications (contact_id, type, subject, body, communication_date)
       select (select id from contacts order by last_name limit 1), 'call', 'Call ' || g,
              case when g % 10 = 0 then 'Pension allocation review' else 'Quarterly update' end,
              timestamptz '2026-01-01' - g * interval '1 day'
         from generate_series(1, ${COUNT_CAP + 100}) g`,
    );
    await client.end();
  });

  afterAll(async () => {
    await t.close();
  });

  /** Lists matching COUNT_CAP + 100 records. */
  const BIG_LISTS = [
    '/api/contacts',
    '/api/organizations',
    '/api/contacts?search=number',
    '/api/organizations?search=org',
    '/api/communications?search=call',
    '/api/lp-profiles',
    '/api/lp-profiles?search=number',
    '/api/opportunities?search=person',
  ];

  /** Each big list's total, flag and page size, with `count` when given. */
  async function bigTotals(count?: string) {
    const answers = [];
    for (const list of BIG_LISTS) {
      const path = count ? `${list}${list.includes('?') ? '&' : '?'}count=${count}` : list;
      const res = await t.http.get(path).set(member.auth).expect(200);
      const { total, totalCapped } = res.body as { total: number | null; totalCapped?: true };
      answers.push({ path, total, totalCapped, rows: (res.body.data as unknown[]).length });
    }
    return answers;
  }

  it('caps the total of a list that matches more than the cap, and says so', async () => {
    for (const answer of await bigTotals()) {
      expect(answer).toEqual({ path: answer.path, total: COUNT_CAP, totalCapped: true, rows: 50 });
    }
  });

  it('keeps the total exact below the cap, without the flag', async () => {
    const investors = await t.http.get('/api/contacts?type=investor').set(member.auth).expect(200);
    expect(investors.body.total).toBe(40);
    expect(investors.body).not.toHaveProperty('totalCapped');
    const search = await t.http.get('/api/organizations?search=Org 1099').set(member.auth).expect(200);
    expect(search.body).toEqual(expect.objectContaining({ total: 1 }));
    expect(search.body).not.toHaveProperty('totalCapped');
  });

  /** Searches with fewer matches than the cap: the list's path, and the SQL of its matches' keys in the list's order. */
  const SMALL_SEARCHES = [
    {
      // "org 10" matches 111 names (Org 10, Org 100–109, Org 1000–1099).
      path: '/api/organizations?search=org 10&order=desc',
      key: 'name',
      sql: `select name as key from organizations where name ilike '%org 10%' order by name desc, id desc`,
      matches: 111,
    },
    {
      path: '/api/communications?search=pension',
      key: 'id',
      sql: `select id as key from communications where body like 'Pension%' order by communication_date desc, id desc`,
      matches: 110,
    },
    {
      // A contact's name ("Person Number 10" and 110 more, as above) in its deals' and LP profiles' search text.
      path: '/api/opportunities?search=number 10&sort=expectedAmount',
      key: 'id',
      sql: `select id as key from opportunities where name ilike '%number 10%'
             order by expected_amount asc nulls first, id asc`,
      matches: 111,
    },
    {
      // Created in one statement: the same created_at, the id breaks the ties.
      path: '/api/contacts?search=number 10&sort=createdAt&order=desc',
      key: 'id',
      sql: `select id as key from contacts where last_name ilike '%number 10%' order by created_at desc, id desc`,
      matches: 111,
    },
    {
      // Investors are "Number 1" to "Number 40": with the type, the matches are not read in the name order.
      path: '/api/contacts?search=number 1&type=investor',
      key: 'lastName',
      sql: `select last_name as key from contacts where contact_type = 'investor' and last_name ilike '%number 1%'
             order by last_name, first_name, id`,
      matches: 11,
    },
    {
      path: '/api/lp-profiles?search=NUMBER 10',
      key: 'id',
      sql: `select lp.id as key from lp_profiles lp join contacts c on c.id = lp.contact_id
             where c.last_name ilike '%number 10%' order by lp.commitment_amount desc, lp.id desc`,
      matches: 111,
    },
  ];

  it('pages a search with fewer matches than the cap in the list’s order, as with more, whatever the count', async () => {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      for (const search of SMALL_SEARCHES) {
        const sorted = (await client.query<{ key: string }>(search.sql)).rows.map((r) => r.key);
        expect(sorted).toHaveLength(search.matches);
        for (const [offset, count] of [
          [0, 'capped'],
          [50, 'exact'],
          [100, 'none'],
          [search.matches, 'capped'],
        ] as const) {
          const res = await t.http
            .get(`${search.path}&limit=50&offset=${offset}&count=${count}`)
            .set(member.auth)
            .expect(200);
          const keys = (res.body.data as Record<string, string>[]).map((row) => row[search.key]);
          expect({ path: search.path, offset, keys, total: res.body.total }).toEqual({
            path: search.path,
            offset,
            keys: sorted.slice(offset, offset + 50),
            total: count === 'none' ? null : search.matches,
          });
        }
      }
    } finally {
      await client.end();
    }
  });

  it('pages a search read along its order (deals, contacts) as the order says, before, across and past the cap', async () => {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      const lists = [
        {
          path: '/api/opportunities?search=person',
          sql: `select id::text as key from opportunities where deleted_at is null order by updated_at desc, id desc`,
        },
        {
          path: '/api/contacts?search=person',
          sql: `select id::text as key from contacts where deleted_at is null order by last_name, first_name, id`,
        },
      ];
      for (const list of lists) {
        const sorted = (await client.query<{ key: string }>(list.sql)).rows.map((r) => r.key);
        expect(sorted).toHaveLength(COUNT_CAP + 100);
        for (const offset of [0, COUNT_CAP - 50, COUNT_CAP - 40, COUNT_CAP + 60]) {
          const res = await t.http.get(`${list.path}&limit=50&offset=${offset}`).set(member.auth).expect(200);
          const keys = (res.body.data as { id: string }[]).map((row) => row.id);
          expect({ path: list.path, offset, keys, total: res.body.total }).toEqual({
            path: list.path,
            offset,
            keys: sorted.slice(offset, offset + 50),
            total: COUNT_CAP,
          });
        }
      }
    } finally {
      await client.end();
    }
  });

  it('finds the contacts of every organization a contact search matches, however many match', async () => {
    // "org" is in 1,100 organization names and no contact's: more organizations than a search passes by id.
    const res = await t.http.get('/api/contacts?search=org&count=exact&limit=1').set(member.auth).expect(200);
    expect(res.body.total).toBe(COUNT_CAP + 100);
    const few = await t.http.get('/api/contacts?search=org 109&count=exact').set(member.auth).expect(200);
    expect(few.body.data.map((c: { lastName: string }) => c.lastName).sort()).toEqual(
      ['Number 109', ...Array.from({ length: 10 }, (_, i) => `Number 109${i}`)].sort(),
    );
  });

  it('pages past the cap: the data goes on until it comes back empty', async () => {
    const last = await t.http
      .get(`/api/contacts?limit=50&offset=${COUNT_CAP + 50}`)
      .set(member.auth)
      .expect(200);
    expect(last.body.data).toHaveLength(50);
    const beyond = await t.http
      .get(`/api/contacts?limit=50&offset=${COUNT_CAP + 100}`)
      .set(member.auth)
      .expect(200);
    expect(beyond.body.data).toHaveLength(0);
  });

  it('counts every match with count=exact, past the cap', async () => {
    for (const answer of await bigTotals('exact')) {
      expect(answer).toEqual({ path: answer.path, total: COUNT_CAP + 100, totalCapped: undefined, rows: 50 });
    }
  });

  it('reads a contact list’s total filtered by type alone from the summary, equal to counting it after every write', async () => {
    const totals = async () => {
      const answers: Record<string, unknown> = {};
      for (const path of [
        '/api/contacts?count=exact',
        '/api/contacts?count=exact&type=investor',
        '/api/contacts?count=exact&type=advisor',
        '/api/contacts?type=investor',
        '/api/contacts?count=exact&status=active',
        '/api/contacts?count=exact&includeDeleted=true',
      ]) {
        answers[path] = (await t.http.get(path).set(admin.auth).expect(200)).body.total;
      }
      return answers;
    };
    const [investor] = (await t.http.get('/api/contacts?type=investor&limit=1').set(admin.auth).expect(200))
      .body.data as { id: string }[];
    const created = await t.http
      .post('/api/contacts')
      .set(admin.auth)
      .send({ firstName: 'Summed', lastName: 'Up', contactType: 'advisor' })
      .expect(201);
    await t.http.delete(`/api/contacts/${investor.id}`).set(admin.auth).expect(204);
    expect(await totals()).toEqual({
      '/api/contacts?count=exact': COUNT_CAP + 100,
      '/api/contacts?count=exact&type=investor': 39,
      '/api/contacts?count=exact&type=advisor': 1,
      '/api/contacts?type=investor': 39,
      '/api/contacts?count=exact&status=active': COUNT_CAP + 100,
      '/api/contacts?count=exact&includeDeleted=true': COUNT_CAP + 101,
    });
    await t.http
      .patch(`/api/contacts/${created.body.data.id}`)
      .set(admin.auth)
      .send({ contactType: 'investor' })
      .expect(200);
    await t.http.post(`/api/contacts/${investor.id}/restore`).set(admin.auth).expect(200);
    await t.http.delete(`/api/contacts/${created.body.data.id}`).set(admin.auth).expect(204);
    expect(await totals()).toEqual({
      '/api/contacts?count=exact': COUNT_CAP + 100,
      '/api/contacts?count=exact&type=investor': 40,
      '/api/contacts?count=exact&type=advisor': 0,
      '/api/contacts?type=investor': 40,
      '/api/contacts?count=exact&status=active': COUNT_CAP + 100,
      '/api/contacts?count=exact&includeDeleted=true': COUNT_CAP + 101,
    });
  });

  it('counts nothing with count=none: total is null, the page is the same', async () => {
    // Users and import batches: small lists, counted through the same helpers.
    for (const path of ['/api/contacts', '/api/lp-profiles', '/api/users', '/api/import/batches']) {
      const counted = await t.http.get(path).set(admin.auth).expect(200);
      const res = await t.http.get(`${path}?count=none`).set(admin.auth).expect(200);
      expect({ path, total: res.body.total, capped: 'totalCapped' in res.body }).toEqual({
        path,
        total: null,
        capped: false,
      });
      expect(res.body.data).toEqual(counted.body.data);
    }
  });

  it('keeps capped as the default, and says so when asked for', async () => {
    const asked = await t.http.get('/api/contacts?count=capped&type=investor').set(member.auth).expect(200);
    expect(asked.body.total).toBe(40);
    const big = await t.http.get('/api/organizations?count=capped').set(member.auth).expect(200);
    expect(big.body).toEqual(expect.objectContaining({ total: COUNT_CAP, totalCapped: true }));
  });

  it('refuses another count with a 400 naming count', async () => {
    const res = await t.http.get('/api/contacts?count=all').set(member.auth).expect(400);
    expect(res.body.details).toEqual([{ field: 'count', message: 'must be one of: capped, exact, none' }]);
  });
});
