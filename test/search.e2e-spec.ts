import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Communication, CommunicationType } from '../src/modules/communications/communication.entity.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { Opportunity, OpportunityStage } from '../src/modules/opportunities/opportunity.entity.js';
import { Organization, OrganizationType } from '../src/modules/organizations/organization.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

interface Hit {
  type: string;
  id: string;
  title: string;
  subtitle: string | null;
  score: number;
}

describe('global search', () => {
  let t: TestApp;
  let member: SignedInUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    const em = t.orm.em.fork();
    const deletedAt = new Date();
    const redwood = em.create(Organization, {
      name: 'Redwood Endowment',
      type: OrganizationType.Endowment,
      city: 'Palo Alto',
      country: 'USA',
    });
    const redwoodCapital = em.create(Organization, { name: 'Redwood Capital Holdings International' });
    const goneOrg = em.create(Organization, { name: 'Redwood Trust', deletedAt });
    const dana = em.create(Contact, {
      firstName: 'Dana',
      lastName: 'Ruiz',
      title: 'CIO',
      email: 'dana@endowment.example',
      organization: redwood,
    });
    const rebecca = em.create(Contact, {
      firstName: 'Rebecca',
      lastName: 'Redwood',
      email: 'rr@mail.example',
    });
    const goneContact = em.create(Contact, { firstName: 'Old', lastName: 'Redwood', deletedAt });
    const ofGoneOrg = em.create(Contact, { firstName: 'Sam', lastName: 'Trust', organization: goneOrg });
    const deal = em.create(Opportunity, {
      name: 'Redwood — Fund II',
      organization: redwood,
      stage: OpportunityStage.DueDiligence,
      probability: 60,
    });
    const goneDeal = em.create(Opportunity, { name: 'Redwood old deal', probability: 10, deletedAt });
    const meeting = em.create(Communication, {
      type: CommunicationType.Meeting,
      contact: dana,
      opportunity: deal,
      subject: 'Quarterly meetings with Redwood',
      body: 'Reviewed the pension allocation and the side letter.',
      communicationDate: new Date('2024-03-15T15:00:00Z'),
    });
    const hidden = em.create(Communication, {
      type: CommunicationType.Call,
      contact: goneContact,
      subject: 'Redwood call nobody should find',
    });
    const hiddenByDeal = em.create(Communication, {
      type: CommunicationType.Note,
      contact: rebecca,
      opportunity: goneDeal,
      subject: 'Redwood note on a deleted deal',
    });
    await em.flush();
    Object.assign(ids, {
      redwood: redwood.id,
      redwoodCapital: redwoodCapital.id,
      goneOrg: goneOrg.id,
      dana: dana.id,
      rebecca: rebecca.id,
      goneContact: goneContact.id,
      ofGoneOrg: ofGoneOrg.id,
      deal: deal.id,
      goneDeal: goneDeal.id,
      meeting: meeting.id,
      hidden: hidden.id,
      hiddenByDeal: hiddenByDeal.id,
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const search = async (qs: string): Promise<Hit[]> =>
    (await t.http.get(`/api/search?${qs}`).set(member.auth).expect(200)).body.data;

  it('finds every kind of record, ranked by score, with titles and subtitles', async () => {
    const hits = await search('q=redwood');
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const byId = new Map(hits.map((h) => [h.id, h]));
    expect(byId.get(ids.redwood)).toMatchObject({
      type: 'organization',
      title: 'Redwood Endowment',
      subtitle: 'endowment · Palo Alto · USA',
    });
    expect(byId.get(ids.rebecca)).toMatchObject({ type: 'contact', title: 'Rebecca Redwood' });
    // Found through the organization's name.
    expect(byId.get(ids.dana)).toMatchObject({
      type: 'contact',
      title: 'Dana Ruiz',
      subtitle: 'CIO · Redwood Endowment · dana@endowment.example',
    });
    expect(byId.get(ids.dana)!.score).toBeLessThan(byId.get(ids.redwood)!.score);
    expect(byId.get(ids.deal)).toMatchObject({
      type: 'opportunity',
      title: 'Redwood — Fund II',
      subtitle: 'due diligence · Redwood Endowment',
    });
    expect(byId.get(ids.meeting)).toMatchObject({
      type: 'communication',
      title: 'Quarterly meetings with Redwood',
      subtitle: 'meeting · 2024-03-15 · Dana Ruiz · Redwood — Fund II',
    });
    for (const hit of hits) {
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThanOrEqual(1);
    }
  });

  it('excludes deleted records, and communications of deleted contacts or opportunities', async () => {
    const hits = await search('q=redwood&limit=50');
    const found = hits.map((h) => h.id);
    for (const key of ['goneOrg', 'goneContact', 'goneDeal', 'hidden', 'hiddenByDeal', 'ofGoneOrg']) {
      expect({ key, found: found.includes(ids[key]) }).toEqual({ key, found: false });
    }
    expect(await search('q=trust')).toEqual([
      expect.objectContaining({ id: ids.ofGoneOrg, type: 'contact', subtitle: null }),
    ]);
  });

  it('ranks an exact name above names that merely contain it', async () => {
    const hits = await search('q=Redwood%20Endowment');
    expect(hits[0]).toMatchObject({ id: ids.redwood, score: 1 });
    const orgs = (await search('q=redwood')).filter((h) => h.type === 'organization');
    expect(orgs.map((h) => h.id)).toEqual([ids.redwood, ids.redwoodCapital]);
  });

  it('searches communications in full text with stemming, and names despite a typo', async () => {
    expect(await search('q=meeting')).toEqual([expect.objectContaining({ id: ids.meeting })]);
    expect(await search('q=allocations')).toEqual([expect.objectContaining({ id: ids.meeting })]);
    expect(await search('q=%22side%20letter%22')).toEqual([expect.objectContaining({ id: ids.meeting })]);
    const typo = await search('q=redwod');
    expect(typo.map((h) => h.id)).toContain(ids.redwood);
    expect(typo.map((h) => h.id)).toContain(ids.rebecca);
  });

  it('matches two-letter queries at word starts, and anywhere in a word from three letters', async () => {
    expect((await search('q=ru')).map((h) => h.id)).toContain(ids.dana);
    expect((await search('q=uiz')).map((h) => h.id)).toEqual([ids.dana]);
    expect((await search('q=ENDOWMENT.EXAMPLE')).map((h) => h.id)).toContain(ids.dana);
    expect(await search('q=%25%25')).toEqual([]);
    expect(await search('q=zzzz')).toEqual([]);
  });

  it('caps the hits at limit (default 10)', async () => {
    const em = t.orm.em.fork();
    for (let i = 0; i < 12; i++) em.create(Organization, { name: `Sequoia Heritage ${i}` });
    await em.flush();
    expect(await search('q=sequoia')).toHaveLength(10);
    expect(await search('q=sequoia&limit=3')).toHaveLength(3);
    expect(await search('q=sequoia&limit=50')).toHaveLength(12);
  });

  it('refuses a missing, short or long q and a bad limit with a 400 naming the parameter', async () => {
    for (const [qs, field] of [
      ['', 'q'],
      ['q=', 'q'],
      ['q=a', 'q'],
      ['q=%20a%20', 'q'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['q=ab&limit=0', 'limit'],
      ['q=ab&limit=51', 'limit'],
      ['q=ab&limit=ten', 'limit'],
      ['q=ab&type=contact', 'type'],
    ]) {
      const res = await t.http.get(`/api/search?${qs}`).set(member.auth).expect(400);
      expect({ qs, field: res.body.details[0].field }).toEqual({ qs, field });
      expect(res.body.message).toContain(field);
    }
    await t.http.get('/api/search?q=redwood').expect(401);
  });

  it('documents the answer shape (one ranked list) in the OpenAPI document', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    const op = doc.paths['/api/search'].get;
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['limit', 'q']);
    expect(op.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/SearchResponseDto',
    );
    const hit = doc.components.schemas.SearchHitDto;
    expect(Object.keys(hit.properties).sort()).toEqual(['id', 'score', 'subtitle', 'title', 'type']);
    expect(hit.properties.type.enum).toEqual(['contact', 'organization', 'opportunity', 'communication']);
    expect(doc.paths['/api/contacts/{id}/communications'].get).toBeDefined();
    expect(doc.paths['/api/tasks/{id}'].patch).toBeDefined();
  });
});
