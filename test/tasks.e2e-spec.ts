import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { Opportunity } from '../src/modules/opportunities/opportunity.entity.js';
import { Organization } from '../src/modules/organizations/organization.entity.js';
import { Task } from '../src/modules/tasks/task.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** The server's local calendar day `days` from today (the due filters use the server's local date). */
function day(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

interface Item {
  id: string;
  title: string;
}

describe('tasks', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let contact: Contact;
  let org: Organization;
  let deal: Opportunity;

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    const em = t.orm.em.fork();
    org = em.create(Organization, { name: 'Atlas Family Office' });
    contact = em.create(Contact, { firstName: 'Mia', lastName: 'Chen', organization: org });
    deal = em.create(Opportunity, { name: 'Atlas — Fund II', organization: org, probability: 10 });
    await em.flush();
  });

  afterAll(async () => {
    await t.close();
  });

  const create = async (body: Record<string, unknown>, user: SignedInUser = member) =>
    (await t.http.post('/api/tasks').set(user.auth).send(body).expect(201)).body.data;
  const titles = (body: { data: Item[] }) => body.data.map((x) => x.title);

  describe('create, read, update, delete', () => {
    it('creates a task linked to records, assigned to the caller by default', async () => {
      const task = await create({
        title: ' Send the deck ',
        description: 'Fund II deck v3',
        dueDate: '2030-05-01',
        priority: 'high',
        contactId: contact.id,
        organizationId: org.id,
        opportunityId: deal.id,
      });
      expect(task).toMatchObject({
        title: 'Send the deck',
        description: 'Fund II deck v3',
        dueDate: '2030-05-01',
        status: 'open',
        priority: 'high',
        completedAt: null,
        assignee: { id: member.id, username: member.username },
        createdBy: { id: member.id },
        contact: { id: contact.id, name: 'Mia Chen' },
        organization: { id: org.id, name: 'Atlas Family Office' },
        opportunity: { id: deal.id, name: 'Atlas — Fund II' },
      });
      const read = await t.http.get(`/api/tasks/${task.id}`).set(member.auth).expect(200);
      expect(read.body.data).toEqual(task);
    });

    it('refuses bad input with a 400 naming the field', async () => {
      // Field syntax (the validation pipe), and one rule of the service's (links are checked in the medium tests).
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'title'],
        [{ title: '  ' }, 'title'],
        [{ title: 'x'.repeat(301) }, 'title'],
        [{ title: 'A', status: 'closed' }, 'status'],
        [{ title: 'A', priority: 'urgent' }, 'priority'],
        [{ title: 'A', dueDate: 'tomorrow' }, 'dueDate'],
        [{ title: 'A', dueDate: '2024-02-30' }, 'dueDate'],
        [{ title: 'A', assigneeId: 'bob' }, 'assigneeId'],
        [{ title: 'A', assigneeId: UNKNOWN }, 'assigneeId'],
        [{ title: 'A', opportunityId: '123' }, 'opportunityId'],
        [{ title: 'A', completedAt: new Date().toISOString() }, 'completedAt'],
        [{ title: 'A', createdById: member.id }, 'createdById'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http.post('/api/tasks').set(member.auth).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
        expect(res.body.message).toContain(field);
      }
    });

    it('PUT and PATCH answer the task; 400 naming the field, 404 for an unknown id', async () => {
      const task = await create({ title: 'Call Mia', priority: 'high' });
      const put = await t.http
        .put(`/api/tasks/${task.id}`)
        .set(member.auth)
        .send({ title: 'Call Mia again', organizationId: org.id })
        .expect(200);
      expect(put.body.data).toMatchObject({
        title: 'Call Mia again',
        priority: 'medium',
        organization: { id: org.id },
      });
      const patch = await t.http
        .patch(`/api/tasks/${task.id}`)
        .set(member.auth)
        .send({ status: 'done', assigneeId: manager.id })
        .expect(200);
      expect(patch.body.data).toMatchObject({
        title: 'Call Mia again',
        status: 'done',
        assignee: { id: manager.id },
      });
      for (const [body, field] of [
        [{ title: null }, 'title'],
        [{ status: null }, 'status'],
        [{ priority: null }, 'priority'],
        [{ dueDate: '01/02/2030' }, 'dueDate'],
      ] as [Record<string, unknown>, string][]) {
        const res = await t.http.patch(`/api/tasks/${task.id}`).set(member.auth).send(body).expect(400);
        expect(res.body.details[0].field).toBe(field);
      }
      await t.http.put(`/api/tasks/${task.id}`).set(member.auth).send({}).expect(400);
      await t.http.patch(`/api/tasks/${UNKNOWN}`).set(member.auth).send({ title: 'x' }).expect(404);
      await t.http.put(`/api/tasks/${UNKNOWN}`).set(member.auth).send({ title: 'x' }).expect(404);
    });

    it('only managers delete; 404 and 400 for unknown and malformed ids', async () => {
      const task = await create({ title: 'Temporary' });
      await t.http.delete(`/api/tasks/${task.id}`).set(member.auth).expect(403);
      await t.http.delete(`/api/tasks/${task.id}`).set(manager.auth).expect(204);
      await t.http.get(`/api/tasks/${task.id}`).set(member.auth).expect(404);
      expect(await t.orm.em.fork().findOne(Task, task.id)).toBeNull();
      await t.http.delete(`/api/tasks/${UNKNOWN}`).set(manager.auth).expect(404);
      const bad = await t.http.get('/api/tasks/42').set(member.auth).expect(400);
      expect(bad.body.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    });
  });

  // Which tasks a filter or sort selects is the service's (test/medium/tasks.medium-spec.ts); here the query
  // string reaches it and the page comes back in the list shape.
  describe('lists', () => {
    let owner: SignedInUser;

    beforeAll(async () => {
      owner = await signedIn(t, Role.Member);
      await create({ title: 'Overdue call', dueDate: day(-3), priority: 'high' }, owner);
      await create({ title: 'Due today', dueDate: day(0), priority: 'low' }, owner);
      await create({ title: 'Due in six days', dueDate: day(6), contactId: contact.id }, owner);
      await create({ title: 'No date 100%_match' }, owner);
    });

    it('parses assigneeId=me, filters, sort and paging, and answers the list shape', async () => {
      const mine = await t.http.get('/api/tasks?assigneeId=me').set(owner.auth).expect(200);
      expect(mine.body).toMatchObject({ total: 4, limit: 50, offset: 0 });
      expect(titles(mine.body)).toEqual([
        'Overdue call',
        'Due today',
        'Due in six days',
        'No date 100%_match',
      ]);
      expect(mine.body.data[2]).toMatchObject({
        assignee: { id: owner.id },
        contact: { id: contact.id, name: 'Mia Chen' },
        organization: null,
      });
      const filtered = await t.http
        .get(`/api/tasks?assigneeId=${owner.id}&due=week&status=open&priority=low&search=DUE`)
        .set(member.auth)
        .expect(200);
      expect(titles(filtered.body)).toEqual(['Due today']);
      const literal = await t.http.get('/api/tasks?assigneeId=me&search=%25_').set(owner.auth).expect(200);
      expect(titles(literal.body)).toEqual(['No date 100%_match']);
      const page = await t.http
        .get('/api/tasks?assigneeId=me&sort=dueDate&order=desc&limit=2&offset=1')
        .set(owner.auth)
        .expect(200);
      expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 1 });
      expect(titles(page.body)).toEqual(['Due today', 'Overdue call']);
    });

    it('refuses bad filters with a 400 naming the parameter', async () => {
      for (const bad of [
        'assigneeId=you',
        'status=closed',
        'due=tomorrow',
        'priority=urgent',
        'contactId=1',
        'organizationId=1',
        'opportunityId=1',
        'sort=description',
        'order=up',
        'limit=0',
        'colour=red',
      ]) {
        const res = await t.http.get(`/api/tasks?${bad}`).set(member.auth).expect(400);
        expect({ bad, field: res.body.details[0].field }).toEqual({ bad, field: bad.split('=')[0] });
      }
    });
  });
});
