import { type DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';

import { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { createOrmConfig } from '../database/mikro-orm.config.js';
import { MIGRATION_COMMANDS } from '../database/migration.commands.js';
import { DEMO_COMMANDS } from '../database/seeders/demo.commands.js';
import { DemoModule } from '../database/seeders/demo.module.js';
import { AuditModule } from '../modules/audit/audit.module.js';
import { AUTH_COMMANDS } from '../modules/auth/auth.commands.js';
import { AuthModule } from '../modules/auth/auth.module.js';
import { BACKUP_COMMANDS } from '../modules/backups/backups.commands.js';
import { BackupsModule } from '../modules/backups/backups.module.js';
import { IMPORT_COMMANDS } from '../modules/import/import.commands.js';
import { ImportModule } from '../modules/import/import.module.js';
import { JOB_COMMANDS } from '../modules/jobs/jobs.commands.js';
import { ScheduledJobsModule } from '../modules/jobs/scheduled-jobs.module.js';
import { REPORTING_COMMANDS } from '../modules/reports/reporting-role.commands.js';

/** The CLI's own application context: config, database and the command providers of each feature. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        // `--help` opens no database: the ORM is then configured but never connects.
        MikroOrmModule.forRoot(
          config.database.url
            ? createOrmConfig(config.database.url)
            : createOrmConfig('postgresql://127.0.0.1/unused', { connect: false }),
        ),
        AuditModule,
        AuthModule,
        DemoModule,
        BackupsModule,
        ScheduledJobsModule,
        ImportModule,
      ],
      providers: [
        ...MIGRATION_COMMANDS,
        ...AUTH_COMMANDS,
        ...DEMO_COMMANDS,
        ...BACKUP_COMMANDS,
        ...JOB_COMMANDS,
        ...REPORTING_COMMANDS,
        ...IMPORT_COMMANDS,
      ],
    };
  }
}
