import { Module } from '@nestjs/common';

import { JobRunner } from './job-runner.service.js';
import { JobRunsController } from './job-runs.controller.js';
import { JobRunsService } from './job-runs.service.js';

/** The job runner (one run at a time across instances, each recorded) and the record of runs. */
@Module({
  controllers: [JobRunsController],
  providers: [JobRunner, JobRunsService],
  exports: [JobRunner, JobRunsService],
})
export class JobsModule {}
