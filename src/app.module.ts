import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';

import { AllExceptionsFilter } from './common/filters/all-exceptions.filter.js';
import { GracefulHttpShutdown } from './common/http/graceful-http-shutdown.js';
import { createValidationPipe } from './common/pipes/validation.pipe.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { createOrmConfig } from './database/mikro-orm.config.js';
import { DemoStartupModule } from './database/seeders/demo.module.js';
import { BackOfficeModule } from './modules/admin/admin.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { CustomFieldsModule } from './modules/custom-fields/custom-fields.module.js';
import { CommunicationsModule } from './modules/communications/communications.module.js';
import { ContactsModule } from './modules/contacts/contacts.module.js';
import { FundsModule } from './modules/funds/funds.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { ImportModule } from './modules/import/import.module.js';
import { JobSchedulerModule } from './modules/jobs/scheduled-jobs.module.js';
import { LpProfilesModule } from './modules/lp-profiles/lp-profiles.module.js';
import { OpportunitiesModule } from './modules/opportunities/opportunities.module.js';
import { OrganizationsModule } from './modules/organizations/organizations.module.js';
import { ReportsModule } from './modules/reports/reports.module.js';
import { SearchModule } from './modules/search/search.module.js';
import { TagsModule } from './modules/tags/tags.module.js';
import { TasksModule } from './modules/tasks/tasks.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  logger: Logger;
}

@Module({})
export class AppModule {
  static forRoot({ config, logger }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        // Nest's own messages go to the app's pino logger. No middleware: the request log is written by
        // logWhenAnswered, and a log line's request id comes from the request's context (createLogger's mixin).
        LoggerModule.forRoot({ pinoHttp: { logger }, useExisting: true, forRoutes: [] }),
        // No request-context middleware: a request's EntityManager is forked on first use (orm-context.ts).
        MikroOrmModule.forRoot({ ...createOrmConfig(config.database.url), registerRequestContext: false }),
        AuditModule,
        AuthModule,
        CustomFieldsModule,
        HealthModule,
        TagsModule,
        OrganizationsModule,
        CommunicationsModule,
        TasksModule,
        SearchModule,
        ContactsModule,
        FundsModule,
        OpportunitiesModule,
        LpProfilesModule,
        ReportsModule,
        ImportModule,
        DemoStartupModule,
        JobSchedulerModule,
        BackOfficeModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        GracefulHttpShutdown,
      ],
    };
  }
}
