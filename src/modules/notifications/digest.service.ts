import { Injectable, Logger } from '@nestjs/common';

import { AppConfig } from '../../config/app-config.js';
import { AuditService } from '../audit/audit.service.js';
import type { JobResult } from '../jobs/job-runner.service.js';
import { MailService } from '../mail/mail.service.js';
import { localDay } from '../tasks/tasks.service.js';
import { buildDigest, type DigestData, digestHeadline } from './digest-content.js';
import { roundResult, skippedWithoutMail } from './mail-round.js';
import { NotificationsRepository, type Recipient } from './notifications.repository.js';

/** Items per section of a digest: a digest is a nudge, not a report. */
const SECTION_LIMIT = 50;
/** Next actions stay in the digest for this many days after their date (they have no "done" flag). */
export const NEXT_ACTION_DAYS = 7;
const HOUR_MS = 3_600_000;

/**
 * The daily digest: to each active user who takes it, a mail with their overdue and due-today tasks, the
 * next actions they logged that are due, their open deals gone quiet, and the stage moves of their deals
 * since their last digest. No mail for a user with nothing in any section.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger('Digest');

  constructor(
    private readonly config: AppConfig,
    private readonly repo: NotificationsRepository,
    private readonly mail: MailService,
    private readonly audit: AuditService,
  ) {}

  async run(now = new Date()): Promise<JobResult> {
    const skipped = skippedWithoutMail(this.mail, 'Digests');
    if (skipped) return skipped;
    const users = await this.repo.recipients('digest');
    let sent = 0;
    let nothingToSay = 0;
    const failed: { userId: string; error: string }[] = [];
    for (const user of users) {
      try {
        if (await this.sendTo(user, now)) sent += 1;
        else nothingToSay += 1;
      } catch (err) {
        this.logger.error({ err, userId: user.id }, `The digest for ${user.email} failed`);
        failed.push({ userId: user.id, error: (err as Error).message });
      }
    }
    return roundResult('digests', users.length, { recipients: users.length, sent, nothingToSay }, failed);
  }

  /** The digest data of one user (what their mail would say). */
  async collect(user: Recipient, now: Date): Promise<DigestData> {
    const today = localDay();
    const last = await this.repo.lastDigestAt(user.id);
    // Stage moves since the last digest; the first digest (or one after a long pause) looks back a day (a week).
    const since = new Date(
      Math.max(last?.getTime() ?? now.getTime() - 24 * HOUR_MS, now.getTime() - 7 * 24 * HOUR_MS),
    );
    const quietSince = new Date(now.getTime() - this.config.jobs.staleDays * 24 * HOUR_MS);
    const [overdueTasks, dueTodayTasks, nextActions, quietDeals, stageChanges] = await Promise.all([
      this.repo.openTasks(user.id, 'overdue', today, SECTION_LIMIT),
      this.repo.openTasks(user.id, 'today', today, SECTION_LIMIT),
      this.repo.nextActionsDue(user.id, localDay(-NEXT_ACTION_DAYS), today, SECTION_LIMIT),
      this.repo.quietDeals(user.id, quietSince, SECTION_LIMIT),
      this.repo.stageChanges(user.id, since, SECTION_LIMIT),
    ]);
    return {
      recipient: { fullName: user.fullName, email: user.email },
      today,
      now,
      staleDays: this.config.jobs.staleDays,
      overdueTasks,
      dueTodayTasks,
      nextActions,
      quietDeals,
      stageChanges,
    };
  }

  private async sendTo(user: Recipient, now: Date): Promise<boolean> {
    const data = await this.collect(user, now);
    const mail = buildDigest(data);
    if (!mail) return false;
    await this.mail.send({ to: user.email, ...mail });
    await this.audit.record({
      action: 'digest.sent',
      entityType: 'user',
      entityId: user.id,
      meta: { to: user.email, summary: digestHeadline(data) },
    });
    return true;
  }
}
