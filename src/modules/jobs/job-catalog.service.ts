import { Injectable } from '@nestjs/common';

import { AppConfig } from '../../config/app-config.js';
import { BackupsService } from '../backups/backups.service.js';
import { DigestService } from '../notifications/digest.service.js';
import { RemindersService } from '../notifications/reminders.service.js';
import { JobName, type JobTrigger } from './job-run.entity.js';
import { type JobResult, JobRunner, type RunOutcome } from './job-runner.service.js';

export interface ScheduledJob {
  name: JobName;
  cron: string;
  setting: string;
  work(): Promise<JobResult<unknown>>;
}

/** The scheduled jobs, their schedules, and running one (by the clock, `run-job` or the API) under its lock. */
@Injectable()
export class JobCatalog {
  constructor(
    private readonly config: AppConfig,
    private readonly runner: JobRunner,
    private readonly backups: BackupsService,
    private readonly digest: DigestService,
    private readonly reminders: RemindersService,
  ) {}

  jobs(): ScheduledJob[] {
    const { backupCron, digestCron, reminderCron } = this.config.jobs;
    return [
      { name: JobName.Backup, cron: backupCron, setting: 'BACKUP_CRON', work: () => this.backups.job() },
      { name: JobName.Digest, cron: digestCron, setting: 'DIGEST_CRON', work: () => this.digest.run() },
      {
        name: JobName.Reminders,
        cron: reminderCron,
        setting: 'REMINDER_CRON',
        work: () => this.reminders.run(),
      },
    ];
  }

  run(name: JobName, trigger: JobTrigger, slot?: Date): Promise<RunOutcome<unknown>> {
    const job = this.jobs().find((j) => j.name === name);
    if (!job) throw new Error(`unknown job ${name}`);
    return this.runner.run(name, () => job.work(), { trigger, slot });
  }
}
