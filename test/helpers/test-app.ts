import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { NestExpressApplication } from '@nestjs/platform-express';
import { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

import { createApp } from '../../src/app.setup.js';
import { AppConfig } from '../../src/config/app-config.js';
import { createDatabase, dropDatabases } from '../../src/database/throwaway-database.js';

export interface TestApp {
  app: NestExpressApplication;
  http: TestAgent;
  config: AppConfig;
  orm: MikroORM;
  databaseUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run e2e tests through jest (test/setup/global-setup.ts)`);
  return value;
}

/** A fresh database cloned from the migrated template; the app built exactly as main.ts builds it. */
export async function createTestDatabase(): Promise<string> {
  const name = `${required('VCRM_TEST_RUN_PREFIX')}${randomBytes(4).toString('hex')}`;
  return createDatabase(required('VCRM_TEST_SERVER_URL'), name, required('VCRM_TEST_TEMPLATE'));
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const databaseUrl = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'vcrm-data-'));
  const config = new AppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    ...env,
  });
  const app = await createApp(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  return {
    app,
    http: request(app.getHttpServer()),
    config,
    orm: app.get(MikroORM),
    databaseUrl,
    dataDir,
    async close() {
      await app.close();
      await dropDatabases(required('VCRM_TEST_SERVER_URL'), new URL(databaseUrl).pathname.slice(1));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
