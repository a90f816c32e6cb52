import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { NotFoundError } from '../../common/errors/index.js';
import { Priority } from '../../common/entities/enums.js';
import { assignFields, fieldValues } from '../../common/entities/fields.js';
import { relinkedId } from '../../common/entities/references.js';
import {
  activeUserSql,
  liveContactSql,
  liveOpportunitySql,
  liveOrganizationSql,
  userRefSql,
} from '../communications/linked-records.js';
import { type AuditedRefs, insertAudited, newLinks, updateAudited } from '../audit/audited-writes.js';
import type { UserRefDto } from '../../common/dto/refs.dto.js';
import {
  type CreateTaskDto,
  type ListTasksQueryDto,
  TaskResponseDto,
  type UpdateTaskDto,
} from './dto/task.dto.js';
import { Task, TaskStatus } from './task.entity.js';
import { rowAfter, rowOf, type TaskProperties, taskProperties } from './task-properties.js';
import { TasksRepository } from './tasks.repository.js';

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

  /**
   * One statement (insertAudited): the assignee (the caller, unless sent), contact, organization and opportunity
   * checked live, the task and its audit row inserted, the names the answer shows read.
   */
  async create(dto: CreateTaskDto, caller: AuthUser): Promise<TaskResponseDto> {
    const values: TaskProperties = {
      title: dto.title,
      ...(fieldValues(Task, dto, TASK_OPTIONAL_FIELDS) as Pick<
        TaskProperties,
        keyof typeof TASK_OPTIONAL_FIELDS
      >),
      status: TaskStatus.Open,
      completedAt: null,
      // Left out, the task is the caller's own; null leaves it unassigned.
      assignee: relinkedId(null, dto.assigneeId === undefined ? caller.id : dto.assigneeId, true),
      contact: relinkedId(null, dto.contactId, true),
      organization: relinkedId(null, dto.organizationId, true),
      opportunity: relinkedId(null, dto.opportunityId, true),
    };
    setTaskStatus(values, dto.status ?? TaskStatus.Open);
    const unlinked = { ...values, assignee: null, contact: null, organization: null, opportunity: null };
    const { record, refs } = await insertAudited(this.em, {
      entity: Task,
      auditType: 'task',
      values: { ...values, createdBy: caller.id },
      refs: { ...this.linkChecks(unlinked, values), createdBy: userRefSql(this.em, caller.id) },
    });
    const author = refs.createdBy as UserRefDto | null;
    const base = {
      id: record.id,
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
      createdById: author?.id ?? null,
      createdByUsername: author?.username ?? null,
      createdByFullName: author?.fullName ?? null,
    };
    return TaskResponseDto.from(rowOf(base, values, refs));
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
    const written = await updateAudited(this.em, {
      entity: Task,
      name: 'Task',
      auditType: 'task',
      id: row.id,
      before,
      after,
      refs: this.linkChecks(before, after),
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

  /** The records `after` links to that `before` did not, read by the write's statement, in the order of their 400s. */
  private linkChecks(before: TaskProperties, after: TaskProperties): AuditedRefs {
    return newLinks(before, after, {
      assignee: (ref) => activeUserSql(this.em, ref, 'assigneeId'),
      contact: (ref) => liveContactSql(this.em, ref, 'contactId', ['email']),
      organization: (ref) => liveOrganizationSql(this.em, ref),
      opportunity: (ref) => liveOpportunitySql(this.em, ref),
    });
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
