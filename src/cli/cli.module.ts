import { type DynamicModule, Module } from '@nestjs/common';
import { MikroOrmModule } from '@mikro-orm/nestjs';

import { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { createOrmConfig } from '../config/mikro-orm.config.js';
import { MIGRATION_COMMANDS } from '../database/migration.commands.js';

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
      ],
      providers: [...MIGRATION_COMMANDS],
    };
  }
}
