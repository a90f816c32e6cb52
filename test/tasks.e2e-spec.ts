import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { Opportunity } from '../src/modules/opportunities/opportunity.entity.js';
import { Organization } from '../src/modules/organizations/organization.entity.js';
import { Task } from '../src/modules/tasks/task.entity.js';
import { User } from '../src/modules/users/user.entity.js';
import { createUser, type SignedInUser, signedIn } from './helpers/auth.js';
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
      const unassigned = await create({ title: 'Anyone', assigneeId: null });
      expect(unassigned).toMatchObject({ assignee: null, priority: 'medium', dueDate: null, contact: null });
      const forManager = await create({ title: 'For the manager', assigneeId: manager.id });
      expect(forManager.assignee.id).toBe(manager.id);
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const em = t.orm.em.fork();
      const inactive = await createUser(t, Role.Member);
      await em.nativeUpdate(User, { id: inactive.id }, { isActive: false });
      const gone = em.create(Contact, { firstName: 'Gone', deletedAt: new Date() });
      await em.flush();
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
        [{ title: 'A', assigneeId: inactive.id }, 'assigneeId'],
        [{ title: 'A', contactId: UNKNOWN }, 'contactId'],
        [{ title: 'A', contactId: gone.id }, 'contactId'],
        [{ title: 'A', organizationId: UNKNOWN }, 'organizationId'],
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

    it('done sets completedAt, reopening clears it', async () => {
      const task = await create({ title: 'Wire instructions' });
      const done = await t.http
        .patch(`/api/tasks/${task.id}`)
        .set(member.auth)
        .send({ status: 'done' })
        .expect(200);
      expect(done.body.data.status).toBe('done');
      const completedAt = done.body.data.completedAt as string;
      expect(Date.now() - new Date(completedAt).getTime()).toBeLessThan(60_000);
      const again = await t.http
        .patch(`/api/tasks/${task.id}`)
        .set(member.auth)
        .send({ status: 'done', title: 'Wire instructions sent' })
        .expect(200);
      expect(again.body.data).toMatchObject({ completedAt, title: 'Wire instructions sent' });
      const reopened = await t.http
        .patch(`/api/tasks/${task.id}`)
        .set(member.auth)
        .send({ status: 'open' })
        .expect(200);
      expect(reopened.body.data).toMatchObject({ status: 'open', completedAt: null });
      const createdDone = await create({ title: 'Already done', status: 'done' });
      expect(createdDone.completedAt).not.toBeNull();
      const stored = await t.orm.em.fork().findOneOrFail(Task, createdDone.id);
      expect(stored.completedAt).toBeInstanceOf(Date);
    });

    it('PUT replaces the task, PATCH changes only what is sent', async () => {
      const task = await create({
        title: 'Call Mia',
        priority: 'high',
        dueDate: '2030-01-01',
        contactId: contact.id,
        status: 'done',
      });
      const put = await t.http
        .put(`/api/tasks/${task.id}`)
        .set(member.auth)
        .send({ title: 'Call Mia again', organizationId: org.id })
        .expect(200);
      expect(put.body.data).toMatchObject({
        title: 'Call Mia again',
        priority: 'medium',
        dueDate: null,
        status: 'open',
        completedAt: null,
        contact: null,
        assignee: null,
        organization: { id: org.id },
        createdBy: { id: member.id },
      });
      const patch = await t.http
        .patch(`/api/tasks/${task.id}`)
        .set(member.auth)
        .send({ dueDate: '2030-02-01', assigneeId: manager.id, organizationId: null })
        .expect(200);
      expect(patch.body.data).toMatchObject({
        title: 'Call Mia again',
        dueDate: '2030-02-01',
        assignee: { id: manager.id },
        organization: null,
      });
      for (const [body, field] of [
        [{ title: null }, 'title'],
        [{ status: null }, 'status'],
        [{ priority: null }, 'priority'],
        [{ assigneeId: UNKNOWN }, 'assigneeId'],
        [{ dueDate: '01/02/2030' }, 'dueDate'],
      ] as [Record<string, unknown>, string][]) {
        const res = await t.http.patch(`/api/tasks/${task.id}`).set(member.auth).send(body).expect(400);
        expect(res.body.details[0].field).toBe(field);
      }
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

  describe('lists', () => {
    let owner: SignedInUser;
    let other: SignedInUser;

    beforeAll(async () => {
      owner = await signedIn(t, Role.Member);
      other = await signedIn(t, Role.Member);
      const rows: Record<string, unknown>[] = [
        { title: 'Overdue call', dueDate: day(-3), priority: 'high' },
        { title: 'Overdue but done', dueDate: day(-2), status: 'done' },
        { title: 'Due today', dueDate: day(0), priority: 'low' },
        { title: 'Due in six days', dueDate: day(6) },
        { title: 'Due in a week', dueDate: day(7), priority: 'high' },
        { title: 'No date 100%_match', contactId: contact.id },
      ];
      for (const row of rows) await create(row, owner);
      await create({ title: 'Someone else', dueDate: day(0) }, other);
    });

    const list = async (qs: string, user: SignedInUser = owner) =>
      (await t.http.get(`/api/tasks?assigneeId=me&${qs}`).set(user.auth).expect(200)).body;

    it('lists my tasks soonest first with undated ones last, and others by assigneeId', async () => {
      const mine = await list('');
      expect(mine).toMatchObject({ total: 6, limit: 50, offset: 0 });
      expect(titles(mine)).toEqual([
        'Overdue call',
        'Overdue but done',
        'Due today',
        'Due in six days',
        'Due in a week',
        'No date 100%_match',
      ]);
      expect(mine.data[5]).toMatchObject({
        assignee: { id: owner.id },
        contact: { id: contact.id, name: 'Mia Chen' },
        organization: null,
      });
      const theirs = await t.http.get(`/api/tasks?assigneeId=${other.id}`).set(owner.auth).expect(200);
      expect(titles(theirs.body)).toEqual(['Someone else']);
    });

    it("filters by due (server's local date), status, priority, links and title", async () => {
      expect(titles(await list('due=overdue'))).toEqual(['Overdue call']);
      expect(titles(await list('due=today'))).toEqual(['Due today']);
      expect(titles(await list('due=week'))).toEqual(['Due today', 'Due in six days']);
      expect(titles(await list('status=done'))).toEqual(['Overdue but done']);
      expect((await list('status=open')).total).toBe(5);
      expect(titles(await list('priority=high'))).toEqual(['Overdue call', 'Due in a week']);
      expect(titles(await list(`contactId=${contact.id}`))).toEqual(['No date 100%_match']);
      expect(titles(await list('search=DUE IN'))).toEqual(['Due in six days', 'Due in a week']);
      expect(titles(await list('search=%25_'))).toEqual(['No date 100%_match']);
      expect((await list('search=_')).total).toBe(1);
      const byOrg = await t.http.get(`/api/tasks?organizationId=${org.id}`).set(member.auth).expect(200);
      expect(
        byOrg.body.data.every((x: { organization: { id: string } }) => x.organization.id === org.id),
      ).toBe(true);
      const byDeal = await t.http.get(`/api/tasks?opportunityId=${deal.id}`).set(member.auth).expect(200);
      expect(titles(byDeal.body)).toEqual(['Send the deck']);
    });

    it('sorts by priority (high first), title, createdAt and due date descending; pages', async () => {
      expect(titles(await list('sort=priority')).slice(0, 2)).toEqual(['Overdue call', 'Due in a week']);
      expect(titles(await list('sort=priority')).at(-1)).toBe('Due today');
      expect(titles(await list('sort=priority&order=asc'))[0]).toBe('Due today');
      const byTitle = titles(await list('sort=title'));
      expect(byTitle).toEqual([...byTitle].sort((a, b) => a.localeCompare(b, 'en')));
      expect(titles(await list('sort=createdAt'))[0]).toBe('No date 100%_match');
      expect(titles(await list('sort=dueDate&order=desc'))).toEqual([
        'Due in a week',
        'Due in six days',
        'Due today',
        'Overdue but done',
        'Overdue call',
        'No date 100%_match',
      ]);
      const page = await list('limit=2&offset=2');
      expect(page).toMatchObject({ total: 6, limit: 2, offset: 2 });
      expect(titles(page)).toEqual(['Due today', 'Due in six days']);
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
