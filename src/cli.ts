import 'reflect-metadata';

import { existsSync } from 'node:fs';

import { CommandFactory } from 'nest-commander';

import { CliModule } from './cli/cli.module.js';
import { fail } from './cli/cli-output.js';
import { createLogger } from './common/logging/logger.js';
import { limitHeapGrowth } from './common/runtime/heap-growth.js';
import { AppConfig } from './config/app-config.js';
import { ConfigError } from './config/env.schema.js';
import { openDatabase, type DatabaseServer } from './database/database-server.js';
import { migrate } from './database/migrate.js';
import { SCHEMA_COMMAND_NAMES } from './database/migration.commands.js';

/**
 * `npm run cli -- <command>`: opens the same database the app uses (embedded or DATABASE_URL), brings the
 * schema up to date unless the command is about migrations, runs the command, and stops what it started.
 */
async function main(): Promise<void> {
  limitHeapGrowth();
  if (existsSync('.env')) process.loadEnvFile('.env');
  let db: DatabaseServer | undefined;
  try {
    const config = new AppConfig();
    const logger = createLogger({ ...config, logLevel: process.env.LOG_LEVEL ?? 'warn' });
    const command = process.argv[2] ?? '';
    const needsDatabase = command !== '' && !command.startsWith('-') && command !== 'help';
    if (needsDatabase) {
      db = await openDatabase(config, (m) => logger.info(m));
      if (!SCHEMA_COMMAND_NAMES.includes(command)) await migrate(db.url, 'up', (m) => logger.info(m));
    }
    await CommandFactory.run(CliModule.forRoot(config), {
      cliName: 'npm run cli --',
      logger: ['error', 'warn'],
      // commander has already printed its own message (unknown command, missing option, help).
      errorHandler: (err) => {
        const code = (err as { code?: string; exitCode?: number }).exitCode ?? 1;
        process.exitCode = code;
      },
      serviceErrorHandler: (err) => fail(err.message),
    });
  } catch (err) {
    fail(err instanceof ConfigError ? err.message : (err as Error).message);
  } finally {
    await db?.stop().catch(() => undefined);
  }
}

await main();
