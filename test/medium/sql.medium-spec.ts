import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UniqueConstraintViolationException } from '@mikro-orm/core';

import { runQuery } from '../../src/common/utils/sql.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

/** runQuery on PostgreSQL: values as parameters, the caller's transaction, errors as MikroORM's. */
describe('runQuery on PostgreSQL', () => {
  let m: MediumModule;

  beforeAll(async () => {
    m = await createMediumModule();
    await m.orm.em.getConnection().execute('create table sql_spec (id int primary key, label text)');
  });
  afterAll(() => m.close());

  const labels = () =>
    runQuery<{ label: string }>(m.em(), m.orm.em.getKnex()('sql_spec').select('label').orderBy('id'));

  it('sends values as parameters: quotes and question marks arrive as they are', async () => {
    const em = m.em();
    await runQuery(em, em.getKnex()('sql_spec').insert({ id: 1, label: `it's $1 and ? or ??` }));
    expect(await labels()).toEqual([{ label: `it's $1 and ? or ??` }]);
  });

  it("runs in the EntityManager's transaction, so a rollback undoes it", async () => {
    await expect(
      m.em().transactional(async (em) => {
        await runQuery(em, em.getKnex()('sql_spec').insert({ id: 2, label: 'rolled back' }));
        expect(await runQuery(em, em.getKnex()('sql_spec').count({ n: '*' }))).toEqual([{ n: '2' }]);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await labels()).toHaveLength(1);
  });

  it('fails as MikroORM fails: a duplicate key is a UniqueConstraintViolationException', async () => {
    const em = m.em();
    await expect(
      runQuery(em, em.getKnex()('sql_spec').insert({ id: 1, label: 'again' })),
    ).rejects.toBeInstanceOf(UniqueConstraintViolationException);
  });
});
