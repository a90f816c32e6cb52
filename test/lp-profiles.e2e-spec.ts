import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Contact, ContactType } from '../src/modules/contacts/contact.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import {
  createContact,
  createFund,
  createOrganization,
  expectBadInput,
  UNKNOWN_ID,
} from './helpers/pipeline-fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { defineTextFields } from './helpers/custom-fields.js';

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
  let fundII: { id: string; name: string };

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    fundI = await createFund(t, manager, { name: 'Fund I' });
    fundII = await createFund(t, manager, { name: 'Fund II' });
    await defineTextFields(t, 'lp_profile', ['region']);
  });

  afterAll(async () => {
    await t.close();
  });

  const create = async (body: Record<string, unknown>): Promise<Lp> => {
    const res = await t.http.post('/api/lp-profiles').set(member.auth).send(body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
    return res.body.data as Lp;
  };
  const contactType = async (id: string) => (await t.orm.em.fork().findOneOrFail(Contact, id)).contactType;

  it('creates a profile with defaults and makes the contact an investor', async () => {
    const org = await createOrganization(t, member, 'Blue Harbor Foundation');
    const contact = await createContact(t, {
      firstName: 'Priya',
      lastName: 'Raman',
      email: 'priya@blueharbor.example',
      organization: org.id,
    });
    expect(await contactType(contact.id)).toBe(ContactType.Prospect);
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
    expect(await contactType(contact.id)).toBe(ContactType.Investor);
    const read = await t.http.get(`/api/lp-profiles/${lp.id}`).set(member.auth).expect(200);
    expect(read.body.data).toEqual(lp);
  });

  it('keeps one profile per contact per fund: 409 LP_PROFILE_EXISTS, also when racing', async () => {
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
    // Another fund is fine.
    await create({ contactId: contact.id, fundId: fundII.id });

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
    const gone = await createContact(t, { firstName: 'Deleted', deletedAt: new Date() });
    const ok = { contactId: contact.id, fundId: fundI.id };
    await expectBadInput(
      (body) => t.http.post('/api/lp-profiles').set(member.auth).send(body),
      [
        [{ fundId: fundI.id }, 'contactId'],
        [{ contactId: contact.id }, 'fundId'],
        [{ ...ok, contactId: 'priya' }, 'contactId'],
        [{ ...ok, contactId: UNKNOWN_ID }, 'contactId'],
        [{ ...ok, contactId: gone.id }, 'contactId'],
        [{ ...ok, fundId: UNKNOWN_ID }, 'fundId'],
        [{ ...ok, commitmentAmount: 100, fundedAmount: 150 }, 'fundedAmount'],
        [{ ...ok, fundedAmount: 1 }, 'fundedAmount'],
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
    expect(await contactType(contact.id)).toBe(ContactType.Prospect);
  });

  it('checks funded ≤ committed on the values a PATCH or PUT results in', async () => {
    const contact = await createContact(t, { firstName: 'Funded', lastName: 'Check' });
    const lp = await create({
      contactId: contact.id,
      fundId: fundI.id,
      commitmentAmount: 1000,
      fundedAmount: 400,
    });
    const patch = (body: Record<string, unknown>) =>
      t.http.patch(`/api/lp-profiles/${lp.id}`).set(member.auth).send(body);
    const over = await patch({ fundedAmount: 1000.01 }).expect(400);
    expect(over.body.details).toEqual([
      { field: 'fundedAmount', message: 'must not exceed commitmentAmount (1000.01 > 1000)' },
    ]);
    const shrink = await patch({ commitmentAmount: 300 }).expect(400);
    expect(shrink.body.details[0].field).toBe('fundedAmount');
    const both = await patch({
      commitmentAmount: 300,
      fundedAmount: 300,
      wireReceived: true,
      wireDate: '2024-03-15',
    });
    expect(both.status).toBe(200);
    expect(both.body.data).toMatchObject({
      commitmentAmount: 300,
      fundedAmount: 300,
      wireReceived: true,
      wireDate: '2024-03-15',
      version: 2,
    });
    await expectBadInput(patch, [
      [{ fundedAmount: -1 }, 'fundedAmount'],
      [{ wireDate: '2024-13-01' }, 'wireDate'],
      [{ k1Sent: 'yes' }, 'k1Sent'],
    ]);
  });

  it('PUT replaces the profile (left-out fields cleared), PATCH changes only what is sent', async () => {
    const contact = await createContact(t, { firstName: 'Replace', lastName: 'Me' });
    const lp = await create({
      contactId: contact.id,
      fundId: fundI.id,
      commitmentAmount: 2000000,
      fundedAmount: 1000000,
      commitmentDate: '2019-05-01',
      investorType: 'family_office',
      accredited: true,
      legalDocsSigned: true,
      signedDate: '2019-04-20',
      preferredCommunication: 'email',
      notes: 'Prefers quarterly calls',
      customFields: { region: 'EMEA' },
    });
    const patched = await t.http
      .patch(`/api/lp-profiles/${lp.id}`)
      .set(member.auth)
      .send({ k1Sent: true, notes: null })
      .expect(200);
    expect(patched.body.data).toMatchObject({
      k1Sent: true,
      notes: null,
      accredited: true,
      investorType: 'family_office',
      commitmentDate: '2019-05-01',
      customFields: { region: 'EMEA' },
    });
    const put = await t.http
      .put(`/api/lp-profiles/${lp.id}`)
      .set(member.auth)
      .send({ contactId: contact.id, fundId: fundI.id, commitmentAmount: 2500000 })
      .expect(200);
    expect(put.body.data).toMatchObject({
      commitmentAmount: 2500000,
      fundedAmount: 0,
      commitmentDate: null,
      investorType: null,
      accredited: false,
      legalDocsSigned: false,
      signedDate: null,
      k1Sent: false,
      preferredCommunication: null,
      customFields: {},
      version: 3,
    });
    await t.http.put(`/api/lp-profiles/${lp.id}`).set(member.auth).send({ fundId: fundI.id }).expect(400);
  });

  it('moves a profile to another contact or fund with the same checks as on create', async () => {
    const [from, to] = await Promise.all([
      createContact(t, { firstName: 'Move', lastName: 'From' }),
      createContact(t, { firstName: 'Move', lastName: 'To' }),
    ]);
    const lp = await create({ contactId: from.id, fundId: fundI.id });
    await create({ contactId: to.id, fundId: fundII.id });
    const moved = await t.http
      .patch(`/api/lp-profiles/${lp.id}`)
      .set(member.auth)
      .send({ contactId: to.id })
      .expect(200);
    expect(moved.body.data.contact).toMatchObject({ id: to.id, name: 'Move To' });
    const clash = await t.http
      .patch(`/api/lp-profiles/${lp.id}`)
      .set(member.auth)
      .send({ fundId: fundII.id })
      .expect(409);
    expect(clash.body.code).toBe('LP_PROFILE_EXISTS');
    await t.http.patch(`/api/lp-profiles/${lp.id}`).set(member.auth).send({ fundId: UNKNOWN_ID }).expect(400);
  });

  it('refuses a stale version with 409 (body or If-Match)', async () => {
    const contact = await createContact(t, { firstName: 'Stale', lastName: 'Version' });
    const lp = await create({ contactId: contact.id, fundId: fundI.id });
    await t.http
      .patch(`/api/lp-profiles/${lp.id}`)
      .set(member.auth)
      .send({ accredited: true, version: 1 })
      .expect(200);
    const stale = await t.http
      .patch(`/api/lp-profiles/${lp.id}`)
      .set(member.auth)
      .send({ accredited: false, version: 1 })
      .expect(409);
    expect(stale.body).toMatchObject({
      code: 'STALE_VERSION',
      details: { currentVersion: 2, sentVersion: 1 },
    });
    await t.http
      .put(`/api/lp-profiles/${lp.id}`)
      .set(member.auth)
      .set('If-Match', '"1"')
      .send({ contactId: contact.id, fundId: fundI.id })
      .expect(409);
  });

  describe('list', () => {
    let fund: { id: string };

    beforeAll(async () => {
      fund = await createFund(t, manager, { name: 'List LP Fund' });
      const pension = await createOrganization(t, member, 'Northeast Pension Fund');
      const rows: [string, string, string | undefined, number, number, string | undefined][] = [
        ['Amelia', 'Stone', pension.id, 10000000, 5000000, '2024-03-01'],
        ['Bruno', 'Keller', undefined, 2500000, 2500000, '2023-11-15'],
        ['Chloe', 'Nakamura', undefined, 7500000, 0, undefined],
      ];
      for (const [
        firstName,
        lastName,
        organization,
        commitmentAmount,
        fundedAmount,
        commitmentDate,
      ] of rows) {
        const contact = await createContact(t, {
          firstName,
          lastName,
          email: `${firstName.toLowerCase()}@lp.example`,
          organization,
        });
        await create({
          contactId: contact.id,
          fundId: fund.id,
          commitmentAmount,
          fundedAmount,
          commitmentDate,
        });
      }
    });

    const list = (qs: string) =>
      t.http.get(`/api/lp-profiles?fundId=${fund.id}&${qs}`).set(member.auth).expect(200);
    const who = (res: { body: { data: Lp[] } }) => res.body.data.map((lp) => lp.contact.name);

    it('lists a fund’s profiles, largest commitment first by default, and sorts on the whitelisted fields', async () => {
      expect(who(await list(''))).toEqual(['Amelia Stone', 'Chloe Nakamura', 'Bruno Keller']);
      expect(who(await list('sort=commitmentAmount'))).toEqual([
        'Bruno Keller',
        'Chloe Nakamura',
        'Amelia Stone',
      ]);
      expect(who(await list('sort=fundedAmount&order=desc'))).toEqual([
        'Amelia Stone',
        'Bruno Keller',
        'Chloe Nakamura',
      ]);
      expect(who(await list('sort=commitmentDate'))).toEqual([
        'Bruno Keller',
        'Amelia Stone',
        'Chloe Nakamura',
      ]);
      // A profile without a commitment date sorts as the latest.
      expect(who(await list('sort=commitmentDate&order=desc'))).toEqual([
        'Chloe Nakamura',
        'Amelia Stone',
        'Bruno Keller',
      ]);
      expect(who(await list('sort=createdAt'))).toEqual(['Amelia Stone', 'Bruno Keller', 'Chloe Nakamura']);
    });

    it('searches the contact’s name, email and organization; filters by contact; pages', async () => {
      expect(who(await list('search=NAKAM'))).toEqual(['Chloe Nakamura']);
      expect(who(await list('search=bruno%40lp'))).toEqual(['Bruno Keller']);
      expect(who(await list('search=east%20pension'))).toEqual(['Amelia Stone']);
      expect((await list('search=_')).body.total).toBe(0);
      const [first] = (await list('search=amelia')).body.data;
      expect(who(await list(`contactId=${first.contact.id}`))).toEqual(['Amelia Stone']);
      const everywhere = await t.http.get(`/api/lp-profiles?contactId=${first.contact.id}`).set(member.auth);
      expect(everywhere.body.total).toBe(1);
      const page = await list('limit=1&offset=1');
      expect(page.body).toMatchObject({ total: 3, limit: 1, offset: 1 });
      expect(who(page)).toEqual(['Chloe Nakamura']);
      for (const bad of ['fundId=x', 'contactId=1', 'sort=notes', 'order=down', 'limit=0']) {
        const res = await t.http.get(`/api/lp-profiles?${bad}`).set(member.auth).expect(400);
        expect(res.body.details[0].field).toBe(bad.split('=')[0]);
      }
    });
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
    // The contact stays an investor: it was one.
    expect(await contactType(contact.id)).toBe(ContactType.Investor);
  });
});
