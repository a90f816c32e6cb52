import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { Priority } from '../../src/common/entities/enums.js';
import { contactFactory } from '../../src/database/factories/index.js';
import { ListTasksQueryDto, TaskDue } from '../../src/modules/tasks/dto/task.dto.js';
import { Task, TaskStatus } from '../../src/modules/tasks/task.entity.js';
import { TasksModule } from '../../src/modules/tasks/tasks.module.js';
import { localDay, TasksService } from '../../src/modules/tasks/tasks.service.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

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
    expect(done.completedAt).toBeInstanceOf(Date);
    const again = await m.as(member, () =>
      service.update(task.id, { status: TaskStatus.Done, title: 'Wire' }),
    );
    expect(again.completedAt).toEqual(done.completedAt);
    const reopened = await m.as(member, () => service.update(task.id, { status: TaskStatus.Open }));
    expect(reopened.completedAt).toBeNull();
    const row = await m.em().findOneOrFail(Task, task.id);
    expect([row.status, row.completedAt]).toEqual([TaskStatus.Open, null]);
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
