import { Command, CommandRunner, Option } from 'nest-commander';
import { MikroORM } from '@mikro-orm/postgresql';

import { fail, out } from '../cli/cli-output.js';
import { AppConfig } from '../config/app-config.js';
import { createOrmConfig } from './mikro-orm.config.js';
import { migrate } from './migrate.js';

@Command({ name: 'migrate', aliases: ['migration:up'], description: 'Apply pending database migrations' })
export class MigrateUpCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(): Promise<void> {
    const applied = await migrate(this.config.database.url, 'up', out);
    out(applied.length ? `Applied ${applied.length} migration(s).` : 'The database is up to date.');
  }
}

@Command({ name: 'migration:down', description: 'Revert the last applied migration' })
export class MigrateDownCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(): Promise<void> {
    const reverted = await migrate(this.config.database.url, 'down', out);
    out(reverted.length ? `Reverted ${reverted.join(', ')}.` : 'No migration to revert.');
  }
}

interface CreateOptions {
  blank?: boolean;
}

@Command({
  name: 'migration:create',
  arguments: '[name]',
  description:
    'Write a new migration in migrations/ with the difference between the entities and the database',
})
export class MigrationCreateCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run([name]: string[], options: CreateOptions): Promise<void> {
    if (name && !/^[a-z0-9_]+$/.test(name)) return fail('the migration name must be snake_case');
    await migrate(this.config.database.url, 'up', out);
    const ormConfig = createOrmConfig(this.config.database.url);
    const orm = await MikroORM.init(ormConfig);
    try {
      const migrations = ormConfig.migrations as { pathTs: string };
      const result = await orm
        .getMigrator()
        .createMigration(migrations.pathTs, options.blank ?? false, false, name);
      out(result.fileName ? `Wrote migrations/${result.fileName}` : 'No schema changes: nothing to write.');
    } finally {
      await orm.close(true);
    }
  }

  @Option({ flags: '--blank', description: 'Write an empty migration to fill in by hand' })
  parseBlank(): boolean {
    return true;
  }
}

export const MIGRATION_COMMANDS = [MigrateUpCommand, MigrateDownCommand, MigrationCreateCommand];
/**
 * Commands that must run before (or instead of) the automatic migration to the latest schema. `restore`
 * replaces the schema itself (and migrates afterwards): a database being restored may be too broken to migrate.
 */
export const SCHEMA_COMMAND_NAMES = [
  'migrate',
  'migration:up',
  'migration:down',
  'migration:create',
  'restore',
];
