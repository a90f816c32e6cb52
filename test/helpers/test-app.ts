import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

import { withContract } from './contract.js';
import { createApp } from '../../src/app.setup.js';
import { AppConfig } from '../../src/config/app-config.js';
import { createTestDatabase, dropTestDatabase } from './test-database.js';

export { createTestDatabase };

export interface TestApp {
  app: NestFastifyApplication;
  /** Every response to /api is checked against the app's OpenAPI document (contract.ts). */
  http: TestAgent;
  config: AppConfig;
  orm: MikroORM;
  databaseUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

/** Pass DATABASE_URL in `env` to open an existing throwaway database (it is then left for its creator to drop). */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const ownDatabase = !env.DATABASE_URL;
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  const dataDir = await mkdtemp(join(tmpdir(), 'vcrm-data-'));
  const config = new AppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    // Tests sign in many times from 127.0.0.1; the rate-limit test sets its own low limit.
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
    ...env,
  });
  // Errors only: an unexpected 500 prints its cause in the test output (TEST_LOG_LEVEL=silent hides it).
  const app = await createApp(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'error' }));
  return {
    app,
    http: withContract(request(app.getHttpServer()), app, config),
    config,
    orm: app.get(MikroORM),
    databaseUrl,
    dataDir,
    async close() {
      await app.close();
      if (ownDatabase) await dropTestDatabase(databaseUrl);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A test app for the calling suite: started in a beforeAll and closed in an afterAll registered where this is
 * called (so before the suite's own hooks run). Its fields are there from the suite's first hook on.
 */
export function suiteTestApp(env: Record<string, string> = {}): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await createTestApp(env);
  });
  afterAll(async () => {
    await started?.close();
  });
  const get = (): TestApp => {
    if (!started) throw new Error("The suite's test app starts in beforeAll: use it in hooks and tests");
    return started;
  };
  return {
    get app() {
      return get().app;
    },
    get http() {
      return get().http;
    },
    get config() {
      return get().config;
    },
    get orm() {
      return get().orm;
    },
    get databaseUrl() {
      return get().databaseUrl;
    },
    get dataDir() {
      return get().dataDir;
    },
    close: () => get().close(),
  };
}
