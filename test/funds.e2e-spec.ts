import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createContact, createFund, expectBadInput, UNKNOWN_ID } from './helpers/pipeline-fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('funds', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
  });

  afterAll(async () => {
    await t.close();
  });

  const names = (body: { data: { name: string }[] }) => body.data.map((f) => f.name);

  it('managers create funds with defaults and an empty summary; members may only read', async () => {
    const fund = await createFund(t, manager, {
      name: ' Fund I ',
      targetAmount: 100000000.5,
      vintageYear: 2018,
    });
    expect(fund).toMatchObject({
      name: 'Fund I',
      targetAmount: 100000000.5,
      currency: 'USD',
      vintageYear: 2018,
      status: 'raising',
      summary: {
        committedTotal: 0,
        fundedTotal: 0,
        lpCount: 0,
        openOpportunities: 0,
        pipelineExpected: 0,
        pipelineWeighted: 0,
        softCircledTotal: 0,
        softCircledOpportunities: 0,
        otherCurrencies: [],
      },
    });
    await t.http.post('/api/funds').set(member.auth).send({ name: 'Member Fund' }).expect(403);
    await t.http.patch(`/api/funds/${fund.id}`).set(member.auth).send({ status: 'closed' }).expect(403);
    await t.http.put(`/api/funds/${fund.id}`).set(member.auth).send({ name: 'X' }).expect(403);
    await t.http.delete(`/api/funds/${fund.id}`).set(member.auth).expect(403);
    const read = await t.http.get(`/api/funds/${fund.id}`).set(member.auth).expect(200);
    expect(read.body.data).toMatchObject({ id: fund.id, name: 'Fund I', currency: 'USD' });
  });

  // The rules (unique names on rename, PUT/PATCH semantics, list order and search, the summary's sums per
  // currency, a fund in use) are FundsService's: test/medium/funds.medium-spec.ts. Here: routes, statuses, shapes.
  it('refuses a duplicate name ignoring case with 409 FUND_EXISTS', async () => {
    await createFund(t, manager, { name: 'Opportunity Fund' });
    const dup = await t.http
      .post('/api/funds')
      .set(manager.auth)
      .send({ name: 'OPPORTUNITY fund' })
      .expect(409);
    expect(dup.body).toMatchObject({ code: 'FUND_EXISTS', details: [{ field: 'name' }] });
  });

  it('answers 409 for both racing creations of one name but one (the database is the safety net)', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => t.http.post('/api/funds').set(manager.auth).send({ name: 'Race Fund' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('FUND_EXISTS');
  });

  it('refuses bad input with a 400 naming the field', async () => {
    await expectBadInput(
      (body) => t.http.post('/api/funds').set(manager.auth).send(body),
      [
        [{}, 'name'],
        [{ name: '  ' }, 'name'],
        [{ name: 'x'.repeat(101) }, 'name'],
        [{ name: 'A', targetAmount: -1 }, 'targetAmount'],
        [{ name: 'A', targetAmount: 1.234 }, 'targetAmount'],
        [{ name: 'A', targetAmount: '1,000' }, 'targetAmount'],
        [{ name: 'A', vintageYear: 1899 }, 'vintageYear'],
        [{ name: 'A', vintageYear: 2201 }, 'vintageYear'],
        [{ name: 'A', vintageYear: 2020.5 }, 'vintageYear'],
        [{ name: 'A', status: 'open' }, 'status'],
        [{ name: 'A', currency: 'dollars' }, 'currency'],
        [{ name: 'A', manager: 'me' }, 'manager'],
      ],
    );
    const fund = await createFund(t, manager, { name: 'Patchable' });
    await expectBadInput(
      (body) => t.http.patch(`/api/funds/${fund.id}`).set(manager.auth).send(body),
      [
        [{ name: null }, 'name'],
        [{ targetAmount: -5 }, 'targetAmount'],
        [{ status: 'paused' }, 'status'],
      ],
    );
  });

  it('lists with the query parsed and the page shape; 400 naming a bad parameter', async () => {
    await createFund(t, manager, { name: 'Growth Fund 2030', vintageYear: 2030, status: 'closed' });
    await createFund(t, manager, { name: 'Seed Fund 1990', vintageYear: 1990, status: 'closed' });
    const page = await t.http
      .get('/api/funds?status=closed&search=FUND%20&sort=vintageYear&order=desc&limit=1&offset=1')
      .set(member.auth)
      .expect(200);
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(names(page.body)).toEqual(['Seed Fund 1990']);
    for (const bad of ['sort=targetAmount', 'order=up', 'status=open', 'limit=500', 'offset=-3']) {
      const res = await t.http.get(`/api/funds?${bad}`).set(member.auth).expect(400);
      expect(res.body.details[0].field).toBe(bad.split('=')[0]);
    }
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    await t.http.get(`/api/funds/${UNKNOWN_ID}`).set(member.auth).expect(404);
    await t.http.patch(`/api/funds/${UNKNOWN_ID}`).set(manager.auth).send({ name: 'Z' }).expect(404);
    await t.http.delete(`/api/funds/${UNKNOWN_ID}`).set(manager.auth).expect(404);
    const bad = await t.http.get('/api/funds/fund-2').set(member.auth).expect(400);
    expect(bad.body.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });

  it('PUT and PATCH answer the fund', async () => {
    const fund = await createFund(t, manager, { name: 'Venture III', vintageYear: 2027, currency: 'eur' });
    expect(fund).toMatchObject({ currency: 'EUR' });
    const put = await t.http
      .put(`/api/funds/${fund.id}`)
      .set(manager.auth)
      .send({ name: 'Venture 3' })
      .expect(200);
    expect(put.body.data).toMatchObject({ name: 'Venture 3', vintageYear: null, currency: 'USD' });
    const patch = await t.http
      .patch(`/api/funds/${fund.id}`)
      .set(manager.auth)
      .send({ status: 'closed' })
      .expect(200);
    expect(patch.body.data).toMatchObject({ name: 'Venture 3', status: 'closed' });
  });

  it('answers the summary with money in other currencies apart, in the detail and the list', async () => {
    const fund = await createFund(t, manager, { name: 'Two Currencies Fund', currency: 'USD' });
    const contact = await createContact(t, { firstName: 'Lp', lastName: 'Euro' });
    await t.http
      .post('/api/lp-profiles')
      .set(member.auth)
      .send({ contactId: contact.id, fundId: fund.id, currency: 'EUR', commitmentAmount: 2000000.5 })
      .expect(201);
    const expected = {
      committedTotal: 0,
      fundedTotal: 0,
      lpCount: 1,
      openOpportunities: 0,
      pipelineExpected: 0,
      pipelineWeighted: 0,
      softCircledTotal: 0,
      softCircledOpportunities: 0,
      otherCurrencies: [
        {
          currency: 'EUR',
          committed: 2000000.5,
          funded: 0,
          pipelineExpected: 0,
          pipelineWeighted: 0,
          softCircled: 0,
        },
      ],
    };
    const detail = await t.http.get(`/api/funds/${fund.id}`).set(member.auth).expect(200);
    expect(detail.body.data.summary).toEqual(expected);
    const list = await t.http.get('/api/funds?search=Two%20Currencies').set(member.auth).expect(200);
    expect(list.body.data[0].summary).toEqual(expected);
  });

  it('refuses to delete a fund in use (409 FUND_IN_USE), deletes an unused one', async () => {
    const used = await createFund(t, manager, { name: 'Used Fund' });
    await t.http
      .post('/api/opportunities')
      .set(member.auth)
      .send({ name: 'Keeps the fund', fundId: used.id })
      .expect(201);
    const refused = await t.http.delete(`/api/funds/${used.id}`).set(manager.auth).expect(409);
    expect(refused.body).toMatchObject({ code: 'FUND_IN_USE', details: { opportunities: 1, lpProfiles: 0 } });
    await t.http.get(`/api/funds/${used.id}`).set(member.auth).expect(200);

    const unused = await createFund(t, manager, { name: 'Unused Fund' });
    await t.http.delete(`/api/funds/${unused.id}`).set(manager.auth).expect(204);
    await t.http.get(`/api/funds/${unused.id}`).set(member.auth).expect(404);
  });
});
