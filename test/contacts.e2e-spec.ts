import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Communication, CommunicationType } from '../src/modules/communications/communication.entity.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { Fund } from '../src/modules/funds/fund.entity.js';
import { LpProfile } from '../src/modules/lp-profiles/lp-profile.entity.js';
import { Opportunity, OpportunityStage } from '../src/modules/opportunities/opportunity.entity.js';
import { Task, TaskStatus } from '../src/modules/tasks/task.entity.js';
import { User } from '../src/modules/users/user.entity.js';
import { createUser, type SignedInUser, signedIn } from './helpers/auth.js';
import { type ContactBody, CrmApi, UNKNOWN_ID } from './helpers/crm.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { defineTextFields } from './helpers/custom-fields.js';

describe('contacts', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let api: CrmApi;

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    api = new CrmApi(t, member, manager);
    await defineTextFields(t, 'contact', ['region', 'tier']);
  });

  afterAll(async () => {
    await t.close();
  });

  const list = async (query: string, user = member): Promise<{ data: ContactBody[]; total: number }> =>
    (await t.http.get(`/api/contacts?${query}`).set(user.auth).expect(200)).body;

  describe('create and validation', () => {
    it('creates with defaults, trims text, and answers references and version 1', async () => {
      const org = await api.organization('Redwood Endowment');
      const tag = await api.tag('High Priority');
      const contact = await api.contact({
        firstName: '  Dana ',
        lastName: 'Ruiz',
        email: 'Dana.Ruiz@Redwood.example',
        title: ' ',
        organizationId: org.id,
        ownerId: member.id,
        tagIds: [tag.id],
        linkedinUrl: 'https://www.linkedin.com/in/dana-ruiz',
        preferredContact: 'email',
        customFields: { region: 'West' },
      });
      expect(contact).toMatchObject({
        firstName: 'Dana',
        lastName: 'Ruiz',
        email: 'Dana.Ruiz@Redwood.example',
        title: null,
        organization: { id: org.id, name: 'Redwood Endowment' },
        owner: { id: member.id, username: member.username, fullName: expect.any(String) },
        tags: [{ id: tag.id, name: 'High Priority', color: '#64748b' }],
        contactType: 'prospect',
        status: 'active',
        preferredContact: 'email',
        customFields: { region: 'West' },
        version: 1,
        deletedAt: null,
      });
      const minimal = await api.contact({ firstName: 'Solo' });
      expect(minimal).toMatchObject({ lastName: '', email: null, organization: null, owner: null, tags: [] });
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const org = await api.organization('Gone Org');
      await t.http.delete(`/api/organizations/${org.id}`).set(manager.auth).expect(204);
      const inactive = await createUser(t, Role.Member);
      const em = t.orm.em.fork();
      await em.nativeUpdate(User, { id: inactive.id }, { isActive: false });
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'firstName'],
        [{ firstName: '   ' }, 'firstName'],
        [{ firstName: 123 }, 'firstName'],
        [{ firstName: 'x'.repeat(101) }, 'firstName'],
        [{ firstName: 'A', lastName: 'x'.repeat(101) }, 'lastName'],
        [{ firstName: 'A', title: 'x'.repeat(151) }, 'title'],
        [{ firstName: 'A', notes: 'x'.repeat(20001) }, 'notes'],
        [{ firstName: 'A', email: 'not-an-email' }, 'email'],
        [{ firstName: 'A', contactType: 'vip' }, 'contactType'],
        [{ firstName: 'A', status: 'asleep' }, 'status'],
        [{ firstName: 'A', preferredContact: 'pigeon' }, 'preferredContact'],
        [{ firstName: 'A', organizationId: 'nope' }, 'organizationId'],
        [{ firstName: 'A', organizationId: UNKNOWN_ID }, 'organizationId'],
        [{ firstName: 'A', email: 'checked-first@x.example', organizationId: UNKNOWN_ID }, 'organizationId'],
        [{ firstName: 'A', organizationId: org.id }, 'organizationId'],
        [{ firstName: 'A', ownerId: '123' }, 'ownerId'],
        [{ firstName: 'A', ownerId: UNKNOWN_ID }, 'ownerId'],
        [{ firstName: 'A', ownerId: inactive.id }, 'ownerId'],
        [{ firstName: 'A', tagIds: ['nope'] }, 'tagIds'],
        [{ firstName: 'A', tagIds: [UNKNOWN_ID] }, 'tagIds'],
        [{ firstName: 'A', tagIds: 'x' }, 'tagIds'],
        [{ firstName: 'A', linkedinUrl: 'javascript:alert(1)' }, 'linkedinUrl'],
        [{ firstName: 'A', linkedinUrl: 'https://linkedin.evil.example/in/a' }, 'linkedinUrl'],
        [{ firstName: 'A', customFields: 'x' }, 'customFields'],
        [{ firstName: 'A', favouriteColour: 'blue' }, 'favouriteColour'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http.post('/api/contacts').set(member.auth).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
        expect(res.body.message).toContain(field);
      }
      expect(await t.orm.em.fork().count(Contact, { firstName: 'A' })).toBe(0);
    });

    it('refuses an email a live contact already has, ignoring case, naming that contact', async () => {
      const first = await api.contact({ firstName: 'Lee', email: 'lee@atlas.example' });
      for (const email of ['lee@atlas.example', 'LEE@Atlas.Example']) {
        const res = await t.http
          .post('/api/contacts')
          .set(member.auth)
          .send({ firstName: 'Other', email })
          .expect(409);
        expect(res.body).toMatchObject({
          code: 'DUPLICATE_EMAIL',
          details: [{ field: 'email', contactId: first.id }],
        });
        expect(res.body.message).toContain('email');
      }
      const second = await api.contact({ firstName: 'Second', email: 'second@atlas.example' });
      const patch = await t.http
        .patch(`/api/contacts/${second.id}`)
        .set(member.auth)
        .send({ email: 'Lee@atlas.example' })
        .expect(409);
      expect(patch.body.details[0].contactId).toBe(first.id);
      // Changing only the case of one's own email is fine.
      await t.http
        .patch(`/api/contacts/${first.id}`)
        .set(member.auth)
        .send({ email: 'LEE@atlas.example' })
        .expect(200);
      // A deleted contact's email is free again.
      await t.http.delete(`/api/contacts/${first.id}`).set(manager.auth).expect(204);
      await api.contact({ firstName: 'Lee', lastName: 'Again', email: 'lee@atlas.example' });
    });

    it('lets exactly one of several simultaneous creates with the same email win (database net)', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          t.http
            .post('/api/contacts')
            .set(member.auth)
            .send({ firstName: `Racer${i}`, email: 'race@x.example' }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body).toMatchObject({ code: 'DUPLICATE_EMAIL', details: [{ field: 'email' }] });
      }
    });
  });

  describe('list', () => {
    // Which contacts a filter, search or sort selects is ContactsService's (test/medium/contacts.medium-spec.ts);
    // here the query string reaches it and the page comes back in the list shape.
    it('parses filters, search, sort and paging, and answers the list shape', async () => {
      const org = await api.organization('Filter Capital');
      const tag = await api.tag('Fund I LP');
      const a = await api.contact({
        firstName: 'Ann',
        lastName: 'Filter',
        email: 'ann@filter.example',
        organizationId: org.id,
        contactType: 'investor',
        tagIds: [tag.id],
        ownerId: manager.id,
      });
      const b = await api.contact({
        firstName: 'Bob',
        lastName: 'Filter',
        organizationId: org.id,
        status: 'inactive',
      });
      const item = (await list(`tag=${tag.id}&type=investor&ownerId=${manager.id}&search=ANN%40FILTER`)).data;
      expect(item.map((c) => c.id)).toEqual([a.id]);
      expect(item[0]).toMatchObject({
        organization: { id: org.id, name: 'Filter Capital' },
        owner: { id: manager.id, username: manager.username },
        tags: [{ id: tag.id, name: 'Fund I LP' }],
        customFields: {},
        version: 1,
        deletedAt: null,
      });
      const page = await t.http
        .get(
          `/api/contacts?organizationId=${org.id}&status=inactive&sort=firstName&order=desc&limit=1&offset=0`,
        )
        .set(member.auth)
        .expect(200);
      expect(page.body).toMatchObject({ total: 1, limit: 1, offset: 0 });
      expect(page.body.data.map((c: ContactBody) => c.id)).toEqual([b.id]);
    });

    it('refuses bad query parameters with a 400 naming them', async () => {
      for (const bad of [
        'sort=password',
        'sort=organization',
        'order=sideways',
        'limit=201',
        'limit=0',
        'offset=-1',
        'type=vip',
        'status=gone',
        'organizationId=abc',
        'tag=abc',
        'ownerId=abc',
        'includeDeleted=maybe',
        `search=${'x'.repeat(201)}`,
        'colour=blue',
      ]) {
        const res = await t.http.get(`/api/contacts?${bad}`).set(member.auth);
        expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
        expect(res.body.details[0].field).toBe(bad.split('=')[0]);
      }
    });
  });

  describe('detail', () => {
    it('shows recent communications, live opportunities, LP profiles and tasks', async () => {
      const contact = await api.contact({ firstName: 'Priya', lastName: 'Detail' });
      const other = await api.contact({ firstName: 'Other', lastName: 'Person' });
      const em = t.orm.em.fork();
      const fund = em.create(Fund, { name: 'Detail Fund I' });
      const opp = em.create(Opportunity, {
        name: 'Priya Fund I',
        contact: contact.id,
        fund,
        stage: OpportunityStage.Meeting,
        probability: 35,
        expectedAmount: 2_000_000,
      });
      em.create(Opportunity, {
        name: 'Deleted deal',
        contact: contact.id,
        probability: 10,
        deletedAt: new Date(),
      });
      const start = Date.UTC(2024, 0, 1);
      for (let i = 0; i < 53; i++) {
        em.create(Communication, {
          contact: contact.id,
          type: CommunicationType.Call,
          subject: `Call ${i}`,
          communicationDate: new Date(start + i * 86_400_000),
          opportunity: i === 52 ? opp : null,
        });
      }
      em.create(Communication, { contact: other.id, type: CommunicationType.Note, subject: 'Not hers' });
      em.create(LpProfile, {
        contact: contact.id,
        fund,
        commitmentAmount: 5_000_000,
        fundedAmount: 2_500_000.5,
        legalDocsSigned: true,
        wireReceived: false,
        k1Sent: true,
      });
      em.create(Task, {
        title: 'Done long ago',
        contact: contact.id,
        status: TaskStatus.Done,
        completedAt: new Date(),
        dueDate: '2024-01-01',
      });
      em.create(Task, { title: 'Later', contact: contact.id, dueDate: '2030-05-01' });
      em.create(Task, { title: 'Soon', contact: contact.id, dueDate: '2030-01-01' });
      em.create(Task, { title: 'Someday', contact: contact.id });
      await em.flush();

      const { body } = await t.http.get(`/api/contacts/${contact.id}`).set(member.auth).expect(200);
      const detail = body.data;
      expect(detail).toMatchObject({ id: contact.id, firstName: 'Priya', communicationsTotal: 53 });
      expect(detail.communications).toHaveLength(50);
      expect(detail.communications[0]).toMatchObject({
        subject: 'Call 52',
        type: 'call',
        opportunity: { id: opp.id, name: 'Priya Fund I' },
        createdBy: null,
      });
      expect(detail.communications[49].subject).toBe('Call 3');
      expect(detail.opportunities).toEqual([
        expect.objectContaining({
          id: opp.id,
          stage: 'meeting',
          probability: 35,
          expectedAmount: 2_000_000,
          fund: { id: fund.id, name: 'Detail Fund I' },
        }),
      ]);
      expect(detail.lpProfiles).toEqual([
        expect.objectContaining({
          fund: { id: fund.id, name: 'Detail Fund I' },
          commitmentAmount: 5_000_000,
          fundedAmount: 2_500_000.5,
          legalDocsSigned: true,
          wireReceived: false,
          k1Sent: true,
        }),
      ]);
      expect(detail.tasks.map((x: { title: string }) => x.title)).toEqual([
        'Soon',
        'Later',
        'Someday',
        'Done long ago',
      ]);
    });

    it('answers 404 for unknown or deleted ids and 400 for malformed ones; managers may include deleted', async () => {
      await t.http.get(`/api/contacts/${UNKNOWN_ID}`).set(member.auth).expect(404);
      const bad = await t.http.get('/api/contacts/123').set(member.auth).expect(400);
      expect(bad.body.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
      const contact = await api.contact({ firstName: 'Hidden' });
      await t.http.delete(`/api/contacts/${contact.id}`).set(manager.auth).expect(204);
      await t.http.get(`/api/contacts/${contact.id}`).set(manager.auth).expect(404);
      await t.http.get(`/api/contacts/${contact.id}?includeDeleted=true`).set(member.auth).expect(403);
      const found = await t.http
        .get(`/api/contacts/${contact.id}?includeDeleted=true`)
        .set(manager.auth)
        .expect(200);
      expect(found.body.data).toMatchObject({ id: contact.id, deletedAt: expect.any(String) });
      for (const method of ['put', 'patch'] as const) {
        await t.http[method](`/api/contacts/${UNKNOWN_ID}`)
          .set(member.auth)
          .send({ firstName: 'X' })
          .expect(404);
      }
      await t.http.delete(`/api/contacts/${UNKNOWN_ID}`).set(manager.auth).expect(404);
      await t.http.post(`/api/contacts/${UNKNOWN_ID}/restore`).set(manager.auth).expect(404);
    });
  });

  describe('update', () => {
    it('PUT replaces the whole record, PATCH only what is sent; null clears', async () => {
      const org = await api.organization('Cascade Wealth');
      const tag = await api.tag('Re-up Target');
      const contact = await api.contact({
        firstName: 'Omar',
        lastName: 'Haddad',
        email: 'omar@cascade.example',
        phone: '+1 555 0100',
        organizationId: org.id,
        ownerId: member.id,
        tagIds: [tag.id],
        contactType: 'investor',
      });
      const put = await t.http
        .put(`/api/contacts/${contact.id}`)
        .set(member.auth)
        .send({ firstName: 'Omar', title: 'Partner' })
        .expect(200);
      expect(put.body.data).toMatchObject({
        firstName: 'Omar',
        lastName: '',
        email: null,
        phone: null,
        title: 'Partner',
        organization: null,
        owner: null,
        tags: [],
        contactType: 'prospect',
        version: 2,
      });
      const patch = await t.http
        .patch(`/api/contacts/${contact.id}`)
        .set(member.auth)
        .send({ lastName: 'Haddad', organizationId: org.id, tagIds: [tag.id], title: null })
        .expect(200);
      expect(patch.body.data).toMatchObject({
        firstName: 'Omar',
        lastName: 'Haddad',
        title: null,
        organization: { id: org.id },
        tags: [{ id: tag.id }],
        version: 3,
      });
      for (const body of [
        { firstName: null },
        { firstName: '' },
        { organizationId: UNKNOWN_ID },
        { version: 0 },
      ]) {
        const res = await t.http.patch(`/api/contacts/${contact.id}`).set(member.auth).send(body).expect(400);
        expect(res.body.details[0].field).toBe(Object.keys(body)[0]);
      }
      const putWithout = await t.http
        .put(`/api/contacts/${contact.id}`)
        .set(member.auth)
        .send({})
        .expect(400);
      expect(putWithout.body.details[0].field).toBe('firstName');
    });

    it('refuses a stale version with 409 and the current version (body or If-Match)', async () => {
      const contact = await api.contact({ firstName: 'Versioned' });
      await t.http
        .patch(`/api/contacts/${contact.id}`)
        .set(member.auth)
        .send({ title: 'One', version: 1 })
        .expect(200);
      const stale = await t.http
        .patch(`/api/contacts/${contact.id}`)
        .set(member.auth)
        .send({ title: 'Two', version: 1 })
        .expect(409);
      expect(stale.body).toMatchObject({
        code: 'STALE_VERSION',
        details: { currentVersion: 2, sentVersion: 1 },
      });
      await t.http
        .put(`/api/contacts/${contact.id}`)
        .set(member.auth)
        .set('If-Match', '"1"')
        .send({ firstName: 'Versioned' })
        .expect(409);
      await t.http
        .patch(`/api/contacts/${contact.id}`)
        .set(member.auth)
        .set('If-Match', 'W/"2"')
        .send({ title: 'Two' })
        .expect(200);
      const stored = await t.orm.em.fork().findOneOrFail(Contact, contact.id);
      expect(stored).toMatchObject({ title: 'Two', version: 3 });
      // A change of the tags alone is a change too: the version moves, a stale one is refused.
      const tag = await api.tag('Versioned tag');
      const tagged = await t.http
        .patch(`/api/contacts/${contact.id}`)
        .set(member.auth)
        .send({ tagIds: [tag.id], version: 3 })
        .expect(200);
      expect(tagged.body.data.version).toBe(4);
      await t.http
        .patch(`/api/contacts/${contact.id}`)
        .set(member.auth)
        .send({ tagIds: [], version: 3 })
        .expect(409);
    });
  });

  describe('delete and restore', () => {
    it('managers delete softly, lists hide it, includeDeleted shows it to managers, restore brings it back', async () => {
      const contact = await api.contact({
        firstName: 'Softly',
        lastName: 'Deleted',
        email: 'soft@x.example',
      });
      await t.http.delete(`/api/contacts/${contact.id}`).set(member.auth).expect(403);
      await t.http.delete(`/api/contacts/${contact.id}`).set(manager.auth).expect(204);
      await t.http.delete(`/api/contacts/${contact.id}`).set(manager.auth).expect(404);
      expect((await list('search=softly')).total).toBe(0);
      await t.http.get('/api/contacts?search=softly&includeDeleted=true').set(member.auth).expect(403);
      const shown = await list('search=softly&includeDeleted=true', manager);
      expect(shown.data).toEqual([
        expect.objectContaining({ id: contact.id, deletedAt: expect.any(String) }),
      ]);
      const stored = await t.orm.em.fork().findOneOrFail(Contact, contact.id);
      expect(stored.deletedBy?.id).toBe(manager.id);
      await t.http.patch(`/api/contacts/${contact.id}`).set(member.auth).send({ title: 'x' }).expect(404);

      await t.http.post(`/api/contacts/${contact.id}/restore`).set(member.auth).expect(403);
      const restored = await t.http.post(`/api/contacts/${contact.id}/restore`).set(manager.auth).expect(200);
      expect(restored.body.data).toMatchObject({ id: contact.id, deletedAt: null });
      expect((await list('search=softly')).total).toBe(1);
    });

    it('refuses to restore a contact whose email a live contact has taken meanwhile', async () => {
      const first = await api.contact({ firstName: 'First', email: 'taken@x.example' });
      await t.http.delete(`/api/contacts/${first.id}`).set(manager.auth).expect(204);
      const second = await api.contact({ firstName: 'Second', email: 'TAKEN@x.example' });
      const res = await t.http.post(`/api/contacts/${first.id}/restore`).set(manager.auth).expect(409);
      expect(res.body).toMatchObject({
        code: 'DUPLICATE_EMAIL',
        details: [{ field: 'email', contactId: second.id }],
      });
      const stored = await t.orm.em.fork().findOneOrFail(Contact, first.id);
      expect(stored.deletedAt).not.toBeNull();
    });
  });
});
