import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';

import type { Total } from '../../common/dto/paging.dto.js';
import { readRecordRow } from '../../common/utils/record-rows.js';
import type { SortOrder } from '../../common/dto/sort.js';
import type { Priority } from '../../common/entities/enums.js';
import { escapeLike, type OrderColumn, pageOfIds, rowsInOrder } from '../../common/utils/sql.js';
import { type ListTasksQueryDto, TaskDue, type TASK_SORTS } from './dto/task.dto.js';
import { TaskStatus } from './task.entity.js';

/** One task with the names of the people and records it refers to: what every task response is built from. */
export interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  dueDate: string | null;
  status: TaskStatus;
  priority: Priority;
  assigneeId: string | null;
  assigneeUsername: string | null;
  assigneeFullName: string | null;
  contactId: string | null;
  contactFirstName: string | null;
  contactLastName: string | null;
  /** Not in the response: the export names the contact by it. */
  contactEmail: string | null;
  organizationId: string | null;
  organizationName: string | null;
  opportunityId: string | null;
  opportunityName: string | null;
  completedAt: string | null;
  createdById: string | null;
  createdByUsername: string | null;
  createdByFullName: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The columns of a TaskRow from `tasks t` with its references joined (see select). */
const TASK_COLUMNS = `t.id, t.title, t.description, t.due_date as "dueDate", t.status, t.priority,
  a.id as "assigneeId", a.username as "assigneeUsername", a.full_name as "assigneeFullName",
  c.id as "contactId", c.first_name as "contactFirstName", c.last_name as "contactLastName",
  c.email as "contactEmail", g.id as "organizationId", g.name as "organizationName",
  p.id as "opportunityId", p.name as "opportunityName", t.completed_at as "completedAt",
  b.id as "createdById", b.username as "createdByUsername", b.full_name as "createdByFullName",
  t.created_at as "createdAt", t.updated_at as "updatedAt"`;

type TaskSort = (typeof TASK_SORTS)[number];

const DEFAULT_ORDER: Record<TaskSort, SortOrder> = {
  dueDate: 'asc',
  priority: 'desc',
  createdAt: 'desc',
  title: 'asc',
};

/** Undated tasks come last whichever way due dates are sorted; the id keeps pages stable on ties. */
function taskOrder(sort: TaskSort, order: SortOrder): OrderColumn[] {
  const id: OrderColumn = { column: 't.id', order };
  switch (sort) {
    case 'priority':
      return [{ column: 't.priority', order }, { column: 't.due_date', order: 'asc', nulls: 'last' }, id];
    case 'createdAt':
      return [{ column: 't.created_at', order }, id];
    case 'title':
      return [{ column: 't.title', order }, id];
    default:
      return [{ column: 't.due_date', order, nulls: 'last' }, { column: 't.priority', order: 'desc' }, id];
  }
}

/** A calendar day in the server's local time zone, `days` from today, as YYYY-MM-DD. */
export function localDay(days = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * The task list, detail, export and the answers of writes, read as plain rows: a page is its ids (and the
 * count), then one statement for its rows with the people and records they refer to joined.
 */
@Injectable()
export class TasksRepository {
  constructor(private readonly em: EntityManager) {}

  /** Ids of one page in the asked order (each sort has its default direction) and the total. */
  page(query: ListTasksQueryDto, callerId: string): Promise<{ ids: string[]; total: Total }> {
    const sort = query.sort ?? 'dueDate';
    const order = taskOrder(sort, query.order ?? DEFAULT_ORDER[sort]);
    return pageOfIds(this.em, this.where(query, callerId), order, query, 't.id');
  }

  /** The list's filters: the matching rows of `tasks` aliased `t`; `assigneeId=me` is the caller. */
  where(query: Omit<ListTasksQueryDto, 'limit' | 'offset'>, callerId: string): Knex.QueryBuilder {
    const rows = this.em.getKnex()({ t: 'tasks' });
    if (query.assigneeId) {
      void rows.where('t.assignee_id', query.assigneeId === 'me' ? callerId : query.assigneeId.toLowerCase());
    }
    if (query.status) void rows.where('t.status', query.status);
    if (query.priority) void rows.where('t.priority', query.priority);
    if (query.contactId) void rows.where('t.contact_id', query.contactId);
    if (query.organizationId) void rows.where('t.organization_id', query.organizationId);
    if (query.opportunityId) void rows.where('t.opportunity_id', query.opportunityId);
    if (query.search) void rows.whereILike('t.title', `%${escapeLike(query.search)}%`);
    if (query.due === TaskDue.Overdue) {
      void rows.where('t.status', TaskStatus.Open).where('t.due_date', '<', localDay());
    }
    if (query.due === TaskDue.Today) void rows.where('t.due_date', localDay());
    if (query.due === TaskDue.Week) void rows.whereBetween('t.due_date', [localDay(), localDay(6)]);
    return rows;
  }

  /** One task's row, or undefined. */
  row(id: string): Promise<TaskRow | undefined> {
    // Not soft-deletable: "deleted too" is simply by id.
    return readRecordRow<TaskRow>(this.em, this.select(), 't', id, true);
  }

  /** The rows of these tasks, in the order of `ids` (one query). */
  rows(ids: string[]): Promise<TaskRow[]> {
    return rowsInOrder<TaskRow>(this.em, 'tasks', () => this.select(), 't.id', ids);
  }

  private select(): Knex.QueryBuilder {
    const knex = this.em.getKnex();
    return knex({ t: 'tasks' })
      .select(knex.raw(TASK_COLUMNS))
      .leftJoin({ a: 'users' }, 'a.id', 't.assignee_id')
      .leftJoin({ c: 'contacts' }, 'c.id', 't.contact_id')
      .leftJoin({ g: 'organizations' }, 'g.id', 't.organization_id')
      .leftJoin({ p: 'opportunities' }, 'p.id', 't.opportunity_id')
      .leftJoin({ b: 'users' }, 'b.id', 't.created_by_id');
  }
}
