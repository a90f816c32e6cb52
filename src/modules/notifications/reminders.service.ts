import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import { AuditService } from '../audit/audit.service.js';
import type { JobResult } from '../jobs/job-runner.service.js';
import { MailService } from '../mail/mail.service.js';
import { localDay } from '../tasks/tasks.service.js';
import { buildReminder } from './reminder-content.js';
import { roundResult, skippedWithoutMail } from './mail-round.js';
import { NotificationsRepository } from './notifications.repository.js';

/**
 * A task overdue by more than this when first seen (say, on the first run after an upgrade, or after the app
 * was down for days) gets no reminder: the digest lists it among the overdue tasks anyway.
 */
export const REMINDER_LOOKBACK_DAYS = 7;
/** At most this many reminders per run; the rest go out on the next run. */
const BATCH = 500;

/**
 * Task reminders: a mail to the assignee when an open task falls due, once per task and due date. The claim
 * (a task_reminders row) and the mail go together: the claim commits only after the mail was accepted, so a
 * failed send is retried by the next run, and a moved due date has no claim yet, which re-arms the reminder.
 */
@Injectable()
export class RemindersService {
  private readonly logger = new Logger('Reminders');

  constructor(
    private readonly em: EntityManager,
    private readonly repo: NotificationsRepository,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async run(): Promise<JobResult> {
    const skipped = skippedWithoutMail(this.mail, 'Task reminders');
    if (skipped) return skipped;
    const today = localDay();
    const due = await this.repo.dueTasksToRemind(localDay(-REMINDER_LOOKBACK_DAYS), today, BATCH);
    let sent = 0;
    const failed: { taskId: string; error: string }[] = [];
    for (const row of due) {
      const task = { ...row, assignee: { id: row.assigneeId, email: row.email, fullName: row.fullName } };
      try {
        const claimed = await this.em.transactional(async (em) => {
          if (!(await this.repo.claimReminder(em, task.id, task.dueDate, task.assignee.email))) return false;
          this.audit.persist(em, {
            action: 'reminder.sent',
            entityType: 'task',
            entityId: task.id,
            meta: { to: task.assignee.email, dueDate: task.dueDate },
          });
          await em.flush();
          await this.mail.send(buildReminder(task, today));
          return true;
        });
        if (claimed) sent += 1;
      } catch (err) {
        this.logger.error({ err, taskId: task.id }, `The reminder of task ${task.id} failed`);
        failed.push({ taskId: task.id, error: (err as Error).message });
      }
    }
    return roundResult('reminders', due.length, { due: due.length, sent }, failed);
  }
}
