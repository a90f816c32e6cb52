import { randomUUID } from 'node:crypto';

import { Check, Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** The scheduled jobs. Each runs under its own PostgreSQL advisory lock, on one instance at a time. */
export enum JobName {
  Backup = 'backup',
  Digest = 'digest',
  Reminders = 'reminders',
}

export enum JobRunStatus {
  Running = 'running',
  Success = 'success',
  Failed = 'failed',
  /** Not run: another run of the job held the lock, or there was nothing it could do (no mail configured). */
  Skipped = 'skipped',
  /** Its process stopped before it finished (found by the next run of the job). */
  Interrupted = 'interrupted',
}

/** What started a run: the schedule, an admin through the API, or an operator with `run-job`. */
export enum JobTrigger {
  Schedule = 'schedule',
  Api = 'api',
  /** "Back up now" in the back office. */
  Admin = 'admin',
  Cli = 'cli',
}

/** One run of a job: written by the job runner with its own connection, never through the ORM. */
@Entity({ tableName: 'job_runs' })
@Index({ name: 'job_runs_started_at_index', properties: ['startedAt'] })
@Index({ name: 'job_runs_job_status_finished_at_index', properties: ['job', 'status', 'finishedAt'] })
@Index({
  name: 'job_runs_job_slot_unique',
  // One run per scheduled time: the instance that claims it first runs it, the others find it taken.
  expression: `create unique index "job_runs_job_slot_unique" on "job_runs" ("job", "scheduled_for") where "scheduled_for" is not null and "status" <> 'skipped'`,
})
@Check({ name: 'job_runs_finished_at_check', expression: `("status" = 'running') = ("finished_at" is null)` })
export class JobRun {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 32 })
  job!: string;

  /** host:pid of the process that ran it. */
  @Property({ type: 'string', length: 200 })
  instance!: string;

  @Enum({ items: () => JobTrigger, nativeEnumName: 'job_trigger' })
  trigger!: JobTrigger;

  /** The cron time this run is for (scheduled runs only). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  scheduledFor?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  startedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  finishedAt?: Date | null;

  @Enum({ items: () => JobRunStatus, nativeEnumName: 'job_run_status' })
  status!: JobRunStatus;

  /** What the run did (the backup made, mails sent) or why it failed or was skipped. */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  details?: Record<string, unknown> | null;
}
