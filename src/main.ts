import 'reflect-metadata';

import { existsSync } from 'node:fs';

import { MikroORM } from '@mikro-orm/postgresql';

import { createApp } from './app.setup.js';
import { createLogger } from './common/logging/logger.js';
import { limitHeapGrowth } from './common/runtime/heap-growth.js';
import { AppConfig } from './config/app-config.js';
import { ConfigError } from './config/env.schema.js';
import { openDatabase, type DatabaseServer } from './database/database-server.js';
import { migrate } from './database/migrate.js';
import { BackOffice } from './modules/admin/back-office.js';
import { User } from './modules/users/user.entity.js';

const SHUTDOWN_TIMEOUT_MS = 20_000;

async function main(): Promise<void> {
  limitHeapGrowth();
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: AppConfig;
  try {
    config = new AppConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config);
  const started = Date.now();
  let db: DatabaseServer | undefined;
  try {
    db = await openDatabase(config, (m) => logger.info(m));
    const applied = await migrate(db.url, 'up', (m) => logger.info(m));
    if (applied.length > 0) logger.info(`Applied ${applied.length} migration(s)`);
    const app = await createApp(config, logger);
    await app.listen(config.http.port, config.http.host);
    const address = `http://${config.http.host === '0.0.0.0' ? 'localhost' : config.http.host}:${config.http.port}`;
    logger.info(
      `venture-crm ${config.version} ready in ${Date.now() - started} ms on ${address} (API docs: ${address}/api/docs)`,
    );
    // The back office loads now, while the API already answers (a failure is logged; /admin tries again).
    app
      .get(BackOffice)
      .load()
      .catch(() => undefined);
    if ((await app.get(MikroORM).em.fork().count(User, {})) === 0) {
      logger.warn('No users yet. Create the first admin with: npm run cli -- create-user --role admin');
    }

    let stopping = false;
    const shutdown = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      logger.info(`${signal} received: finishing requests, then stopping`);
      setTimeout(() => {
        logger.error('Shutdown took too long; exiting');
        process.exit(1);
      }, SHUTDOWN_TIMEOUT_MS).unref();
      app
        .close()
        .then(() => db?.stop())
        .then(() => {
          logger.info('Stopped');
          logger.flush();
          process.exit(0);
        })
        .catch((err: unknown) => {
          logger.error({ err }, 'Error while stopping');
          process.exit(1);
        });
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  } catch (err) {
    logger.fatal({ err }, `venture-crm could not start: ${(err as Error).message}`);
    await db?.stop().catch(() => undefined);
    logger.flush();
    process.exit(1);
  }
}

void main();
