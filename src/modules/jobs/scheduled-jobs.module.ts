import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';

import { BackupsModule } from '../backups/backups.module.js';
import { NotificationsModule } from '../notifications/notifications.module.js';
import { JobCatalog } from './job-catalog.service.js';
import { JobScheduler } from './job-scheduler.service.js';
import { JobsModule } from './jobs.module.js';

/** The jobs with their schedules: what `run-job` runs. */
@Module({
  imports: [JobsModule, BackupsModule, NotificationsModule],
  providers: [JobCatalog],
  exports: [JobCatalog],
})
export class ScheduledJobsModule {}

/** The app's clock for the jobs (the CLI has none). */
@Module({
  imports: [ScheduleModule.forRoot(), ScheduledJobsModule],
  providers: [JobScheduler],
})
export class JobSchedulerModule {}
