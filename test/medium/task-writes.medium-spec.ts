import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { Priority } from '../../src/common/entities/enums.js';
import { contactFactory, organizationFactory } from '../../src/database/factories/index.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Organization } from '../../src/modules/organizations/organization.entity.js';
import { Task, TaskStatus } from '../../src/modules/tasks/task.entity.js';
import { TasksModule } from '../../src/modules/tasks/tasks.module.js';
import { setTaskStatus, TasksService } from '../../src/modules/tasks/tasks.service.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

/**
 * A task's create is one statement (insertAudited), its PUT and PATCH one statement after its row is read
 * (updateAudited). The import and the back office still write tasks through the unit of work: both must answer and
 * audit alike.
 */
describe('task writes in one statement', () => {
  let m: MediumModule;
  let service: TasksService;
  let member: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(TasksModule);
    service = m.module.get(TasksService);
    member = await m.user(Role.Member);
  });
  afterAll(() => m.close());

  const as = <T>(work: () => Promise<T>) => m.as(member, work);
  const create = (title: string) => as(() => service.create({ title, dueDate: '2027-01-15' }, member));

  it('creates as the unit of work does: the answer a read gives, the same audit', async () => {
    const [contact, org] = await m.seed((em) => [contactFactory(em), organizationFactory(em)] as const);
    const body = { description: 'Before the close', dueDate: '2027-03-01', priority: Priority.High };
    const links = { contactId: contact.id, organizationId: org.id };
    const created = await as(() =>
      service.create({ title: 'Chase the side letter', ...body, ...links, status: TaskStatus.Done }, member),
    );
    expect(created).toMatchObject({
      ...body,
      status: 'done',
      assignee: { id: member.id },
      createdBy: { id: member.id, username: member.username },
      contact: { id: contact.id },
      organization: { id: org.id, name: org.name },
      opportunity: null,
    });
    expect(created.completedAt).not.toBeNull();
    expect(await as(() => service.get(created.id))).toEqual(created);

    // The same task through the unit of work, as the import creates one.
    const viaOrm = await as(async () => {
      const em = m.em();
      const task = em.create(Task, {
        title: 'Chase the side letter (ORM)',
        ...body,
        createdBy: em.getReference(User, member.id),
        assignee: em.getReference(User, member.id),
        contact: em.getReference(Contact, contact.id),
        organization: em.getReference(Organization, org.id),
        opportunity: null,
      });
      setTaskStatus(task, TaskStatus.Done);
      await em.flush();
      return task.id;
    });
    const [apiAudit, ormAudit] = await Promise.all([
      m.auditOf('task', created.id),
      m.auditOf('task', viaOrm),
    ]);
    const { title: t1, completedAt: c1, ...apiChanges } = apiAudit[0].changes ?? {};
    const { title: t2, completedAt: c2, ...ormChanges } = ormAudit[0].changes ?? {};
    expect([t1, c1, t2, c2]).not.toContain(undefined);
    expect(apiChanges).toEqual(ormChanges);
    expect(apiAudit.map((a) => [a.action, a.actorUserId, a.source])).toEqual([['create', member.id, 'api']]);
  });

  it('answers as a read does and audits as the unit of work does', async () => {
    const [contact, org] = await m.seed((em) => [contactFactory(em), organizationFactory(em)] as const);
    const assignee = await m.user(Role.Manager);
    const [api, orm] = [await create('Send the LPA'), await create('Send the PPM')];
    const change = { dueDate: '2027-02-01', priority: Priority.High, status: TaskStatus.Done };
    const links = { assigneeId: assignee.id, contactId: contact.id, organizationId: org.id };
    const patched = await as(() => service.update(api.id, { ...change, ...links }));
    expect(patched).toMatchObject({
      ...change,
      assignee: { id: assignee.id, username: assignee.username },
      contact: { id: contact.id, name: `${contact.firstName} ${contact.lastName}` },
      organization: { id: org.id, name: org.name },
      opportunity: null,
    });
    expect(patched.completedAt).not.toBeNull();
    expect(await as(() => service.get(api.id))).toEqual(patched);

    // The same change through the unit of work, as the import and the back office make it.
    await as(async () => {
      const em = m.em();
      const task = await em.findOneOrFail(Task, orm.id);
      const { status, ...fields } = change;
      Object.assign(task, {
        ...fields,
        assignee: em.getReference(User, assignee.id),
        contact: em.getReference(Contact, contact.id),
        organization: em.getReference(Organization, org.id),
      });
      setTaskStatus(task, status);
      await em.flush();
    });
    const [apiAudit, ormAudit] = await Promise.all([m.auditOf('task', api.id), m.auditOf('task', orm.id)]);
    const { completedAt: apiDone, ...apiChanges } = apiAudit[1].changes ?? {};
    const { completedAt: ormDone, ...ormChanges } = ormAudit[1].changes ?? {};
    expect(apiDone).toEqual({ from: null, to: patched.completedAt });
    expect(ormDone?.from).toBeNull();
    expect(apiChanges).toEqual(ormChanges);
    expect(apiAudit.map((a) => [a.action, a.actorUserId])).toEqual([
      ['create', member.id],
      ['update', member.id],
    ]);

    // Reopened by a PUT: completedAt cleared, the links left out cleared too.
    const reopened = await as(() => service.replace(api.id, { title: 'Send the LPA' }));
    expect(reopened).toMatchObject({ status: 'open', completedAt: null, assignee: null, contact: null });
    expect(await as(() => service.get(api.id))).toEqual(reopened);
  });

  it('refuses an inactive assignee or a deleted contact by its field, and writes nothing', async () => {
    const task = await create('Call back');
    const inactive = await m.user(Role.Member, false);
    const [gone] = await m.seed((em) => [contactFactory(em, { deletedAt: new Date() })] as const);
    await expect(as(() => service.update(task.id, { assigneeId: inactive.id }))).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'assigneeId' })],
    });
    await expect(as(() => service.update(task.id, { contactId: gone.id }))).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'contactId' })],
    });
    expect(await as(() => service.get(task.id))).toEqual(task);
    expect(await m.auditOf('task', task.id)).toHaveLength(1);
  });
});
