import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';

import { expect } from '@jest/globals';
import type { DynamicModule, Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { type EntityManager, MikroORM } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { RequestContext } from '../../src/common/context/request-context.js';
import { AppConfig } from '../../src/config/app-config.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { createOrmConfig } from '../../src/database/mikro-orm.config.js';
import { userFactory } from '../../src/database/factories/index.js';
import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditModule } from '../../src/modules/audit/audit.module.js';
import { CustomFieldsModule } from '../../src/modules/custom-fields/custom-fields.module.js';
import { createTestDatabase, dropTestDatabase } from './test-database.js';

/**
 * A medium test's world: one feature module on its own throwaway database (cloned from the run's migrated
 * template), with the app's ORM configuration (audit subscriber included) and the global modules every
 * feature leans on (config, audit, custom fields). No HTTP: tests call the services directly.
 */
/** An id no row has. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

export interface MediumModule {
  module: TestingModule;
  orm: MikroORM;
  /** Runs `fn` as `caller` does an API request: request context (source api, actor) and its own unit of work. */
  as<T>(caller: AuthUser, fn: () => Promise<T>): Promise<T>;
  /** A fresh EntityManager, for fixtures and for reading what a service wrote. */
  em(): EntityManager;
  /** Builds fixtures with the factories (test/demo data) and writes them in one flush. */
  seed<T>(build: (em: EntityManager) => T): Promise<T>;
  /** A user written straight to the database, as the caller the auth guard would resolve (or an inactive one). */
  user(role?: Role, isActive?: boolean): Promise<AuthUser>;
  /** The audit rows of one record (null: of no record, such as an export), oldest first. */
  auditOf(entityType: string, entityId: string | null): Promise<AuditLog[]>;
  close(): Promise<void>;
}

export async function createMediumModule(...features: (Type | DynamicModule)[]): Promise<MediumModule> {
  const databaseUrl = await createTestDatabase();
  const config = new AppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    // Never written: both secrets are given.
    DATA_DIR: tmpdir(),
    JWT_SECRET: randomBytes(32).toString('base64'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  });
  const module = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      MikroOrmModule.forRoot(createOrmConfig(databaseUrl)),
      AuditModule,
      CustomFieldsModule,
      ...features,
    ],
  }).compile();
  await module.init();
  const orm = module.get<MikroORM>(MikroORM);
  const em = () => orm.em.fork();
  return {
    module,
    orm,
    em,
    // What openRequestContext and the auth guard do per request (the request's EntityManager forked on first use).
    as: (caller, fn) =>
      RequestContext.run(
        {
          source: AuditSource.Api,
          requestId: randomBytes(4).toString('hex'),
          actor: { userId: caller.id, label: caller.username },
          entities: { root: orm.em },
        },
        fn,
      ),
    async seed(build) {
      const fork = em();
      const built = build(fork);
      await fork.flush();
      return built;
    },
    async user(role = Role.Member, isActive = true) {
      const fork = em();
      const user = userFactory(fork, { role, isActive });
      await fork.flush();
      return { id: user.id, username: user.username, role, twoFactorEnabled: false, via: 'jwt' };
    },
    auditOf: (entityType, entityId) =>
      em().find(AuditLog, { entityType, entityId }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    async close() {
      await module.close();
      await dropTestDatabase(databaseUrl);
    },
  };
}

/** What a service's ValidationError naming `field` looks like (`rejects.toMatchObject(refusal('contactId'))`). */
export const refusal = (field: string): Record<string, unknown> => ({
  code: 'VALIDATION_FAILED',
  details: expect.arrayContaining([expect.objectContaining({ field })]),
});
