import { Module } from '@nestjs/common';

import { JobsModule } from '../jobs/jobs.module.js';
import { BackupMaker } from './backup-maker.js';
import { BackupsController } from './backups.controller.js';
import { BackupsService } from './backups.service.js';
import { RestoreService } from './restore.service.js';

/** Verified backups (pg_dump or portable), their retention and download, and restore (CLI only). */
@Module({
  imports: [JobsModule],
  controllers: [BackupsController],
  providers: [BackupsService, BackupMaker, RestoreService],
  exports: [BackupsService, RestoreService],
})
export class BackupsModule {}
