import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EntityManager, RequestContext as OrmRequestContext } from '@mikro-orm/postgresql';

import { AuditSource } from '../../src/common/context/audit-source.js';
import { RequestContext } from '../../src/common/context/request-context.js';
import { transactionContextOf } from '../../src/common/utils/prepared.js';
import { runQuery } from '../../src/common/utils/sql.js';
import { contextEntityManager } from '../../src/database/orm-context.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

/** A request's EntityManager (orm-context.ts): what the global one stands for inside and outside a request. */
describe('contextEntityManager on PostgreSQL', () => {
  let m: MediumModule;
  let em: EntityManager;

  beforeAll(async () => {
    m = await createMediumModule();
    em = m.module.get(EntityManager);
  });
  afterAll(() => m.close());

  const inRequest = <T>(fn: () => T): T =>
    RequestContext.run({ source: AuditSource.Api, requestId: 'r', entities: { root: m.orm.em } }, fn);

  it('forks one EntityManager per request, on first use, and keeps it for the whole request', async () => {
    const seen = await inRequest(async () => {
      const context = RequestContext.current()!;
      expect(context.entities!.fork).toBeUndefined();
      const first = em.getContext();
      await em.execute('select 1');
      await new Promise((done) => setTimeout(done, 1));
      expect(em.getContext()).toBe(first);
      expect(context.entities!.fork).toBe(first);
      return first;
    });
    expect(seen).not.toBe(m.orm.em);
    const other = await inRequest(() => Promise.resolve(em.getContext()));
    expect(other).not.toBe(seen);
  });

  it('leaves a context opened with MikroORM first (jobs, the CLI, the back office)', async () => {
    await inRequest(() =>
      OrmRequestContext.create(m.orm.em, () => {
        expect(em.getContext()).toBe(OrmRequestContext.getEntityManager());
        expect(em.getContext()).not.toBe(RequestContext.current()!.entities!.fork);
        return Promise.resolve();
      }),
    );
  });

  it('finds the transaction a plain query runs in without forking for it', async () => {
    const transactionId = async (on: EntityManager) =>
      (await runQuery<{ id: string }>(on, on.getKnex().raw('select txid_current()::text as id')))[0].id;
    await inRequest(async () => {
      const context = RequestContext.current()!;
      expect(transactionContextOf(em)).toBeUndefined();
      await transactionId(em);
      expect(context.entities!.fork).toBeUndefined();
      await em.transactional(async (tx) => {
        expect(transactionContextOf(em)).toBe(tx.getTransactionContext());
        expect(transactionContextOf(tx)).toBe(tx.getTransactionContext());
        const [id] = await tx.execute<{ id: string }[]>('select txid_current()::text as id');
        expect(await transactionId(em)).toBe(id.id);
      });
      expect(transactionContextOf(em)).toBeUndefined();
    });
    await inRequest(() =>
      OrmRequestContext.create(m.orm.em, () =>
        OrmRequestContext.getEntityManager()!.transactional((tx) => {
          expect(transactionContextOf(em)).toBe(tx.getTransactionContext());
          return Promise.resolve();
        }),
      ),
    );
  });

  it('has none outside a request, so the global EntityManager refuses to be used there', () => {
    expect(contextEntityManager(m.orm.em.name)).toBeUndefined();
    expect(() => em.getContext()).toThrow(/global EntityManager/);
    RequestContext.run({ source: AuditSource.Cli }, () =>
      expect(contextEntityManager(m.orm.em.name)).toBeUndefined(),
    );
  });
});
