import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { DigestNextAction, DigestQuietDeal, DigestStageChange, DigestTask } from './digest-content.js';
import type { DueTask } from './reminder-content.js';

export interface Recipient {
  id: string;
  email: string;
  fullName: string;
}

/** What a task, next action or deal is about, as one line: contact · organization · opportunity. */
const ABOUT = (contact: string, organization: string, opportunity: string): string =>
  `nullif(concat_ws(' · ', trim(${contact}.first_name || ' ' || ${contact}.last_name), ${organization}.name, ${opportunity}.name), '')`;

const TASK_JOINS = `left join contacts c on c.id = t.contact_id
  left join organizations org on org.id = t.organization_id
  left join opportunities o on o.id = t.opportunity_id`;

/** The reads of the digest and reminder jobs, as plain rows. */
@Injectable()
export class NotificationsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Active users who take the digest (or, with `reminders`, task reminders). */
  recipients(kind: 'digest' | 'reminders'): Promise<Recipient[]> {
    const column = kind === 'digest' ? 'digest_enabled' : 'reminders_enabled';
    return this.em
      .getConnection()
      .execute<Recipient[]>(
        `select id, email, full_name as "fullName" from users where is_active and ${column} order by username`,
      );
  }

  /** When the user's last digest was sent (each is in the audit log), or null before the first. */
  async lastDigestAt(userId: string): Promise<Date | null> {
    const [row] = await this.em.getConnection().execute<{ at: string | null }[]>(
      `select max(created_at) as at from audit_log
        where entity_type = 'user' and entity_id = ? and action = 'digest.sent'`,
      [userId],
    );
    return row?.at ? new Date(row.at) : null;
  }

  /** Open tasks of the user due before today (`overdue`) or today, oldest first. */
  async openTasks(
    userId: string,
    due: 'overdue' | 'today',
    today: string,
    limit: number,
  ): Promise<DigestTask[]> {
    return this.em.getConnection().execute<DigestTask[]>(
      `select t.id, t.title, t.due_date::text as "dueDate", t.priority, ${ABOUT('c', 'org', 'o')} as about
         from tasks t ${TASK_JOINS}
        where t.assignee_id = ? and t.status = 'open' and t.due_date ${due === 'overdue' ? '<' : '='} ?::date
        order by t.due_date, t.priority desc, t.id
        limit ?`,
      [userId, today, limit],
    );
  }

  /** Next actions the user logged, due between `from` and `today`; those of deleted records are left out. */
  async nextActionsDue(
    userId: string,
    from: string,
    today: string,
    limit: number,
  ): Promise<DigestNextAction[]> {
    return this.em.getConnection().execute<DigestNextAction[]>(
      `select m.id, m.next_action as action, m.next_action_date::text as "dueDate", m.subject,
              ${ABOUT('c', 'org', 'o')} as about
         from communications m
         left join contacts c on c.id = m.contact_id
         left join organizations org on org.id = c.organization_id
         left join opportunities o on o.id = m.opportunity_id
        where m.created_by_id = ? and m.next_action_date between ?::date and ?::date
          and m.next_action is not null and m.next_action ~ '\\S'
          and c.deleted_at is null and o.deleted_at is null
        order by m.next_action_date, m.communication_date, m.id
        limit ?`,
      [userId, from, today, limit],
    );
  }

  /**
   * The user's live open deals (not funded, not lost) with no activity since `before`: activity is a stage
   * change, or a communication about the deal or with its contact.
   */
  async quietDeals(userId: string, before: Date, limit: number): Promise<DigestQuietDeal[]> {
    const rows = await this.em.getConnection().execute<
      (Omit<DigestQuietDeal, 'lastActivityAt' | 'expectedAmount'> & {
        lastActivityAt: string;
        expectedAmount: string | null;
      })[]
    >(
      `select * from (
         select o.id, o.name, o.stage, o.expected_amount as "expectedAmount", o.currency,
                greatest(o.stage_changed_at,
                         (select max(m.communication_date) from communications m where m.opportunity_id = o.id),
                         (select max(m.communication_date) from communications m where m.contact_id = o.contact_id)
                ) as "lastActivityAt"
           from opportunities o
          where o.owner_id = ? and o.deleted_at is null and o.stage not in ('funded', 'lost')
       ) deals
       where "lastActivityAt" < ?
       order by "lastActivityAt", id
       limit ?`,
      [userId, before, limit],
    );
    return rows.map((r) => ({
      ...r,
      lastActivityAt: new Date(r.lastActivityAt),
      expectedAmount: r.expectedAmount === null ? null : Number(r.expectedAmount),
    }));
  }

  /** Stage moves of the user's live deals since `since` (the creation row, from nothing, is not a move). */
  async stageChanges(userId: string, since: Date, limit: number): Promise<DigestStageChange[]> {
    const rows = await this.em.getConnection().execute<(Omit<DigestStageChange, 'at'> & { at: string })[]>(
      `select o.name as opportunity, h.from_stage as "from", h.to_stage as "to", h.changed_at as at,
              u.full_name as by
         from opportunity_stage_history h
         join opportunities o on o.id = h.opportunity_id
         left join users u on u.id = h.changed_by_id
        where o.owner_id = ? and o.deleted_at is null and h.from_stage is not null and h.changed_at > ?
        order by h.changed_at, h.id
        limit ?`,
      [userId, since, limit],
    );
    return rows.map((r) => ({ ...r, at: new Date(r.at) }));
  }

  /**
   * Open tasks due between `from` and `today` whose assignee takes reminders and has not been reminded for
   * this due date yet.
   */
  dueTasksToRemind(
    from: string,
    today: string,
    limit: number,
  ): Promise<
    (Omit<DueTask, 'assignee'> & {
      assigneeId: string;
      email: string;
      fullName: string;
    })[]
  > {
    return this.em.getConnection().execute(
      `select t.id, t.title, t.description, t.due_date::text as "dueDate", t.priority,
              ${ABOUT('c', 'org', 'o')} as about,
              u.id as "assigneeId", u.email, u.full_name as "fullName"
         from tasks t
         join users u on u.id = t.assignee_id and u.is_active and u.reminders_enabled
         ${TASK_JOINS}
        where t.status = 'open' and t.due_date between ?::date and ?::date
          and not exists (select 1 from task_reminders r where r.task_id = t.id and r.due_date = t.due_date)
        order by t.due_date, t.id
        limit ?`,
      [from, today, limit],
    );
  }

  /** Claims the reminder of a task's due date in the caller's transaction; false when it was already sent. */
  async claimReminder(
    em: EntityManager,
    taskId: string,
    dueDate: string,
    recipient: string,
  ): Promise<boolean> {
    const rows = await em.getConnection().execute<{ id: string }[]>(
      `insert into task_reminders (task_id, due_date, recipient) values (?, ?::date, ?)
       on conflict (task_id, due_date) do nothing returning id`,
      [taskId, dueDate, recipient],
      'all',
      em.getTransactionContext(),
    );
    return rows.length > 0;
  }
}
