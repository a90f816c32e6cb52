import { JobRunStatus } from '../jobs/job-run.entity.js';
import { JobFailedError, type JobResult } from '../jobs/job-runner.service.js';
import type { MailService } from '../mail/mail.service.js';

/** A mail job's answer when no mail can be sent (`what`: "Digests", "Task reminders"), or undefined. */
export function skippedWithoutMail(mail: MailService, what: string): JobResult | undefined {
  if (mail.configured) return undefined;
  return { status: JobRunStatus.Skipped, details: { reason: mail.unconfiguredReason(what) } };
}

/**
 * The end of a round of mails: `counts` and the number failed as the run's details, or a JobFailedError with
 * every failure when any mail of the `total` failed (the others were sent: a failure does not stop the round).
 */
export function roundResult(
  what: string,
  total: number,
  counts: Record<string, number>,
  failures: Record<string, string>[],
): JobResult {
  const details = { ...counts, failed: failures.length };
  if (failures.length > 0) {
    throw new JobFailedError(`${failures.length} of ${total} ${what} failed`, { ...details, failures });
  }
  return { status: JobRunStatus.Success, details };
}
