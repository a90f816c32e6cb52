import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { NotFoundError } from '../../common/errors/index.js';
import { Priority } from '../../common/entities/enums.js';
import { assignFields } from '../../common/entities/fields.js';
import { relink } from '../../common/entities/references.js';
import {
  activeUser,
  liveContact,
  liveOpportunity,
  liveOrganization,
} from '../communications/linked-records.js';
import {
  type CreateTaskDto,
  type ListTasksQueryDto,
  TaskResponseDto,
  type UpdateTaskDto,
} from './dto/task.dto.js';
import { Task, TaskStatus } from './task.entity.js';
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

  async replace(id: string, dto: CreateTaskDto): Promise<TaskResponseDto> {
    const task = await this.find(id);
    await this.apply(task, dto, true);
    await this.em.flush();
    return this.get(id);
  }

  async update(id: string, dto: UpdateTaskDto): Promise<TaskResponseDto> {
    const task = await this.find(id);
    await this.apply(task, dto, false);
    await this.em.flush();
    return this.get(id);
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
export function setTaskStatus(task: Task, status: TaskStatus): void {
  if (status === TaskStatus.Done && (task.status !== TaskStatus.Done || !task.completedAt)) {
    task.completedAt = new Date();
  }
  if (status === TaskStatus.Open) task.completedAt = null;
  task.status = status;
}
