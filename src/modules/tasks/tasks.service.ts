import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, type QueryOrderMap, QueryOrder } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import type { SortOrder } from '../../common/dto/sort.js';
import { NotFoundError } from '../../common/errors/index.js';
import { escapeLike } from '../../common/utils/sql.js';
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
  TaskDue,
  TaskResponseDto,
  type UpdateTaskDto,
} from './dto/task.dto.js';
import { Task, TaskStatus } from './task.entity.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';

/** Fields a PUT replaces (absent ones are cleared to these) and a PATCH may set; null clears. */
export const TASK_OPTIONAL_FIELDS = { description: null, dueDate: null, priority: Priority.Medium };

/** What a response needs loaded (the export reads with it too). */
export const TASK_POPULATE = ['assignee', 'contact', 'organization', 'opportunity', 'createdBy'] as const;
const POPULATE = TASK_POPULATE;

const DEFAULT_ORDER: Record<string, SortOrder> = {
  dueDate: 'asc',
  priority: 'desc',
  createdAt: 'desc',
  title: 'asc',
};

/** Undated tasks come last whichever way due dates are sorted; the id keeps pages stable on ties. */
function taskOrder(sort: string, order: SortOrder): QueryOrderMap<Task>[] {
  const dueLast = order === 'asc' ? QueryOrder.ASC_NULLS_LAST : QueryOrder.DESC_NULLS_LAST;
  switch (sort) {
    case 'priority':
      return [{ priority: order }, { dueDate: QueryOrder.ASC_NULLS_LAST }, { id: order }];
    case 'createdAt':
      return [{ createdAt: order }, { id: order }];
    case 'title':
      return [{ title: order }, { id: order }];
    default:
      return [{ dueDate: dueLast }, { priority: QueryOrder.DESC }, { id: order }];
  }
}

/** A calendar day in the server's local time zone, `days` from today, as YYYY-MM-DD. */
export function localDay(days = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

@Injectable()
export class TasksService {
  constructor(private readonly em: EntityManager) {}

  async list(query: ListTasksQueryDto, caller: AuthUser): Promise<ListResponse<TaskResponseDto>> {
    const sort = query.sort ?? 'dueDate';
    const where = () => this.listFilter(query, caller);
    const [rows, total] = await findAndCountTotal(this.em, Task, where, query, {
      populate: POPULATE,
      // Sort and cut the page on tasks alone, then load the page's people and records in one query each.
      strategy: 'select-in',
      orderBy: taskOrder(sort, query.order ?? DEFAULT_ORDER[sort]),
    });
    return listResponse(rows.map(TaskResponseDto.from), total, query);
  }

  /** The list's filters (the export takes the same); `assigneeId=me` is the caller. */
  listFilter(query: Omit<ListTasksQueryDto, 'limit' | 'offset'>, caller: AuthUser): FilterQuery<Task> {
    const conditions: FilterQuery<Task>[] = [];
    if (query.assigneeId) {
      conditions.push({ assignee: query.assigneeId === 'me' ? caller.id : query.assigneeId.toLowerCase() });
    }
    if (query.status) conditions.push({ status: query.status });
    if (query.priority) conditions.push({ priority: query.priority });
    if (query.contactId) conditions.push({ contact: query.contactId });
    if (query.organizationId) conditions.push({ organization: query.organizationId });
    if (query.opportunityId) conditions.push({ opportunity: query.opportunityId });
    if (query.search) conditions.push({ title: { $ilike: `%${escapeLike(query.search)}%` } });
    if (query.due === TaskDue.Overdue)
      conditions.push({ status: TaskStatus.Open, dueDate: { $lt: localDay() } });
    if (query.due === TaskDue.Today) conditions.push({ dueDate: localDay() });
    if (query.due === TaskDue.Week) conditions.push({ dueDate: { $gte: localDay(), $lte: localDay(6) } });
    return conditions.length ? { $and: conditions } : {};
  }

  async get(id: string): Promise<TaskResponseDto> {
    return TaskResponseDto.from(await this.find(id));
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
    const task = await this.em.findOne(Task, id, { populate: POPULATE });
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
