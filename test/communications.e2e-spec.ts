import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Communication } from '../src/modules/communications/communication.entity.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { Opportunity } from '../src/modules/opportunities/opportunity.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

interface Item {
  id: string;
  subject: string | null;
  type: string;
  communicationDate: string;
}

describe('communications', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let dana: Contact;
  let lee: Contact;
  let deal: Opportunity;

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    const em = t.orm.em.fork();
    dana = em.create(Contact, { firstName: 'Dana', lastName: 'Ruiz', email: 'dana@redwood.example' });
    lee = em.create(Contact, { firstName: 'Lee', lastName: 'Park' });
    deal = em.create(Opportunity, { name: 'Redwood — Fund II', contact: dana, probability: 10 });
    await em.flush();
  });

  afterAll(async () => {
    await t.close();
  });

  const create = async (body: Record<string, unknown>, user: SignedInUser = member) =>
    (await t.http.post('/api/communications').set(user.auth).send(body).expect(201)).body.data;

  const subjects = (body: { data: Item[] }) => body.data.map((c) => c.subject);

  describe('create, read, update, delete', () => {
    it('logs a communication with its links, author and defaults', async () => {
      const before = Date.now();
      const created = await create({
        type: 'call',
        contactId: dana.id,
        subject: ' Intro call ',
        body: 'Talked about Fund II',
        durationMinutes: 30,
        nextAction: 'Send deck',
        nextActionDate: '2030-01-15',
        attendees: ['Dana Ruiz', ' grant@fund.example '],
      });
      expect(created).toMatchObject({
        type: 'call',
        subject: 'Intro call',
        body: 'Talked about Fund II',
        durationMinutes: 30,
        outcome: null,
        nextAction: 'Send deck',
        nextActionDate: '2030-01-15',
        attendees: ['Dana Ruiz', 'grant@fund.example'],
        contact: { id: dana.id, name: 'Dana Ruiz' },
        opportunity: null,
        createdBy: { id: member.id, username: member.username, fullName: expect.any(String) },
      });
      expect(new Date(created.communicationDate).getTime()).toBeGreaterThanOrEqual(before - 1000);
      const read = await t.http.get(`/api/communications/${created.id}`).set(member.auth).expect(200);
      expect(read.body.data).toEqual(created);
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ contactId: dana.id }, 'type'],
        [{ type: 'fax', contactId: dana.id }, 'type'],
        [{ type: 'call' }, 'contactId'],
        [{ type: 'call', contactId: 'nope' }, 'contactId'],
        [{ type: 'call', contactId: UNKNOWN }, 'contactId'],
        [{ type: 'call', contactId: dana.id, durationMinutes: -5 }, 'durationMinutes'],
        [{ type: 'call', contactId: dana.id, durationMinutes: 1441 }, 'durationMinutes'],
        [{ type: 'call', contactId: dana.id, durationMinutes: 1.5 }, 'durationMinutes'],
        [{ type: 'call', contactId: dana.id, communicationDate: 'yesterday' }, 'communicationDate'],
        [
          { type: 'call', contactId: dana.id, communicationDate: '2024-02-30T10:00:00Z' },
          'communicationDate',
        ],
        [{ type: 'call', contactId: dana.id, communicationDate: null }, 'communicationDate'],
        [{ type: 'call', contactId: dana.id, nextActionDate: '2024-13-01' }, 'nextActionDate'],
        [{ type: 'call', contactId: dana.id, nextActionDate: '15/03/2024' }, 'nextActionDate'],
        [{ type: 'call', contactId: dana.id, attendees: 'Dana' }, 'attendees'],
        [{ type: 'call', contactId: dana.id, attendees: [42] }, 'attendees'],
        [{ type: 'call', contactId: dana.id, attendees: ['Dana', '  '] }, 'attendees'],
        [{ type: 'call', contactId: dana.id, attendees: ['x'.repeat(201)] }, 'attendees'],
        [{ type: 'call', contactId: dana.id, attendees: Array(51).fill('x') }, 'attendees'],
        [{ type: 'call', contactId: dana.id, subject: 'x'.repeat(301) }, 'subject'],
        [{ type: 'call', contactId: dana.id, createdById: member.id }, 'createdById'],
        [{ type: 'call', contactId: dana.id, mood: 'great' }, 'mood'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http.post('/api/communications').set(member.auth).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
        expect(res.body.message).toContain(field);
      }
    });

    it('PUT and PATCH answer the record; 400 naming the field, 404 for an unknown id', async () => {
      const c = await create({ type: 'email', contactId: dana.id, subject: 'Deck', outcome: 'Sent' });
      const put = await t.http
        .put(`/api/communications/${c.id}`)
        .set(member.auth)
        .send({ type: 'call', contactId: lee.id, subject: 'Follow-up call' })
        .expect(200);
      expect(put.body.data).toMatchObject({ type: 'call', outcome: null, contact: { id: lee.id } });
      const patch = await t.http
        .patch(`/api/communications/${c.id}`)
        .set(manager.auth)
        .send({
          outcome: 'Interested',
          opportunityId: deal.id,
          communicationDate: '2024-03-16T09:30:00+01:00',
        })
        .expect(200);
      expect(patch.body.data).toMatchObject({
        subject: 'Follow-up call',
        outcome: 'Interested',
        opportunity: { id: deal.id },
        communicationDate: '2024-03-16T08:30:00.000Z',
        createdBy: { id: member.id },
      });
      const unlinked = await t.http
        .patch(`/api/communications/${c.id}`)
        .set(member.auth)
        .send({ contactId: null, opportunityId: null })
        .expect(400);
      expect(unlinked.body.details.map((d: { field: string }) => d.field)).toEqual([
        'contactId',
        'opportunityId',
      ]);
      const badType = await t.http
        .patch(`/api/communications/${c.id}`)
        .set(member.auth)
        .send({ type: null })
        .expect(400);
      expect(badType.body.details[0].field).toBe('type');
      const missingType = await t.http
        .put(`/api/communications/${c.id}`)
        .set(member.auth)
        .send({ contactId: dana.id })
        .expect(400);
      expect(missingType.body.details[0].field).toBe('type');
      await t.http
        .patch(`/api/communications/${UNKNOWN}`)
        .set(member.auth)
        .send({ outcome: 'x' })
        .expect(404);
    });

    it('only managers delete, and deleting removes the row', async () => {
      const c = await create({ type: 'text', contactId: lee.id, subject: 'Quick text' });
      await t.http.delete(`/api/communications/${c.id}`).set(member.auth).expect(403);
      await t.http.delete(`/api/communications/${c.id}`).set(manager.auth).expect(204);
      await t.http.get(`/api/communications/${c.id}`).set(manager.auth).expect(404);
      expect(await t.orm.em.fork().findOne(Communication, c.id)).toBeNull();
      await t.http.delete(`/api/communications/${c.id}`).set(manager.auth).expect(404);
    });

    it('answers 404 for unknown ids and 400 for malformed ones', async () => {
      await t.http.get(`/api/communications/${UNKNOWN}`).set(member.auth).expect(404);
      const bad = await t.http.get('/api/communications/123').set(member.auth).expect(400);
      expect(bad.body.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    });
  });

  describe('lists', () => {
    let ana: Contact;
    let annaDeal: Opportunity;

    beforeAll(async () => {
      const em = t.orm.em.fork();
      ana = em.create(Contact, { firstName: 'Ana', lastName: 'Lima' });
      annaDeal = em.create(Opportunity, { name: 'Lima deal', probability: 10 });
      await em.flush();
      const rows: Record<string, unknown>[] = [
        {
          type: 'meeting',
          contactId: ana.id,
          subject: 'Quarterly meetings recap',
          communicationDate: '2024-01-10T15:00:00Z',
        },
        {
          type: 'call',
          contactId: ana.id,
          subject: 'Allocation call',
          body: 'Discussed the pension allocation',
          communicationDate: '2024-02-05T09:00:00Z',
        },
        {
          type: 'email',
          contactId: ana.id,
          opportunityId: annaDeal.id,
          subject: 'Subscription documents',
          communicationDate: '2024-03-01T11:00:00Z',
        },
        {
          type: 'note',
          contactId: ana.id,
          subject: 'Board meeting notes',
          body: 'They met their board',
          communicationDate: '2024-03-20T18:00:00Z',
        },
      ];
      for (const row of rows) await create(row, manager);
    });

    const list = async (qs: string, user: SignedInUser = member) =>
      (await t.http.get(`/api/communications?contactId=${ana.id}&${qs}`).set(user.auth).expect(200)).body;

    // Which communications a filter, search or sort selects is the service's
    // (test/medium/communications.medium-spec.ts); here the query string reaches it and the page comes back.
    it('parses filters, full-text search, date range, sort and paging, and answers the list shape', async () => {
      const all = await list('');
      expect(all).toMatchObject({ total: 4, limit: 50, offset: 0 });
      expect(all.data[1]).toMatchObject({
        subject: 'Subscription documents',
        contact: { id: ana.id, name: 'Ana Lima' },
        opportunity: { id: annaDeal.id, name: 'Lima deal' },
        createdBy: { id: manager.id },
        attendees: [],
      });
      expect(subjects(await list(`type=call&createdById=${manager.id}`))).toEqual(['Allocation call']);
      expect(subjects(await list('search="subscription documents"'))).toEqual(['Subscription documents']);
      expect(subjects(await list('from=2024-02-01&to=2024-03-01T11:00:00Z'))).toEqual([
        'Subscription documents',
        'Allocation call',
      ]);
      const page = await list('sort=communicationDate&order=asc&limit=2&offset=1');
      expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
      expect(subjects(page)).toEqual(['Allocation call', 'Subscription documents']);
      const byDeal = await t.http
        .get(`/api/communications?opportunityId=${annaDeal.id}`)
        .set(member.auth)
        .expect(200);
      expect(subjects(byDeal.body)).toEqual(['Subscription documents']);
    });

    it('refuses bad filters with a 400 naming the parameter', async () => {
      for (const bad of [
        'type=fax',
        'contactId=abc',
        'opportunityId=abc',
        'createdById=abc',
        'from=2024-02-30',
        'to=last-week',
        'from=2024-03-02&to=2024-03-01',
        'sort=body',
        'order=newest',
        'limit=500',
        'includeDeleted=yes',
        'colour=red',
      ]) {
        const res = await t.http.get(`/api/communications?${bad}`).set(member.auth).expect(400);
        expect({ bad, field: res.body.details[0].field }).toEqual({ bad, field: bad.split('=')[0] });
      }
    });

    it("lists one contact's communications at /contacts/:id/communications", async () => {
      const res = await t.http
        .get(`/api/contacts/${ana.id}/communications?limit=2`)
        .set(member.auth)
        .expect(200);
      expect(res.body).toMatchObject({ total: 4, limit: 2, offset: 0 });
      expect(subjects(res.body)).toEqual(['Board meeting notes', 'Subscription documents']);
      expect(res.body.data[0].contact).toEqual({ id: ana.id, name: 'Ana Lima' });
      const filtered = await t.http
        .get(`/api/contacts/${ana.id}/communications?search=meetings&from=2024-02-01&type=note`)
        .set(member.auth)
        .expect(200);
      expect(subjects(filtered.body)).toEqual(['Board meeting notes']);
      await t.http.get(`/api/contacts/${UNKNOWN}/communications`).set(member.auth).expect(404);
      const bad = await t.http.get('/api/contacts/xyz/communications').set(member.auth).expect(400);
      expect(bad.body.details[0].field).toBe('id');
      const badFilter = await t.http
        .get(`/api/contacts/${ana.id}/communications?contactId=${ana.id}`)
        .set(member.auth)
        .expect(400);
      expect(badFilter.body.details[0].field).toBe('contactId');
    });

    it('answers 404 for a communication of a deleted contact; includeDeleted is for managers (403 otherwise)', async () => {
      // Which reads hide what is the service's (medium) and every place's (visibility.e2e-spec.ts).
      const em = t.orm.em.fork();
      const temp = em.create(Contact, { firstName: 'Temp', lastName: 'Person' });
      await em.flush();
      const c = await create({ type: 'call', contactId: temp.id, subject: 'Soon hidden' });
      await em.nativeUpdate(Contact, { id: temp.id }, { deletedAt: new Date() });
      await t.http.get(`/api/communications/${c.id}`).set(member.auth).expect(404);
      await t.http.get(`/api/communications/${c.id}?includeDeleted=true`).set(member.auth).expect(403);
      await t.http.get(`/api/communications/${c.id}?includeDeleted=true`).set(manager.auth).expect(200);
      await t.http.get(`/api/communications?includeDeleted=true`).set(member.auth).expect(403);
      const shown = await t.http
        .get(`/api/communications?contactId=${temp.id}&includeDeleted=true`)
        .set(manager.auth)
        .expect(200);
      expect(subjects(shown.body)).toEqual(['Soon hidden']);
      await t.http.get(`/api/contacts/${temp.id}/communications`).set(manager.auth).expect(404);
      await t.http
        .get(`/api/contacts/${temp.id}/communications?includeDeleted=true`)
        .set(member.auth)
        .expect(403);
      const timeline = await t.http
        .get(`/api/contacts/${temp.id}/communications?includeDeleted=true`)
        .set(manager.auth)
        .expect(200);
      expect(timeline.body.total).toBe(1);
    });
  });
});
