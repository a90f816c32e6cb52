import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import {
  createContact,
  createFund,
  createOrganization,
  expectBadInput,
  UNKNOWN_ID,
} from './helpers/pipeline-fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Lp {
  id: string;
  version: number;
  commitmentAmount: number;
  fundedAmount: number;
  contact: { id: string; name: string };
  [key: string]: unknown;
}

describe('LP profiles', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let fundI: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    fundI = await createFund(t, manager, { name: 'Fund I' });
  });

  afterAll(async () => {
    await t.close();
  });

  const create = async (body: Record<string, unknown>): Promise<Lp> => {
    const res = await t.http.post('/api/lp-profiles').set(member.auth).send(body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body.data as Lp;
  };

  // The rules (funded ≤ committed, one profile per contact and fund, moves, PUT/PATCH semantics, list order and
  // search) are LpProfilesService's: test/medium/lp-profiles.medium-spec.ts. Here: routes, statuses and shapes.
  it('creates a profile: 201 with its defaults, the same as GET answers', async () => {
    const org = await createOrganization(t, member, 'Blue Harbor Foundation');
    const contact = await createContact(t, {
      firstName: 'Priya',
      lastName: 'Raman',
      email: 'priya@blueharbor.example',
      organization: org.id,
    });
    const lp = await create({ contactId: contact.id, fundId: fundI.id, commitmentAmount: 5000000 });
    expect(lp).toMatchObject({
      contact: {
        id: contact.id,
        name: 'Priya Raman',
        email: 'priya@blueharbor.example',
        organization: { id: org.id, name: 'Blue Harbor Foundation' },
      },
      fund: { id: fundI.id, name: 'Fund I' },
      commitmentAmount: 5000000,
      fundedAmount: 0,
      currency: 'USD',
      commitmentDate: null,
      investorType: null,
      accredited: false,
      legalDocsSigned: false,
      wireReceived: false,
      k1Sent: false,
      customFields: {},
      version: 1,
    });
    const read = await t.http.get(`/api/lp-profiles/${lp.id}`).set(member.auth).expect(200);
    expect(read.body.data).toEqual(lp);
  });

  it('answers 409 LP_PROFILE_EXISTS for a second profile of a contact in a fund, also when racing', async () => {
    const contact = await createContact(t, { firstName: 'Once', lastName: 'Only' });
    const first = await create({ contactId: contact.id, fundId: fundI.id });
    const dup = await t.http
      .post('/api/lp-profiles')
      .set(member.auth)
      .send({ contactId: contact.id, fundId: fundI.id })
      .expect(409);
    expect(dup.body).toMatchObject({
      code: 'LP_PROFILE_EXISTS',
      details: [{ field: 'fundId', existingId: first.id }],
    });
    // Racing creations: the unique index refuses the losers, answered as the same 409.
    const racer = await createContact(t, { firstName: 'Race', lastName: 'Condition' });
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        t.http.post('/api/lp-profiles').set(member.auth).send({ contactId: racer.id, fundId: fundI.id }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('LP_PROFILE_EXISTS');
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const contact = await createContact(t, { firstName: 'Bad', lastName: 'Input' });
    const ok = { contactId: contact.id, fundId: fundI.id };
    await expectBadInput(
      (body) => t.http.post('/api/lp-profiles').set(member.auth).send(body),
      [
        [{ fundId: fundI.id }, 'contactId'],
        [{ contactId: contact.id }, 'fundId'],
        [{ ...ok, contactId: 'priya' }, 'contactId'],
        [{ ...ok, contactId: UNKNOWN_ID }, 'contactId'],
        [{ ...ok, commitmentAmount: 100, fundedAmount: 150 }, 'fundedAmount'],
        [{ ...ok, commitmentAmount: -1 }, 'commitmentAmount'],
        [{ ...ok, commitmentAmount: 1.005 }, 'commitmentAmount'],
        [{ ...ok, commitmentAmount: '$5,000,000.00' }, 'commitmentAmount'],
        [{ ...ok, investorType: 'whale' }, 'investorType'],
        [{ ...ok, preferredCommunication: 'pigeon' }, 'preferredCommunication'],
        [{ ...ok, commitmentDate: '2024-02-30' }, 'commitmentDate'],
        [{ ...ok, signedDate: '3/15/2024' }, 'signedDate'],
        [{ ...ok, accredited: 'checked' }, 'accredited'],
        [{ ...ok, currency: 'usd$' }, 'currency'],
        [{ ...ok, carry: 20 }, 'carry'],
      ],
    );
  });

  it('PATCH and PUT answer the profile; 400 naming the field; 409 for a stale version (body or If-Match)', async () => {
    const contact = await createContact(t, { firstName: 'Stale', lastName: 'Version' });
    const lp = await create({ contactId: contact.id, fundId: fundI.id, commitmentAmount: 1000 });
    const patch = (body: Record<string, unknown>) =>
      t.http.patch(`/api/lp-profiles/${lp.id}`).set(member.auth).send(body);
    const patched = await patch({ accredited: true, fundedAmount: 400, version: 1 }).expect(200);
    expect(patched.body.data).toMatchObject({ accredited: true, fundedAmount: 400, version: 2 });
    const over = await patch({ fundedAmount: 1000.01 }).expect(400);
    expect(over.body.details).toEqual([
      { field: 'fundedAmount', message: 'must not exceed commitmentAmount (1000.01 > 1000)' },
    ]);
    await expectBadInput(patch, [
      [{ fundedAmount: -1 }, 'fundedAmount'],
      [{ wireDate: '2024-13-01' }, 'wireDate'],
      [{ k1Sent: 'yes' }, 'k1Sent'],
    ]);
    const stale = await patch({ accredited: false, version: 1 }).expect(409);
    expect(stale.body).toMatchObject({
      code: 'STALE_VERSION',
      details: { currentVersion: 2, sentVersion: 1 },
    });
    const put = await t.http
      .put(`/api/lp-profiles/${lp.id}`)
      .set(member.auth)
      .set('If-Match', '"2"')
      .send({ contactId: contact.id, fundId: fundI.id, commitmentAmount: 2500 })
      .expect(200);
    expect(put.body.data).toMatchObject({
      commitmentAmount: 2500,
      fundedAmount: 0,
      accredited: false,
      version: 3,
    });
    await t.http
      .put(`/api/lp-profiles/${lp.id}`)
      .set(member.auth)
      .set('If-Match', '"1"')
      .send({ contactId: contact.id, fundId: fundI.id })
      .expect(409);
    await t.http.put(`/api/lp-profiles/${lp.id}`).set(member.auth).send({ fundId: fundI.id }).expect(400);
  });

  it('lists with the query parsed and the page shape; 400 naming a bad parameter', async () => {
    const fund = await createFund(t, manager, { name: 'List LP Fund' });
    for (const [firstName, commitmentAmount] of [
      ['Amelia', 10000000],
      ['Bruno', 2500000],
      ['Chloe', 7500000],
    ] as const) {
      const contact = await createContact(t, { firstName, lastName: 'Lp', email: `${firstName}@lp.example` });
      await create({ contactId: contact.id, fundId: fund.id, commitmentAmount });
    }
    const page = await t.http
      .get(`/api/lp-profiles?fundId=${fund.id}&sort=commitmentAmount&order=desc&limit=1&offset=1`)
      .set(member.auth)
      .expect(200);
    expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.body.data.map((lp: Lp) => lp.contact.name)).toEqual(['Chloe Lp']);
    const found = await t.http
      .get(`/api/lp-profiles?fundId=${fund.id}&search=bruno%40lp`)
      .set(member.auth)
      .expect(200);
    expect(found.body.data.map((lp: Lp) => lp.contact.name)).toEqual(['Bruno Lp']);
    for (const bad of ['fundId=x', 'contactId=1', 'sort=notes', 'order=down', 'limit=0']) {
      const res = await t.http.get(`/api/lp-profiles?${bad}`).set(member.auth).expect(400);
      expect(res.body.details[0].field).toBe(bad.split('=')[0]);
    }
  });

  it('deletes for good (managers only); 404 for unknown ids, 400 for malformed ones', async () => {
    const contact = await createContact(t, { firstName: 'Delete', lastName: 'Me' });
    const lp = await create({ contactId: contact.id, fundId: fundI.id });
    await t.http.delete(`/api/lp-profiles/${lp.id}`).set(member.auth).expect(403);
    await t.http.delete(`/api/lp-profiles/${lp.id}`).set(manager.auth).expect(204);
    await t.http.get(`/api/lp-profiles/${lp.id}`).set(member.auth).expect(404);
    await t.http.delete(`/api/lp-profiles/${lp.id}`).set(manager.auth).expect(404);
    await t.http.patch(`/api/lp-profiles/${UNKNOWN_ID}`).set(member.auth).send({ k1Sent: true }).expect(404);
    const bad = await t.http.get('/api/lp-profiles/lp-1').set(member.auth).expect(400);
    expect(bad.body.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
  });
});
