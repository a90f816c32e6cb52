import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { Role } from '../src/common/auth/role.js';
import { COUNT_CAP } from '../src/common/dto/paging.dto.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Big lists count up to COUNT_CAP and say so; smaller ones stay exact. */
describe('list totals on big tables', () => {
  let t: TestApp;
  let member: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
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
    // Every contact an LP of one fund: LP profiles count as the other lists do.
    await client.query(
      `with fund as (insert into funds (name) values ('Fund Big') returning id)
       insert into lp_profiles (contact_id, fund_id, commitment_amount) select c.id, fund.id, 1000 from contacts c, fund`,
    );
    await client.end();
  });

  afterAll(async () => {
    await t.close();
  });

  it('caps the total of a list that matches more than the cap, and says so', async () => {
    for (const path of [
      '/api/contacts',
      '/api/organizations',
      '/api/contacts?search=number',
      '/api/lp-profiles',
    ]) {
      const res = await t.http.get(path).set(member.auth).expect(200);
      expect({ path, total: res.body.total, totalCapped: res.body.totalCapped }).toEqual({
        path,
        total: COUNT_CAP,
        totalCapped: true,
      });
      expect(res.body.data).toHaveLength(50);
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
});
