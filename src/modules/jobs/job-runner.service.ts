import { Injectable, Logger } from '@nestjs/common';
import pg from 'pg';

import { AppError } from '../../common/errors/index.js';
import { AppConfig } from '../../config/app-config.js';
import { JobName, JobRunStatus, JobTrigger } from './job-run.entity.js';

/** A job that did part of its work: fails the run, and its details say what was done and what was not. */
export class JobFailedError extends Error {
  override name = 'JobFailedError';

  constructor(
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** First key of every job's advisory lock (the second is the job name's hash): apart from other app locks. */
const JOB_LOCK_NAMESPACE = 730_195;

/** What a job reports when it has done its work (or found it could do nothing). */
export interface JobResult<T = undefined> {
  status: JobRunStatus.Success | JobRunStatus.Skipped;
  details: Record<string, unknown>;
  value?: T;
}

export interface RunOptions {
  trigger: JobTrigger;
  /** For scheduled runs: the cron time fired. Only one run per job and time, whichever instance claims it. */
  slot?: Date;
}

export type RunOutcome<T> =
  | {
      ran: true;
      runId: string;
      status: JobRunStatus.Success | JobRunStatus.Skipped;
      details: Record<string, unknown>;
      value?: T;
    }
  | {
      ran: true;
      runId: string;
      status: JobRunStatus.Failed;
      details: Record<string, unknown>;
      error: unknown;
    }
  /** busy: another run of the job holds the lock (a skipped row says so); taken: this slot already ran. */
  | { ran: false; reason: 'busy' | 'taken'; runId?: string };

/**
 * Runs a job at most once at a time across every instance on the database, and records each run in
 * `job_runs`. The lock is a session-level PostgreSQL advisory lock held by a connection of its own, which
 * also writes the run's row (outside the job's transactions, so a failed job still leaves its record).
 * A failure is logged and recorded, never thrown: a job must not take the app down.
 */
@Injectable()
export class JobRunner {
  private readonly logger = new Logger('Jobs');

  constructor(private readonly config: AppConfig) {}

  async run<T>(job: JobName, work: () => Promise<JobResult<T>>, options: RunOptions): Promise<RunOutcome<T>> {
    const client = new pg.Client({ connectionString: this.config.database.url });
    await client.connect();
    try {
      const lock = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock($1, hashtext($2)) as locked',
        [JOB_LOCK_NAMESPACE, job],
      );
      if (!lock.rows[0].locked) {
        const runId = await this.insert(client, job, options, JobRunStatus.Skipped, {
          reason: 'another run of this job was in progress',
        });
        this.logger.log(`Job ${job} skipped: another run of it is in progress`);
        return { ran: false, reason: 'busy', runId };
      }
      try {
        return await this.locked(client, job, work, options);
      } finally {
        await client.query('select pg_advisory_unlock($1, hashtext($2))', [JOB_LOCK_NAMESPACE, job]);
      }
    } finally {
      await client.end();
    }
  }

  private async locked<T>(
    client: pg.Client,
    job: JobName,
    work: () => Promise<JobResult<T>>,
    options: RunOptions,
  ): Promise<RunOutcome<T>> {
    // Only a holder of this lock writes 'running' rows: one still there now belongs to a process that died.
    await client.query(
      `update job_runs set status = 'interrupted', finished_at = now(),
         details = coalesce(details, '{}'::jsonb) || '{"error": "its process stopped before the run finished"}'::jsonb
       where job = $1 and status = 'running'`,
      [job],
    );
    const runId = await this.insert(client, job, options, JobRunStatus.Running, null);
    if (!runId) return { ran: false, reason: 'taken' };
    const started = Date.now();
    this.logger.log(`Job ${job} started (${options.trigger})`);
    try {
      const result = await work();
      const details = { ...result.details, durationMs: Date.now() - started };
      await this.finish(client, runId, result.status, details);
      this.logger.log({ job, runId, details }, `Job ${job} ${result.status} in ${details.durationMs} ms`);
      return { ran: true, runId, status: result.status, details, value: result.value };
    } catch (error) {
      const details = { error: messageOf(error), durationMs: Date.now() - started, ...detailsOf(error) };
      this.logger.error({ err: error, job, runId }, `Job ${job} failed: ${details.error}`);
      await this.finish(client, runId, JobRunStatus.Failed, details).catch((err: Error) =>
        this.logger.error({ err, job, runId }, `Could not record the failure of job ${job}`),
      );
      return { ran: true, runId, status: JobRunStatus.Failed, details, error };
    }
  }

  /** The run's row; undefined when a scheduled slot was already claimed by another instance. */
  private async insert(
    client: pg.Client,
    job: JobName,
    options: RunOptions,
    status: JobRunStatus,
    details: Record<string, unknown> | null,
  ): Promise<string | undefined> {
    const finished = status === JobRunStatus.Running ? null : new Date();
    const { rows } = await client.query<{ id: string }>(
      `insert into job_runs (job, instance, trigger, scheduled_for, status, finished_at, details)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (job, scheduled_for) where scheduled_for is not null and status <> 'skipped' do nothing
       returning id`,
      [job, this.config.jobs.instance, options.trigger, options.slot ?? null, status, finished, details],
    );
    return rows[0]?.id;
  }

  private async finish(
    client: pg.Client,
    runId: string,
    status: JobRunStatus,
    details: Record<string, unknown>,
  ): Promise<void> {
    await client.query('update job_runs set status = $2, finished_at = now(), details = $3 where id = $1', [
      runId,
      status,
      details,
    ]);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function detailsOf(error: unknown): Record<string, unknown> {
  if (error instanceof JobFailedError) return error.details;
  if (error instanceof AppError) return { code: error.code };
  return {};
}
