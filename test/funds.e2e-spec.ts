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

  it('refuses a duplicate name ignoring case with 409 FUND_EXISTS, also when renaming', async () => {
    const fund = await createFund(t, manager, { name: 'Opportunity Fund' });
    const dup = await t.http
      .post('/api/funds')
      .set(manager.auth)
      .send({ name: 'OPPORTUNITY fund' })
      .expect(409);
    expect(dup.body).toMatchObject({ code: 'FUND_EXISTS', details: [{ field: 'name' }] });
    const other = await createFund(t, manager, { name: 'Other Fund' });
    const rename = await t.http
      .patch(`/api/funds/${other.id}`)
      .set(manager.auth)
      .send({ name: 'opportunity FUND' })
      .expect(409);
    expect(rename.body.code).toBe('FUND_EXISTS');
    // Renaming a fund to its own name in another case is not a conflict.
    const recased = await t.http
      .patch(`/api/funds/${fund.id}`)
      .set(manager.auth)
      .send({ name: 'Opportunity FUND' })
      .expect(200);
    expect(recased.body.data.name).toBe('Opportunity FUND');
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

  it('lists with status filter, search, sort and paging', async () => {
    await createFund(t, manager, { name: 'Growth Fund 2030', vintageYear: 2030, status: 'closed' });
    await createFund(t, manager, { name: 'Seed Fund 1990', vintageYear: 1990, status: 'closed' });
    const closed = await t.http.get('/api/funds?status=closed&sort=vintageYear').set(member.auth).expect(200);
    expect(names(closed.body)).toEqual(['Seed Fund 1990', 'Growth Fund 2030']);
    const desc = await t.http.get('/api/funds?status=closed&sort=vintageYear&order=desc').set(member.auth);
    expect(names(desc.body)).toEqual(['Growth Fund 2030', 'Seed Fund 1990']);
    const search = await t.http.get('/api/funds?search=OWTH').set(member.auth).expect(200);
    expect(names(search.body)).toEqual(['Growth Fund 2030']);
    const literal = await t.http.get('/api/funds?search=%25').set(member.auth).expect(200);
    expect(literal.body.total).toBe(0);
    const all = await t.http.get('/api/funds').set(member.auth).expect(200);
    expect(names(all.body)).toEqual([...names(all.body)].sort());
    const page = await t.http.get('/api/funds?limit=2&offset=1').set(member.auth).expect(200);
    expect(page.body).toMatchObject({ limit: 2, offset: 1, total: all.body.total });
    expect(names(page.body)).toEqual(names(all.body).slice(1, 3));
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

  it('PUT replaces the fund (left-out fields cleared), PATCH changes only what is sent', async () => {
    const fund = await createFund(t, manager, {
      name: 'Venture III',
      targetAmount: 300000000,
      vintageYear: 2027,
      currency: 'eur',
    });
    expect(fund).toMatchObject({ currency: 'EUR' });
    const put = await t.http
      .put(`/api/funds/${fund.id}`)
      .set(manager.auth)
      .send({ name: 'Venture 3' })
      .expect(200);
    expect(put.body.data).toMatchObject({
      name: 'Venture 3',
      targetAmount: null,
      vintageYear: null,
      currency: 'USD',
      status: 'raising',
    });
    const patch = await t.http
      .patch(`/api/funds/${fund.id}`)
      .set(manager.auth)
      .send({ status: 'closed', vintageYear: 2028 })
      .expect(200);
    expect(patch.body.data).toMatchObject({ name: 'Venture 3', status: 'closed', vintageYear: 2028 });
  });

  it('sums LP profiles and the live open pipeline in the summary, list and detail alike', async () => {
    const fund = await createFund(t, manager, { name: 'Summary Fund' });
    const [a, b] = await Promise.all([
      createContact(t, { firstName: 'Ada', lastName: 'Lp' }),
      createContact(t, { firstName: 'Bo', lastName: 'Lp' }),
    ]);
    for (const [contact, commitmentAmount, fundedAmount] of [
      [a, 1000000.25, 250000],
      [b, 500000, 500000],
    ] as const) {
      await t.http
        .post('/api/lp-profiles')
        .set(member.auth)
        .send({ contactId: contact.id, fundId: fund.id, commitmentAmount, fundedAmount })
        .expect(201);
    }
    const opportunity = async (body: Record<string, unknown>) =>
      (
        await t.http
          .post('/api/opportunities')
          .set(member.auth)
          .send({ fundId: fund.id, ...body })
          .expect(201)
      ).body.data as { id: string };
    await opportunity({ name: 'Lead', stage: 'lead', expectedAmount: 1000000 }); // 10% → 100,000
    await opportunity({ name: 'DD', stage: 'due_diligence', expectedAmount: 2000000.5, probability: 75 }); // 1,500,000.375
    await opportunity({ name: 'No amount', stage: 'meeting' });
    // Soft-circled: at stage committed, its commitment amount (else its expected amount) beside the LPs'.
    await opportunity({
      name: 'Promised',
      stage: 'committed',
      expectedAmount: 3000000,
      commitmentAmount: 2500000,
    });
    await opportunity({ name: 'Funded', stage: 'funded', expectedAmount: 9000000 });
    await opportunity({ name: 'Lost', stage: 'lost', lostReason: 'Timing', expectedAmount: 7000000 });
    const gone = await opportunity({ name: 'Deleted', stage: 'committed', expectedAmount: 5000000 });
    await t.http.delete(`/api/opportunities/${gone.id}`).set(manager.auth).expect(204);

    const expected = {
      committedTotal: 1500000.25,
      fundedTotal: 750000,
      lpCount: 2,
      openOpportunities: 4,
      pipelineExpected: 6000000.5,
      pipelineWeighted: 4300000.38,
      softCircledTotal: 2500000,
      softCircledOpportunities: 1,
      otherCurrencies: [],
    };
    const detail = await t.http.get(`/api/funds/${fund.id}`).set(member.auth).expect(200);
    expect(detail.body.data.summary).toEqual(expected);
    const list = await t.http.get('/api/funds?search=Summary').set(member.auth).expect(200);
    expect(list.body.data[0].summary).toEqual(expected);
  });

  it('never adds money in different currencies: totals in the fund’s currency, the others apart', async () => {
    const fund = await createFund(t, manager, { name: 'Two Currencies Fund', currency: 'USD' });
    const [a, b, c] = await Promise.all(
      ['Usd', 'Euro', 'Pound'].map((lastName) => createContact(t, { firstName: 'Lp', lastName })),
    );
    for (const [contact, currency, commitmentAmount, fundedAmount] of [
      [a, 'USD', 1000000, 400000],
      [b, 'EUR', 2000000.5, 0],
      [c, 'EUR', 500000, 500000],
    ] as const) {
      await t.http
        .post('/api/lp-profiles')
        .set(member.auth)
        .send({ contactId: contact.id, fundId: fund.id, currency, commitmentAmount, fundedAmount })
        .expect(201);
    }
    for (const [name, currency, stage, expectedAmount, probability] of [
      ['Dollar deal', 'USD', 'meeting', 1000000, 50],
      ['Sterling deal', 'GBP', 'committed', 3000000, 90],
    ] as const) {
      await t.http
        .post('/api/opportunities')
        .set(member.auth)
        .send({ name, fundId: fund.id, currency, stage, expectedAmount, probability })
        .expect(201);
    }
    const detail = await t.http.get(`/api/funds/${fund.id}`).set(member.auth).expect(200);
    expect(detail.body.data.summary).toEqual({
      committedTotal: 1000000,
      fundedTotal: 400000,
      lpCount: 3,
      openOpportunities: 2,
      pipelineExpected: 1000000,
      pipelineWeighted: 500000,
      softCircledTotal: 0,
      softCircledOpportunities: 1,
      otherCurrencies: [
        {
          currency: 'EUR',
          committed: 2500000.5,
          funded: 500000,
          pipelineExpected: 0,
          pipelineWeighted: 0,
          softCircled: 0,
        },
        {
          currency: 'GBP',
          committed: 0,
          funded: 0,
          pipelineExpected: 3000000,
          pipelineWeighted: 2700000,
          softCircled: 3000000,
        },
      ],
    });
  });

  it('refuses to delete a fund in use (409 FUND_IN_USE), deletes an unused one', async () => {
    const used = await createFund(t, manager, { name: 'Used Fund' });
    const opp = await t.http
      .post('/api/opportunities')
      .set(member.auth)
      .send({ name: 'Keeps the fund', fundId: used.id })
      .expect(201);
    // Even a deleted opportunity keeps its fund: it can be restored.
    await t.http.delete(`/api/opportunities/${opp.body.data.id}`).set(manager.auth).expect(204);
    const refused = await t.http.delete(`/api/funds/${used.id}`).set(manager.auth).expect(409);
    expect(refused.body).toMatchObject({ code: 'FUND_IN_USE', details: { opportunities: 1, lpProfiles: 0 } });
    await t.http.get(`/api/funds/${used.id}`).set(member.auth).expect(200);

    const unused = await createFund(t, manager, { name: 'Unused Fund' });
    await t.http.delete(`/api/funds/${unused.id}`).set(manager.auth).expect(204);
    await t.http.get(`/api/funds/${unused.id}`).set(member.auth).expect(404);
  });
});
