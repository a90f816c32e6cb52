import { describe, expect, it, jest } from '@jest/globals';
import { type EntityManager, type Knex, knex } from '@mikro-orm/postgresql';

import { COUNT_CAP, CountMode } from '../dto/paging.dto.js';
import { countQuery, countRows, pageOfIds, pageQuery, rowsInOrder, rowsWithTotal } from './sql.js';

/** A knex that only compiles PostgreSQL (no connection is ever made). */
const pg = knex({ client: 'pg' });

/** A statement as the connection got it. */
interface Sent {
  name?: string;
  sql: string;
  bindings: unknown[];
}

/**
 * An EntityManager whose connection answers each statement with `answer(statement)`; `execute` records what it
 * was sent.
 */
function manager(answer: (statement: Sent) => unknown[]) {
  const execute = jest.fn((statement: Sent) => Promise.resolve(answer(statement)));
  const query = async ({ name, text, values }: { name?: string; text: string; values: unknown[] }) => ({
    rows: await execute({ ...(name ? { name } : {}), sql: text, bindings: values }),
  });
  const client = {
    acquireConnection: () => Promise.resolve({ query }),
    releaseConnection: () => Promise.resolve(),
  };
  const em = {
    getKnex: () => pg,
    getTransactionContext: () => ({ client }),
    getDriver: () => ({ convertException: (e: Error) => e }),
  };
  return { em: em as unknown as EntityManager, execute };
}

const sent = (query: Knex.QueryBuilder) => query.toSQL().toNative();
const liveContacts = () => pg('contacts').whereNull('deleted_at').where('status', 'active');

describe('countQuery', () => {
  it('counts over a subquery stopped at COUNT_CAP + 1 rows by default', () => {
    expect(sent(countQuery(manager(() => []).em, liveContacts(), CountMode.Capped))).toEqual({
      sql: 'select count(*)::int as n from (select 1 from "contacts" where "deleted_at" is null and "status" = $1 limit $2) as "counted"',
      bindings: ['active', COUNT_CAP + 1],
    });
  });

  it('counts every row, without a limit, when exact', () => {
    expect(sent(countQuery(manager(() => []).em, liveContacts(), CountMode.Exact))).toEqual({
      sql: 'select count(*)::int as n from (select 1 from "contacts" where "deleted_at" is null and "status" = $1) as "counted"',
      bindings: ['active'],
    });
  });

  it('leaves the filtered rows as they were', () => {
    const rows = liveContacts();
    countQuery(manager(() => []).em, rows, CountMode.Capped);
    expect(sent(rows).sql).toBe('select * from "contacts" where "deleted_at" is null and "status" = $1');
  });
});

describe('countRows', () => {
  it('reports a capped total past the cap', async () => {
    const { em } = manager(() => [{ n: COUNT_CAP + 1 }]);
    await expect(countRows(em, liveContacts())).resolves.toEqual({ capped: COUNT_CAP });
  });

  it('reports the exact count when asked', async () => {
    const { em } = manager(() => [{ n: COUNT_CAP * 5 }]);
    await expect(countRows(em, liveContacts(), CountMode.Exact)).resolves.toBe(COUNT_CAP * 5);
  });

  it('sends no query when none', async () => {
    const { em, execute } = manager(() => [{ n: 3 }]);
    await expect(countRows(em, liveContacts(), CountMode.None)).resolves.toBeNull();
    expect(execute).not.toHaveBeenCalled();
  });
});

describe('pageQuery', () => {
  it('selects the ids of one page, values bound', () => {
    const order = [
      { column: 'last_name', order: 'asc' },
      { column: 'id', order: 'asc' },
    ] as const;
    expect(sent(pageQuery(liveContacts(), order, { limit: 50, offset: 100 }))).toEqual({
      sql: 'select "id" as "id" from "contacts" where "deleted_at" is null and "status" = $1 order by "last_name" asc, "id" asc limit $2 offset $3',
      bindings: ['active', 50, 100],
    });
  });

  it('writes where empty values sort, and reads the id of an aliased table', () => {
    const order = [
      { column: 'o.expected_amount', order: 'desc', nulls: 'last' },
      { column: 'o.id', order: 'desc' },
    ] as const;
    const rows = pg({ o: 'opportunities' }).whereNull('o.deleted_at');
    expect(sent(pageQuery(rows, order, { limit: 10, offset: 0 }, 'o.id')).sql).toBe(
      'select "o"."id" as "id" from "opportunities" as "o" where "o"."deleted_at" is null ' +
        'order by "o"."expected_amount" desc nulls last, "o"."id" desc limit $1',
    );
  });
});

describe('pageOfIds', () => {
  const order = [{ column: 'id', order: 'asc' }] as const;

  it('reads the page and the count in one statement', async () => {
    const { em, execute } = manager(() => [{ ids: 'a,b', n: 2 }]);
    await expect(pageOfIds(em, liveContacts(), order, { limit: 2, offset: 4 })).resolves.toEqual({
      ids: ['a', 'b'],
      total: 2,
    });
    expect(execute).toHaveBeenCalledTimes(1);
    expect(execute.mock.calls[0][0]).toEqual({
      sql:
        `select array_to_string(array((select "id" as "id" from "contacts" where "deleted_at" is null and "status" = $1 order by "id" asc limit $2 offset $3)), ',') as ids, ` +
        '(select count(*)::int as n from (select 1 from "contacts" where "deleted_at" is null and "status" = $4 limit $5) as "counted") as n',
      bindings: ['active', 2, 4, 'active', COUNT_CAP + 1],
    });
  });

  it('reports a capped total past the cap', async () => {
    const { em } = manager(() => [{ ids: 'a', n: COUNT_CAP + 1 }]);
    await expect(pageOfIds(em, liveContacts(), order, { limit: 1, offset: 0 })).resolves.toEqual({
      ids: ['a'],
      total: { capped: COUNT_CAP },
    });
  });

  it('counts nothing when none', async () => {
    const { em, execute } = manager(() => [{ ids: '' }]);
    await expect(
      pageOfIds(em, liveContacts(), order, { limit: 1, offset: 0, count: CountMode.None }),
    ).resolves.toEqual({ ids: [], total: null });
    expect(execute.mock.calls[0][0].sql).not.toContain('count(');
  });
});

describe('pageOfIds for a search', () => {
  const order = [
    { column: 'name', order: 'asc' },
    { column: 'id', order: 'asc' },
  ] as const;
  const named = () => pg('organizations').whereNull('deleted_at').whereILike('name', '%granite%');

  it('reads the matches once, up to the cap: the page sorted from them when few, else from the sort index', async () => {
    const { em, execute } = manager(() => [{ ids: 'a,b', n: 2 }]);
    await expect(pageOfIds(em, named(), order, { limit: 50, offset: 0 }, 'id', true)).resolves.toEqual({
      ids: ['a', 'b'],
      total: 2,
    });
    expect(execute).toHaveBeenCalledTimes(1);
    const live = `from "organizations" where "deleted_at" is null and "name" ilike $`;
    expect(execute.mock.calls[0][0]).toEqual({
      sql:
        `with "matches" as materialized (select id as id, name as s0, id as s1 ${live}1 limit $2) ` +
        `select case when (select count(*) from matches) <= ${COUNT_CAP} ` +
        `then array_to_string(array((select "id" from "matches" order by "s0" asc, "s1" asc limit $3)), ',') ` +
        `else array_to_string(array((select "id" as "id" ${live}4 order by "name" asc, "id" asc limit $5)), ',') end as ids, ` +
        '(select count(*)::int from matches) as n',
      bindings: ['%granite%', COUNT_CAP + 1, 50, '%granite%', 50],
    });
  });

  it('with matchesInOrder, reads the first matches in the page’s order and cuts a page within them from them', async () => {
    const { em, execute } = manager(() => [{ ids: 'a', n: 7 }]);
    const paging = { limit: 50, offset: COUNT_CAP - 50, matchesInOrder: true };
    await expect(pageOfIds(em, named(), order, paging, 'id', true)).resolves.toEqual({
      ids: ['a'],
      total: 7,
    });
    const live = `from "organizations" where "deleted_at" is null and "name" ilike $`;
    expect(execute.mock.calls[0][0]).toEqual({
      sql:
        `with "matches" as materialized (select id as id, name as s0, id as s1 ${live}1 ` +
        `order by "name" asc, "id" asc limit $2) ` +
        `select array_to_string(array((select "id" from "matches" order by "s0" asc, "s1" asc limit $3 offset $4)), ',') as ids, ` +
        '(select count(*)::int from matches) as n',
      bindings: ['%granite%', COUNT_CAP + 1, 50, COUNT_CAP - 50],
    });
    // Past them, the page is walked as without.
    await pageOfIds(em, named(), order, { ...paging, offset: COUNT_CAP }, 'id', true);
    expect(execute.mock.calls[1][0].sql).toContain(`else array_to_string(array((select "id" as "id" ${live}`);
  });

  it('counts every match apart when exact, and none when none', async () => {
    const { em, execute } = manager(() => [{ ids: 'a', n: 5000 }]);
    await expect(
      pageOfIds(em, named(), order, { limit: 1, offset: 0, count: CountMode.Exact }, 'id', true),
    ).resolves.toEqual({ ids: ['a'], total: 5000 });
    expect(execute.mock.calls[0][0].sql).toContain('(select count(*)::int as n from (select 1 from');
    await expect(
      pageOfIds(em, named(), order, { limit: 1, offset: 0, count: CountMode.None }, 'id', true),
    ).resolves.toEqual({ ids: ['a'], total: null });
    expect(execute.mock.calls[1][0].sql).not.toContain('::int');
  });
});

describe('rowsWithTotal', () => {
  const page = () => pg({ o: 'contacts' }).select('o.id').limit(2);

  it('reads the rows and the total in one statement, the count a column of each row', async () => {
    const { em, execute } = manager(() => [
      { id: 'a', list_total: 7 },
      { id: 'b', list_total: 7 },
    ]);
    const found = await rowsWithTotal(em, page(), liveContacts(), { offset: 0 });
    expect(found.total).toBe(7);
    expect(found.rows.map((r) => (r as { id: string }).id)).toEqual(['a', 'b']);
    expect(execute).toHaveBeenCalledTimes(1);
    expect(execute.mock.calls[0][0].sql).toBe(
      'select "o"."id", (select count(*)::int as n from (select 1 from "contacts" where "deleted_at" is null and "status" = $1 limit $2) as "counted") as list_total from "contacts" as "o" limit $3',
    );
  });

  it('answers 0 for an empty first page, and counts on its own past the end', async () => {
    const { em, execute } = manager((query) => (query.sql.startsWith('select count') ? [{ n: 4 }] : []));
    await expect(rowsWithTotal(em, page(), liveContacts(), { offset: 0 })).resolves.toEqual({
      rows: [],
      total: 0,
    });
    expect(execute).toHaveBeenCalledTimes(1);
    await expect(rowsWithTotal(em, page(), liveContacts(), { offset: 50 })).resolves.toEqual({
      rows: [],
      total: 4,
    });
    expect(execute).toHaveBeenCalledTimes(3);
  });

  it('counts nothing when none', async () => {
    const { em, execute } = manager(() => [{ id: 'a' }]);
    const found = await rowsWithTotal(em, page(), liveContacts(), { offset: 0, count: CountMode.None });
    expect(found).toEqual({ rows: [{ id: 'a' }], total: null });
    expect(execute.mock.calls[0][0].sql).not.toContain('count(');
  });
});

describe('rowsInOrder', () => {
  it('reads the rows of the ids in one prepared statement and answers them in the order of the ids', async () => {
    const { em, execute } = manager(() => [{ id: 'b' }, { id: 'a' }]);
    const select = jest.fn(() => pg({ c: 'contacts' }).select('c.id'));
    await expect(rowsInOrder(em, 'spec contacts', select, 'c.id', ['a', 'gone', 'b'])).resolves.toEqual([
      { id: 'a' },
      { id: 'b' },
    ]);
    const sentStatement = execute.mock.calls[0][0];
    expect(sentStatement).toMatchObject({
      sql: 'select "c"."id" from "contacts" as "c" where c.id = any($1)',
      bindings: [['a', 'gone', 'b']],
    });
    expect(sentStatement.name).toMatch(/^vcrm_/);
    // The same text, and so the same prepared statement, whatever the number of ids; built by knex once.
    await rowsInOrder(em, 'spec contacts', select, 'c.id', ['a']);
    expect(execute.mock.calls[1][0]).toMatchObject({ name: sentStatement.name, bindings: [['a']] });
    expect(select).toHaveBeenCalledTimes(1);
  });

  it('binds the ids wherever the select uses them', async () => {
    const { em, execute } = manager(() => []);
    const select = (ids: readonly string[]) =>
      pg({ c: 'contacts' })
        .select('c.id')
        .whereRaw('c.owner_id is not null or c.id = any(?)', [[...ids]]);
    await rowsInOrder(em, 'spec contacts by owner', select, 'c.id', ['x', 'y']);
    expect(execute.mock.calls[0][0].bindings).toEqual([
      ['x', 'y'],
      ['x', 'y'],
    ]);
  });

  it('refuses a select that writes the ids into its text', async () => {
    const { em } = manager(() => []);
    const select = (ids: readonly string[]) => pg('contacts').whereRaw(`id::text = '${ids[0]}'`);
    await expect(rowsInOrder(em, 'spec spliced', select, 'id', ['x'])).rejects.toThrow(
      'the value is in the text',
    );
  });

  it('sends no query for no ids', async () => {
    const { em, execute } = manager(() => []);
    await expect(rowsInOrder(em, 'spec none', () => pg('contacts'), 'id', [])).resolves.toEqual([]);
    expect(execute).not.toHaveBeenCalled();
  });
});
