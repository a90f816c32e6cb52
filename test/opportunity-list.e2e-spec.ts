import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { expectNoSecrets, type SignedInUser, signedIn } from './helpers/auth.js';
import {
  createContact,
  createFund,
  createOpportunity,
  createOrganization,
  opportunityDetail,
  suffix,
} from './helpers/pipeline-fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('opportunity list', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let org: { id: string };
  let dana: { id: string };
  let owner: SignedInUser;
  let otherFund: { id: string };

  const create = (body: Record<string, unknown>) => createOpportunity(t, member, body);
  const names = (res: { body: { data: { name: string }[] } }) => res.body.data.map((o) => o.name);

  /** One opportunity outside the list fund, and five L-* ones in it (owned by `owner`), created in this order. */
  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    org = await createOrganization(t, member, 'Redwood Endowment');
    dana = await createContact(t, { firstName: 'Dana', lastName: 'Whitfield', organization: org.id });
    await create({ name: 'Redwood — Fund II', contactId: dana.id, organizationId: org.id });
    owner = await signedIn(t, Role.Member);
    otherFund = await createFund(t, manager, { name: 'List Fund' });
    const atlas = await createOrganization(t, member, 'Atlas Family Office');
    const marguerite = await createContact(t, {
      firstName: 'Marguerite',
      lastName: 'Okonkwo',
      email: 'mo@atlas.example',
      organization: atlas.id,
    });
    const base = { fundId: otherFund.id, ownerId: owner.id };
    await create({ ...base, name: 'L-Alpha', stage: 'lead', expectedAmount: 1000000, priority: 'high' });
    await create({ ...base, name: 'L-Bravo', stage: 'meeting', expectedAmount: 3000000 });
    await create({ ...base, name: 'L-Charlie', stage: 'due_diligence', expectedAmount: 2000000 });
    await create({
      ...base,
      name: 'L-Delta',
      stage: 'outreach',
      contactId: marguerite.id,
      expectedCloseDate: '2026-01-15',
    });
    await create({
      ...base,
      name: 'L-Echo',
      stage: 'committed',
      organizationId: atlas.id,
      expectedAmount: 500000,
      expectedCloseDate: '2025-12-01',
      priority: 'low',
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const list = (qs: string) =>
    t.http.get(`/api/opportunities?fundId=${otherFund.id}&${qs}`).set(member.auth).expect(200);

  it('filters by stage, owner, priority, fund, contact and organization', async () => {
    expect(names(await list('stage=meeting'))).toEqual(['L-Bravo']);
    expect((await list(`ownerId=${owner.id}`)).body.total).toBe(5);
    expect((await list(`ownerId=${member.id}`)).body.total).toBe(0);
    expect(names(await list('priority=high'))).toEqual(['L-Alpha']);
    const byContact = await t.http
      .get(`/api/opportunities?contactId=${dana.id}`)
      .set(member.auth)
      .expect(200);
    expect(names(byContact)).toEqual(['Redwood — Fund II']);
    const byOrg = await t.http
      .get(`/api/opportunities?organizationId=${org.id}`)
      .set(member.auth)
      .expect(200);
    expect(names(byOrg)).toEqual(['Redwood — Fund II']);
  });

  it('searches names, contact names and emails, and organization names, anywhere and ignoring case', async () => {
    expect(names(await list('search=l-cha'))).toEqual(['L-Charlie']);
    expect(names(await list('search=KONKW'))).toEqual(['L-Delta']);
    expect(names(await list('search=mo%40atlas'))).toEqual(['L-Delta']);
    // The opportunity's own organization (L-Delta's contact works there, but L-Delta names none).
    expect(names(await list('search=family%20off'))).toEqual(['L-Echo']);
    expect((await list('search=%25')).body.total).toBe(0);
    const anywhere = await t.http.get('/api/opportunities?search=whitfield').set(member.auth).expect(200);
    expect(names(anywhere)).toEqual(['Redwood — Fund II']);
  });

  it('search follows a renamed contact or organization and a contact moved, for deals and LP profiles', async () => {
    const fund = await createFund(t, manager, { name: `Search Fund ${suffix()}` });
    const harbor = await createOrganization(t, member, 'Harbor Trust');
    const pier = await createOrganization(t, member, 'Pier Capital');
    const ines = await createContact(t, { firstName: 'Ines', lastName: 'Quarles', organization: harbor.id });
    const deal = await create({
      fundId: fund.id,
      name: 'Re-up 2027',
      contactId: ines.id,
      organizationId: harbor.id,
    });
    await t.http
      .post('/api/lp-profiles')
      .set(member.auth)
      .send({ contactId: ines.id, fundId: fund.id })
      .expect(201);
    /** How many deals and LP profiles of the fund the term finds. */
    const found = async (term: string) => {
      const qs = `fundId=${fund.id}&search=${encodeURIComponent(term)}`;
      const [deals, lps] = await Promise.all(
        ['opportunities', 'lp-profiles'].map((path) =>
          t.http.get(`/api/${path}?${qs}`).set(member.auth).expect(200),
        ),
      );
      return [deals.body.total, lps.body.total];
    };
    const edit = (path: string, body: Record<string, unknown>) =>
      t.http.patch(`/api/${path}`).set(member.auth).send(body).expect(200);
    expect(await found('QUARLES')).toEqual([1, 1]);
    expect(await found('harbor trust')).toEqual([1, 1]);

    await edit(`contacts/${ines.id}`, { lastName: 'Marsh', email: 'ines@marsh.example' });
    expect(await found('quarles')).toEqual([0, 0]);
    expect(await found('Ines Marsh')).toEqual([1, 1]);
    expect(await found('@marsh.example')).toEqual([1, 1]);

    await edit(`organizations/${harbor.id}`, { name: 'Lighthouse Trust' });
    expect(await found('harbor')).toEqual([0, 0]);
    expect(await found('lighthouse')).toEqual([1, 1]);

    // The LP profile matches its contact's organization; the deal, the organization it names itself.
    await edit(`contacts/${ines.id}`, { organizationId: pier.id });
    expect(await found('pier capital')).toEqual([0, 1]);
    expect(await found('lighthouse')).toEqual([1, 0]);

    // Following the names is not an edit of the deal.
    const after = await opportunityDetail(t, member, deal.id);
    expect([after.version, after.updatedAt]).toEqual([deal.version, deal.updatedAt]);

    // Texts lost (rows loaded with triggers off, as the benchmark loads them) are written again in one go.
    const connection = t.orm.em.getConnection();
    await connection.execute(
      `update opportunities set search_text = ''; update lp_profiles set search_text = ''`,
    );
    expect(await found('lighthouse')).toEqual([0, 0]);
    await connection.execute('select search_texts_rebuild()');
    expect(await found('lighthouse')).toEqual([1, 0]);
    expect(await found('pier capital')).toEqual([0, 1]);
  });

  it('items carry contact, organization, fund, owner, daysInStage and weightedAmount', async () => {
    const [item] = (await list('search=L-Delta')).body.data;
    expect(item).toMatchObject({
      name: 'L-Delta',
      contact: { id: expect.any(String), name: 'Marguerite Okonkwo' },
      organization: null,
      fund: { id: otherFund.id, name: 'List Fund' },
      owner: { id: owner.id, username: owner.username, fullName: expect.any(String) },
      daysInStage: 0,
      weightedAmount: null,
    });
    const meeting = await list('stage=meeting');
    expect(meeting.body.data[0].weightedAmount).toBe(1050000);
    expectNoSecrets(meeting.body);
  });

  it('sorts: newest update first by default, stage in pipeline order, empty amounts as the smallest', async () => {
    expect(names(await list(''))).toEqual(['L-Echo', 'L-Delta', 'L-Charlie', 'L-Bravo', 'L-Alpha']);
    expect(names(await list('sort=stage'))).toEqual(['L-Alpha', 'L-Delta', 'L-Bravo', 'L-Charlie', 'L-Echo']);
    expect(names(await list('sort=stage&order=desc'))).toEqual([
      'L-Echo',
      'L-Charlie',
      'L-Bravo',
      'L-Delta',
      'L-Alpha',
    ]);
    expect(names(await list('sort=expectedAmount&order=desc'))).toEqual([
      'L-Bravo',
      'L-Charlie',
      'L-Alpha',
      'L-Echo',
      'L-Delta',
    ]);
    // No amount counts as the smallest; no close date as the latest.
    expect(names(await list('sort=expectedAmount'))).toEqual([
      'L-Delta',
      'L-Echo',
      'L-Alpha',
      'L-Charlie',
      'L-Bravo',
    ]);
    expect(names(await list('sort=expectedCloseDate')).slice(0, 2)).toEqual(['L-Echo', 'L-Delta']);
    expect(names(await list('sort=expectedCloseDate&order=desc')).slice(3)).toEqual(['L-Delta', 'L-Echo']);
    expect(names(await list('sort=probability&order=desc'))[0]).toBe('L-Echo');
    expect(names(await list('sort=name&order=desc'))).toEqual([
      'L-Echo',
      'L-Delta',
      'L-Charlie',
      'L-Bravo',
      'L-Alpha',
    ]);
    expect(names(await list('sort=createdAt'))).toEqual([
      'L-Alpha',
      'L-Bravo',
      'L-Charlie',
      'L-Delta',
      'L-Echo',
    ]);
  });

  it('pages with limit and offset, and refuses bad query parameters', async () => {
    const page = await list('sort=name&limit=2&offset=2');
    expect(page.body).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(names(page)).toEqual(['L-Charlie', 'L-Delta']);
    for (const bad of [
      'stage=won',
      'priority=urgent',
      'ownerId=me',
      'fundId=1',
      'contactId=x',
      'organizationId=y',
      'sort=lostReason',
      'order=random',
      'limit=201',
      'includeDeleted=yes',
    ]) {
      const res = await t.http.get(`/api/opportunities?${bad}`).set(member.auth).expect(400);
      expect(res.body.details[0].field).toBe(bad.split('=')[0]);
    }
  });
});
