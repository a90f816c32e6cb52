import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { NotFoundError } from '../../common/errors/index.js';
import { Priority } from '../../common/entities/enums.js';
import { assignFields } from '../../common/entities/fields.js';
import { relink, relinkedId } from '../../common/entities/references.js';
import {
  activeUser,
  activeUserSql,
  liveContact,
  liveContactSql,
  liveOpportunity,
  liveOpportunitySql,
  liveOrganization,
  liveOrganizationSql,
} from '../communications/linked-records.js';
import { type AuditedChange, linkedAfter, newLinks, updateAudited } from '../audit/audited-writes.js';
import {
  type CreateTaskDto,
  type ListTasksQueryDto,
  TaskResponseDto,
  type UpdateTaskDto,
} from './dto/task.dto.js';
import { Task, TaskStatus } from './task.entity.js';
import { type TaskRow, TasksRepository } from './tasks.repository.js';

/** Fields a PUT replaces (absent ones are cleared to these) and a PATCH may set; null clears. */
export const TASK_OPTIONAL_FIELDS = { description: null, dueDate: null, priority: Priority.Medium };

export { localDay } from './tasks.repository.js';

@Injectable()
export class TasksService {
  constructor(
    private readonly em: EntityManager,
    private readonly tasks: TasksRepository,
  ) {}

  async list(query: ListTasksQueryDto, caller: AuthUser): Promise<ListResponse<TaskResponseDto>> {
    const { ids, total } = await this.tasks.page(query, caller.id);
    const rows = await this.tasks.rows(ids);
    return listResponse(rows.map(TaskResponseDto.from), total, query);
  }

  /** One task as stored now (the answer of writes too). */
  async get(id: string): Promise<TaskResponseDto> {
    const row = await this.tasks.row(id);
    if (!row) throw new NotFoundError('Task', id);
    return TaskResponseDto.from(row);
  }

  async create(dto: CreateTaskDto, caller: AuthUser): Promise<TaskResponseDto> {
    const task = this.em.create(Task, { title: dto.title, createdBy: caller.id });
    // Left out, the task is the caller's own; null leaves it unassigned.
    await this.apply(
      task,
      { ...dto, assigneeId: dto.assigneeId === undefined ? caller.id : dto.assigneeId },
      true,
    );
    await this.em.flush();
    return this.get(task.id);
  }

  replace(id: string, dto: CreateTaskDto): Promise<TaskResponseDto> {
    return this.change(id, dto, true);
  }

  update(id: string, dto: UpdateTaskDto): Promise<TaskResponseDto> {
    return this.change(id, dto, false);
  }

  /**
   * A PUT (`replaceAll`) or PATCH: one statement after the task's row is read, as a contact is changed
   * (updateAudited): the assignee, contact, organization and opportunity newly sent checked live, the fields that
   * differ set, the audit row written. The answer is the row read with the change applied.
   */
  private async change(id: string, dto: UpdateTaskDto, replaceAll: boolean): Promise<TaskResponseDto> {
    const row = await this.tasks.row(id);
    if (!row) throw new NotFoundError('Task', id);
    const before = taskProperties(row);
    const after = { ...before };
    after.assignee = relinkedId(row.assigneeId, dto.assigneeId, replaceAll);
    after.contact = relinkedId(row.contactId, dto.contactId, replaceAll);
    after.organization = relinkedId(row.organizationId, dto.organizationId, replaceAll);
    after.opportunity = relinkedId(row.opportunityId, dto.opportunityId, replaceAll);
    if (dto.title !== undefined) after.title = dto.title;
    assignFields(after, dto, TASK_OPTIONAL_FIELDS, replaceAll);
    if (replaceAll || dto.status !== undefined) setTaskStatus(after, dto.status ?? TaskStatus.Open);
    const refs = newLinks(before, after, {
      assignee: (ref) => activeUserSql(this.em, ref, 'assigneeId'),
      contact: (ref) => liveContactSql(this.em, ref, 'contactId', ['email']),
      organization: (ref) => liveOrganizationSql(this.em, ref),
      opportunity: (ref) => liveOpportunitySql(this.em, ref),
    });
    const written = await updateAudited(this.em, {
      entity: Task,
      name: 'Task',
      auditType: 'task',
      id: row.id,
      before,
      after,
      refs,
    });
    return TaskResponseDto.from(rowAfter(row, after, written));
  }

  async remove(id: string): Promise<void> {
    const task = await this.find(id);
    this.em.remove(task);
    await this.em.flush();
  }

  private async find(id: string): Promise<Task> {
    const task = await this.em.findOne(Task, id);
    if (!task) throw new NotFoundError('Task', id);
    return task;
  }

  /** On create/replace every field is set (absent = default or cleared), on patch only those sent. */
  private async apply(task: Task, dto: UpdateTaskDto, replaceAll: boolean): Promise<void> {
    const em = this.em;
    const [assignee, contact, organization, opportunity] = await Promise.all([
      relink(task.assignee, dto.assigneeId, replaceAll, (id) => activeUser(em, id, 'assigneeId')),
      relink(task.contact, dto.contactId, replaceAll, (id) => liveContact(em, id)),
      relink(task.organization, dto.organizationId, replaceAll, (id) => liveOrganization(em, id)),
      relink(task.opportunity, dto.opportunityId, replaceAll, (id) => liveOpportunity(em, id)),
    ]);
    Object.assign(task, { assignee, contact, organization, opportunity });
    if (dto.title !== undefined) task.title = dto.title;
    assignFields(task, dto, TASK_OPTIONAL_FIELDS, replaceAll);
    if (replaceAll || dto.status !== undefined) setTaskStatus(task, dto.status ?? TaskStatus.Open);
  }
}

/** Done stamps completedAt (once); reopening clears it. The database CHECK ties the two. */
export function setTaskStatus(task: Pick<Task, 'status' | 'completedAt'>, status: TaskStatus): void {
  if (status === TaskStatus.Done && (task.status !== TaskStatus.Done || !task.completedAt)) {
    task.completedAt = new Date();
  }
  if (status === TaskStatus.Open) task.completedAt = null;
  task.status = status;
}

/** The properties of a task a write may change (links as ids), as its row has them. */
function taskProperties(row: TaskRow) {
  return {
    title: row.title,
    description: row.description,
    dueDate: row.dueDate,
    status: row.status,
    priority: row.priority,
    completedAt: row.completedAt === null ? null : new Date(row.completedAt),
    assignee: row.assigneeId,
    contact: row.contactId,
    organization: row.organizationId,
    opportunity: row.opportunityId,
  };
}

/** The row of a task after a change to `after` (the row read, when nothing was written). */
function rowAfter(
  row: TaskRow,
  after: ReturnType<typeof taskProperties>,
  written: AuditedChange | undefined,
): TaskRow {
  if (!written) return row;
  const { refs } = written;
  const {
    assignee: assigneeId,
    contact: contactId,
    organization: organizationId,
    opportunity: opportunityId,
    ...fields
  } = after;
  const assignee = linkedAfter(refs, 'assignee', assigneeId, {
    id: row.assigneeId,
    username: row.assigneeUsername,
    fullName: row.assigneeFullName,
  });
  const contact = linkedAfter(refs, 'contact', contactId, {
    id: row.contactId,
    firstName: row.contactFirstName,
    lastName: row.contactLastName,
    email: row.contactEmail,
  });
  const organization = linkedAfter(refs, 'organization', organizationId, {
    id: row.organizationId,
    name: row.organizationName,
  });
  const opportunity = linkedAfter(refs, 'opportunity', opportunityId, {
    id: row.opportunityId,
    name: row.opportunityName,
  });
  const text = (record: Record<string, unknown> | null, field: string) =>
    (record?.[field] as string | undefined) ?? null;
  return {
    ...row,
    ...fields,
    completedAt: fields.completedAt?.toISOString() ?? null,
    assigneeId,
    assigneeUsername: text(assignee, 'username'),
    assigneeFullName: text(assignee, 'fullName'),
    contactId,
    contactFirstName: text(contact, 'firstName'),
    contactLastName: text(contact, 'lastName'),
    contactEmail: text(contact, 'email'),
    organizationId,
    organizationName: text(organization, 'name'),
    opportunityId,
    opportunityName: text(opportunity, 'name'),
    updatedAt: written.updatedAt.toISOString(),
  };
}
