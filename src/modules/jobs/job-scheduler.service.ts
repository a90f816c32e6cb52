import {
  type BeforeApplicationShutdown,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { MikroORM } from '@mikro-orm/postgresql';
import { CronJob } from 'cron';

import { AppConfig } from '../../config/app-config.js';
import { JobCatalog, type ScheduledJob } from './job-catalog.service.js';
import { inSystemContext } from './job-context.js';
import { JobRunStatus, JobTrigger } from './job-run.entity.js';

/** How long stopping the app waits for a job that is running (a backup may take minutes: it is then interrupted). */
const SHUTDOWN_WAIT_MS = 15_000;

/**
 * Fires the jobs on their cron schedules (server local time). Every instance fires; the job runner makes
 * sure each scheduled time runs once: the first instance to claim it runs it, the others find it taken
 * (or, if another run of the job holds its lock, record a skip). Off with SCHEDULER_ENABLED=false.
 */
@Injectable()
export class JobScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Scheduler');
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly config: AppConfig,
    private readonly catalog: JobCatalog,
    private readonly registry: SchedulerRegistry,
    private readonly orm: MikroORM,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobs.schedulerEnabled) {
      this.logger.log('Scheduled jobs are off (SCHEDULER_ENABLED=false)');
      return;
    }
    for (const job of this.catalog.jobs()) this.schedule(job);
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const name of this.registry.getCronJobs().keys()) {
      if (name.startsWith('vcrm:')) await this.registry.getCronJob(name).stop();
    }
    if (this.running.size === 0) return;
    this.logger.log(`Waiting up to ${SHUTDOWN_WAIT_MS / 1000} s for ${this.running.size} running job(s)`);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  /** Runs a job as its schedule would at `slot` (a test fires two instances at once with this). */
  fire(job: ScheduledJob, slot: Date): Promise<void> {
    const run = inSystemContext(this.orm, () => this.catalog.run(job.name, JobTrigger.Schedule, slot))
      .then((outcome) => {
        if (outcome.ran && outcome.status === JobRunStatus.Failed) {
          this.logger.error(
            `Scheduled ${job.name} of ${slot.toISOString()} failed (see job run ${outcome.runId})`,
          );
        }
      })
      .catch((err: Error) =>
        this.logger.error({ err }, `Scheduled ${job.name} could not run: ${err.message}`),
      )
      .finally(() => this.running.delete(run));
    this.running.add(run);
    return run;
  }

  private schedule(job: ScheduledJob): void {
    // The time a tick is for, known before it fires: every instance derives the same one from the cron.
    let due: Date;
    const cron = new CronJob(job.cron, () => {
      const slot = due;
      due = cron.nextDate().toJSDate();
      void this.fire(job, slot);
    });
    due = cron.nextDate().toJSDate();
    this.registry.addCronJob(`vcrm:${job.name}`, cron);
    cron.start();
    this.logger.log(
      `Job ${job.name} scheduled at "${job.cron}" (${job.setting}); next run ${due.toISOString()}`,
    );
  }
}
