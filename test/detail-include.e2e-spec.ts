import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Communication, CommunicationType } from '../src/modules/communications/communication.entity.js';
import { Opportunity } from '../src/modules/opportunities/opportunity.entity.js';
import { Task } from '../src/modules/tasks/task.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { type ContactBody, CrmApi } from './helpers/crm.js';
import { defineTextFields } from './helpers/custom-fields.js';
import { type CountedTestApp, createCountedTestApp } from './helpers/counted-app.js';

/** The contact's own fields: always in the detail, whatever `include` asks for. */
const OWN = (
  'id firstName lastName email phone mobile title contactType status source notes linkedinUrl ' +
  'preferredContact version createdAt updatedAt deletedAt'
).split(' ');
/** What the detail embeds by default; `include` picks among them. */
const EMBEDS = (
  'organization owner tags customFields communications communicationsTotal ' +
  'opportunities lpProfiles tasks'
).split(' ');
const keys = (body: object): string[] => Object.keys(body).sort();
const sorted = (...lists: string[][]): string[] => lists.flat().sort();

/** The app talks to its database through the benchmark's counting proxy: statements per request are counted. */
describe('record detail: include and one statement', () => {
  let t: CountedTestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let contact: ContactBody;
  let org: { id: string; name: string };
  let deal: string;

  beforeAll(async () => {
    t = await createCountedTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    const api = new CrmApi(t, member, manager);
    await defineTextFields(t, 'contact', ['region']);
    org = await api.organization('Include Partners');
    const tag = await api.tag('Include tag');
    contact = await api.contact({
      firstName: 'Ines',
      lastName: 'Include',
      organizationId: org.id,
      ownerId: member.id,
      tagIds: [tag.id],
      customFields: { region: 'North' },
    });
    const em = t.orm.em.fork();
    const live = em.create(Opportunity, {
      name: 'Live deal',
      contact: contact.id,
      organization: org.id,
      probability: 20,
      expectedAmount: 1_250_000.5,
    });
    const gone = em.create(Opportunity, {
      name: 'Gone deal',
      contact: contact.id,
      probability: 10,
      deletedAt: new Date(),
    });
    em.create(Communication, {
      contact: contact.id,
      type: CommunicationType.Call,
      subject: 'About the live deal',
      opportunity: live,
    });
    em.create(Communication, {
      contact: contact.id,
      type: CommunicationType.Note,
      subject: 'About the gone deal',
      opportunity: gone,
    });
    em.create(Task, { title: 'Send the deck', contact: contact.id, dueDate: '2030-01-01' });
    await em.flush();
    deal = live.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  const read = async (path: string, user = member): Promise<Record<string, unknown>> =>
    (await t.http.get(path).set(user.auth).expect(200)).body.data;
  const detail = (query = '', user = member) => read(`/api/contacts/${contact.id}${query}`, user);

  /** Statements one request sends, once authentication is cached (a first request warms it). */
  const statements = async (path: string): Promise<number> => {
    await read(path);
    return t.counter.measure(() => read(path));
  };

  it('embeds everything by default, as include listing every name does', async () => {
    const all = await detail();
    expect(keys(all)).toEqual(sorted(OWN, EMBEDS));
    expect(all).toMatchObject({
      organization: { name: 'Include Partners' },
      owner: { id: member.id },
      tags: [{ name: 'Include tag' }],
      customFields: { region: 'North' },
      communicationsTotal: 1,
      opportunities: [{ name: 'Live deal', expectedAmount: 1_250_000.5 }],
      tasks: [{ title: 'Send the deck', dueDate: '2030-01-01' }],
      lpProfiles: [],
    });
    const listed = await detail(
      '?include=organization,owner,tags,customFields,communications,opportunities,lpProfiles,tasks',
    );
    expect(listed).toEqual(all);
  });

  it('embeds only the organization with include=organization, in one statement', async () => {
    const body = await detail('?include=organization');
    expect(keys(body)).toEqual(sorted(OWN, ['organization']));
    expect(body.organization).toEqual({ id: expect.any(String), name: 'Include Partners' });
    expect(body.firstName).toBe('Ines');
    expect(await statements(`/api/contacts/${contact.id}?include=organization`)).toBe(1);
    expect(await statements(`/api/contacts/${contact.id}`)).toBe(1);
  });

  it('reads a list page and its total in one or two statements', async () => {
    // The ids of the page and the total together, then the rows of those ids.
    expect(await statements('/api/contacts?limit=5')).toBe(2);
    expect(await statements('/api/organizations?limit=5&count=exact')).toBe(2);
    // The joined rows of the page, the total a column of each.
    expect(await statements('/api/opportunities?limit=5')).toBe(1);
  });

  it('embeds several (the key repeated, spaces and repeats allowed), or none with an empty include', async () => {
    const body = await detail('?include=tasks,%20communications&include=tags,tasks');
    expect(keys(body)).toEqual(sorted(OWN, ['tags', 'communications', 'communicationsTotal', 'tasks']));
    expect(body.communications).toEqual([expect.objectContaining({ subject: 'About the live deal' })]);
    expect(keys(await detail('?include='))).toEqual(sorted(OWN));
  });

  it('hides communications of a deleted opportunity unless deleted records are asked for', async () => {
    const shown = await detail('?include=communications&includeDeleted=true', manager);
    expect(shown.communicationsTotal).toBe(2);
    expect((shown.communications as { subject: string }[]).map((c) => c.subject).sort()).toEqual([
      'About the gone deal',
      'About the live deal',
    ]);
  });

  it('refuses an unknown name with a 400 naming include and the value', async () => {
    const res = await t.http
      .get(`/api/contacts/${contact.id}?include=organization,deals`)
      .set(member.auth)
      .expect(400);
    expect(res.body.details).toEqual([{ field: 'include', message: expect.stringContaining('"deals"') }]);
    expect(res.body.message).toContain('include');
  });

  describe('organization', () => {
    const OWN_ORGANIZATION = (
      'id name type industry website phone email address city state country description version ' +
      'createdAt updatedAt deletedAt'
    ).split(' ');
    const path = (query = '') => `/api/organizations/${org.id}${query}`;

    it('embeds everything by default, or only what include lists, in one statement', async () => {
      const all = await read(path());
      expect(keys(all)).toEqual(
        sorted(OWN_ORGANIZATION, ['tags', 'customFields', 'contacts', 'opportunities']),
      );
      expect(all).toMatchObject({
        contacts: [{ id: contact.id, firstName: 'Ines' }],
        opportunities: [{ name: 'Live deal', expectedAmount: 1_250_000.5, fund: null }],
      });
      expect(await read(path('?include=tags,customFields,contacts,opportunities'))).toEqual(all);
      const some = await read(path('?include=contacts'));
      expect(keys(some)).toEqual(sorted(OWN_ORGANIZATION, ['contacts']));
      expect(some.contacts).toEqual(all.contacts);
      expect(await statements(path('?include=contacts'))).toBe(1);
      expect(await statements(path())).toBe(1);
    });

    it('refuses an unknown name with a 400 naming include and the value', async () => {
      const res = await t.http.get(path('?include=deals')).set(member.auth).expect(400);
      expect(res.body.details).toEqual([{ field: 'include', message: expect.stringContaining('"deals"') }]);
    });
  });

  describe('opportunity', () => {
    const OWN_OPPORTUNITY = (
      'id name stage stageChangedAt daysInStage expectedAmount commitmentAmount currency probability ' +
      'weightedAmount expectedCloseDate description nextStep priority lostReason version createdAt updatedAt deletedAt'
    ).split(' ');
    const EMBEDS_OPPORTUNITY =
      'contact organization fund owner customFields stageHistory daysPerStage communications communicationsTotal'.split(
        ' ',
      );
    const path = (query = '') => `/api/opportunities/${deal}${query}`;

    it('embeds everything by default, or only what include lists, in one statement', async () => {
      const all = await read(path());
      expect(keys(all)).toEqual(sorted(OWN_OPPORTUNITY, EMBEDS_OPPORTUNITY));
      expect(all).toMatchObject({
        contact: { id: contact.id, name: 'Ines Include' },
        organization: { id: org.id, name: 'Include Partners' },
        communications: [
          { subject: 'About the live deal', contact: { id: contact.id, name: 'Ines Include' } },
        ],
        communicationsTotal: 1,
      });
      expect(
        await read(path('?include=contact,organization,fund,owner,customFields,stageHistory,communications')),
      ).toEqual(all);
      const some = await read(path('?include=contact,stageHistory'));
      expect(keys(some)).toEqual(sorted(OWN_OPPORTUNITY, ['contact', 'stageHistory', 'daysPerStage']));
      expect(await statements(path('?include=contact'))).toBe(1);
      expect(await statements(path())).toBe(1);
    });

    it('hides communications of a deleted contact unless deleted records are asked for', async () => {
      const gone = await new CrmApi(t, member, manager).contact({ firstName: 'Gone', lastName: 'Contact' });
      await t.http
        .post('/api/communications')
        .set(member.auth)
        .send({ type: 'call', contactId: gone.id, opportunityId: deal, subject: 'With a gone contact' })
        .expect(201);
      await t.http.delete(`/api/contacts/${gone.id}`).set(manager.auth).expect(204);
      expect(await read(path('?include=communications'))).toMatchObject({ communicationsTotal: 1 });
      const shown = await read(path('?include=communications&includeDeleted=true'), manager);
      expect(shown.communicationsTotal).toBe(2);
      expect(shown.communications).toContainEqual(
        expect.objectContaining({ subject: 'With a gone contact' }),
      );
    });

    it('refuses an unknown name with a 400 naming include and the value', async () => {
      const res = await t.http.get(path('?include=history')).set(member.auth).expect(400);
      expect(res.body.details).toEqual([{ field: 'include', message: expect.stringContaining('"history"') }]);
    });
  });
});
