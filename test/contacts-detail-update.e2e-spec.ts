import { beforeAll, describe, expect, it } from '@jest/globals';

import { Communication, CommunicationType } from '../src/modules/communications/communication.entity.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { Fund } from '../src/modules/funds/fund.entity.js';
import { LpProfile } from '../src/modules/lp-profiles/lp-profile.entity.js';
import { Opportunity, OpportunityStage } from '../src/modules/opportunities/opportunity.entity.js';
import { Task, TaskStatus } from '../src/modules/tasks/task.entity.js';
import type { SignedInUser } from './helpers/auth.js';
import { contactsFixture, type CrmApi, listContacts, UNKNOWN_ID } from './helpers/crm.js';
import { suiteTestApp } from './helpers/test-app.js';

describe('contacts: detail, update, delete and restore', () => {
  const t = suiteTestApp();
  let member: SignedInUser;
  let manager: SignedInUser;
  let api: CrmApi;

  beforeAll(async () => {
    ({ member, manager, api } = await contactsFixture(t));
  });

  const list = (query: string, user = member) => listContacts(t, query, user);

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
