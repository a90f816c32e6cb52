import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { Priority } from '../../src/common/entities/enums.js';
import {
  contactFactory,
  opportunityFactory,
  organizationFactory,
} from '../../src/database/factories/index.js';
import { ListTasksQueryDto, TaskDue } from '../../src/modules/tasks/dto/task.dto.js';
import { Task, TaskStatus } from '../../src/modules/tasks/task.entity.js';
import { TasksModule } from '../../src/modules/tasks/tasks.module.js';
import { localDay, TasksService } from '../../src/modules/tasks/tasks.service.js';
import { createMediumModule, type MediumModule, refusal, UNKNOWN_ID } from '../helpers/medium.js';

/** A timestamp as the API answers it. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('TasksService on PostgreSQL', () => {
  let m: MediumModule;
  let service: TasksService;
  let member: AuthUser;
  let other: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(TasksModule);
    service = m.module.get(TasksService);
    [member, other] = await Promise.all([m.user(Role.Member), m.user(Role.Member)]);
  });
  afterAll(() => m.close());

  const create = (body: Parameters<TasksService['create']>[0], caller = member) =>
    m.as(caller, () => service.create(body, caller));
  const listed = async (values: Partial<ListTasksQueryDto>, caller = member) =>
    (await m.as(caller, () => service.list(Object.assign(new ListTasksQueryDto(), values), caller))).data.map(
      (t) => t.title,
    );

  it('is the creator’s own unless assigned (null: unassigned), audited as the creator', async () => {
    const own = await create({ title: 'Send the deck' });
    expect(own.assignee?.id).toBe(member.id);
    expect(own.createdBy?.id).toBe(member.id);
    const unassigned = await create({ title: 'Someone should call', assigneeId: null });
    expect(unassigned.assignee).toBeNull();
    expect((await m.auditOf('task', own.id)).map((a) => [a.action, a.actorUserId])).toEqual([
      ['create', member.id],
    ]);
  });

  it('done stamps completedAt once, reopening clears it', async () => {
    const task = await create({ title: 'Wire instructions' });
    const done = await m.as(member, () => service.update(task.id, { status: TaskStatus.Done }));
    expect(done.completedAt).toMatch(ISO_TIMESTAMP);
    const again = await m.as(member, () =>
      service.update(task.id, { status: TaskStatus.Done, title: 'Wire' }),
    );
    expect(again.completedAt).toEqual(done.completedAt);
    const reopened = await m.as(member, () => service.update(task.id, { status: TaskStatus.Open }));
    expect(reopened.completedAt).toBeNull();
    const row = await m.em().findOneOrFail(Task, task.id);
    expect([row.status, row.completedAt]).toEqual([TaskStatus.Open, null]);
  });

  it('a task created done is stamped; PUT replaces (left-out fields reset), PATCH changes only what is sent', async () => {
    const createdDone = await create({ title: 'Already done', status: TaskStatus.Done });
    expect(createdDone.completedAt).toMatch(ISO_TIMESTAMP);
    const [contact, org] = await m.seed((em) => [contactFactory(em), organizationFactory(em)] as const);
    const task = await create({
      title: 'Call Mia',
      priority: Priority.High,
      dueDate: '2030-01-01',
      contactId: contact.id,
      status: TaskStatus.Done,
    });
    const put = await m.as(member, () =>
      service.replace(task.id, { title: 'Call Mia again', organizationId: org.id }),
    );
    expect(put).toMatchObject({
      title: 'Call Mia again',
      priority: 'medium',
      dueDate: null,
      status: 'open',
      completedAt: null,
      contact: null,
      assignee: null,
    });
    expect([put.organization?.id, put.createdBy?.id]).toEqual([org.id, member.id]);
    const patch = await m.as(member, () =>
      service.update(task.id, { dueDate: '2030-02-01', assigneeId: other.id, organizationId: null }),
    );
    expect(patch).toMatchObject({ title: 'Call Mia again', dueDate: '2030-02-01', organization: null });
    expect(patch.assignee?.id).toBe(other.id);
  });

  it('refuses an unknown or inactive assignee and unknown links, naming the field', async () => {
    const inactive = await m.user(Role.Member, false);
    for (const [body, field] of [
      [{ assigneeId: UNKNOWN_ID }, 'assigneeId'],
      [{ assigneeId: inactive.id }, 'assigneeId'],
      [{ contactId: UNKNOWN_ID }, 'contactId'],
      [{ organizationId: UNKNOWN_ID }, 'organizationId'],
      [{ opportunityId: UNKNOWN_ID }, 'opportunityId'],
    ] as const) {
      await expect(create({ title: 'A', ...body })).rejects.toMatchObject(refusal(field));
    }
    const task = await create({ title: 'Patch me' });
    await expect(
      m.as(member, () => service.update(task.id, { assigneeId: UNKNOWN_ID })),
    ).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'assigneeId' })],
    });
  });

  it('lists by due date with undated tasks last, and filters mine and overdue', async () => {
    const tag = `sort-${Date.now()}`;
    await create({ title: `${tag} undated` });
    await create({ title: `${tag} later`, dueDate: localDay(5) });
    await create({ title: `${tag} overdue`, dueDate: localDay(-2), priority: Priority.High });
    await create({ title: `${tag} theirs overdue`, dueDate: localDay(-1) }, other);
    expect(await listed({ search: tag })).toEqual([
      `${tag} overdue`,
      `${tag} theirs overdue`,
      `${tag} later`,
      `${tag} undated`,
    ]);
    expect(await listed({ search: tag, order: 'desc' })).toEqual([
      `${tag} later`,
      `${tag} theirs overdue`,
      `${tag} overdue`,
      `${tag} undated`,
    ]);
    expect(await listed({ search: tag, assigneeId: 'me', due: TaskDue.Overdue })).toEqual([`${tag} overdue`]);
    expect(await listed({ search: tag, assigneeId: 'me' }, other)).toEqual([`${tag} theirs overdue`]);
  });

  describe('list filters and sorts', () => {
    let owner: AuthUser;
    let links: { contact: string; org: string; deal: string };
    const mine = (values: Partial<ListTasksQueryDto> = {}) =>
      listed({ assigneeId: owner.id, ...values }, owner);

    beforeAll(async () => {
      owner = await m.user(Role.Member);
      const [contact, org, deal] = await m.seed(
        (em) => [contactFactory(em), organizationFactory(em), opportunityFactory(em)] as const,
      );
      links = { contact: contact.id, org: org.id, deal: deal.id };
      const rows: Parameters<TasksService['create']>[0][] = [
        { title: 'Overdue call', dueDate: localDay(-3), priority: Priority.High },
        { title: 'Overdue but done', dueDate: localDay(-2), status: TaskStatus.Done },
        { title: 'Due today', dueDate: localDay(0), priority: Priority.Low, organizationId: org.id },
        { title: 'Due in six days', dueDate: localDay(6), opportunityId: deal.id },
        { title: 'Due in a week', dueDate: localDay(7), priority: Priority.High },
        { title: 'No date 100%_match', contactId: contact.id },
      ];
      for (const row of rows) await create(row, owner);
    });

    it("filters by due (server's local date), status, priority, links and title (LIKE characters literal)", async () => {
      expect(await mine({ due: TaskDue.Overdue })).toEqual(['Overdue call']);
      expect(await mine({ due: TaskDue.Today })).toEqual(['Due today']);
      expect(await mine({ due: TaskDue.Week })).toEqual(['Due today', 'Due in six days']);
      expect(await mine({ status: TaskStatus.Done })).toEqual(['Overdue but done']);
      expect(await mine({ status: TaskStatus.Open })).toHaveLength(5);
      expect(await mine({ priority: Priority.High })).toEqual(['Overdue call', 'Due in a week']);
      expect(await mine({ contactId: links.contact })).toEqual(['No date 100%_match']);
      expect(await mine({ organizationId: links.org })).toEqual(['Due today']);
      expect(await mine({ opportunityId: links.deal })).toEqual(['Due in six days']);
      expect(await mine({ search: 'DUE IN' })).toEqual(['Due in six days', 'Due in a week']);
      expect(await mine({ search: '%_' })).toEqual(['No date 100%_match']);
      expect(await mine({ search: '_' })).toHaveLength(1);
    });

    it('sorts by priority (high first), title, createdAt and due date descending; pages with the total', async () => {
      expect((await mine({ sort: 'priority' })).slice(0, 2)).toEqual(['Overdue call', 'Due in a week']);
      expect((await mine({ sort: 'priority' })).at(-1)).toBe('Due today');
      expect((await mine({ sort: 'priority', order: 'asc' }))[0]).toBe('Due today');
      const byTitle = await mine({ sort: 'title' });
      expect(byTitle).toEqual([...byTitle].sort((a, b) => a.localeCompare(b, 'en')));
      expect((await mine({ sort: 'createdAt' }))[0]).toBe('No date 100%_match');
      expect(await mine({ sort: 'dueDate', order: 'desc' })).toEqual([
        'Due in a week',
        'Due in six days',
        'Due today',
        'Overdue but done',
        'Overdue call',
        'No date 100%_match',
      ]);
      const page = await m.as(owner, () =>
        service.list(
          Object.assign(new ListTasksQueryDto(), { assigneeId: owner.id, limit: 2, offset: 2 }),
          owner,
        ),
      );
      expect([page.total, page.data.map((x) => x.title)]).toEqual([6, ['Due today', 'Due in six days']]);
    });
  });

  it('refuses a deleted contact as the link, naming contactId', async () => {
    const contact = await m.seed((em) => contactFactory(em, { deletedAt: new Date() }));
    await expect(create({ title: 'Call', contactId: contact.id })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'contactId' })],
    });
  });

  it('remove deletes the row, audited', async () => {
    const task = await create({ title: 'Throwaway' });
    await m.as(member, () => service.remove(task.id));
    expect(await m.em().count(Task, { id: task.id })).toBe(0);
    expect((await m.auditOf('task', task.id)).map((a) => a.action)).toEqual(['create', 'delete']);
  });
});
