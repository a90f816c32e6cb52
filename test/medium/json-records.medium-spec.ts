import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { CountMode } from '../../src/common/dto/paging.dto.js';
import {
  jsonNameRef,
  jsonObject,
  type JsonRecords,
  jsonTime,
  pageOfRecords,
  recordObject,
  recordObjects,
} from '../../src/common/utils/json-records.js';
import { runQuery } from '../../src/common/utils/sql.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

/** Records written as JSON by PostgreSQL: the timestamps a Date would print, pages in order with their totals. */
describe('JSON records on PostgreSQL', () => {
  let m: MediumModule;
  const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

  const RECORDS: JsonRecords = {
    alias: 'j',
    from: (knex) => knex({ j: 'json_spec' }).leftJoin({ g: 'json_spec_group' }, 'g.id', 'j.group_id'),
    object: jsonObject({
      id: 'j.id',
      label: 'j.label',
      group: jsonNameRef('g'),
      at: jsonTime('j.at'),
      deletedAt: jsonTime('j.deleted_at'),
    }),
  };

  beforeAll(async () => {
    m = await createMediumModule();
    const connection = m.orm.em.getConnection();
    await connection.execute('create table json_spec_group (id uuid primary key, name text not null)');
    await connection.execute(`create table json_spec (
      id uuid primary key, label text not null, group_id uuid references json_spec_group,
      at timestamptz not null, deleted_at timestamptz)`);
    await connection.execute(`insert into json_spec_group values ('${id(100)}', 'Group "A"')`);
    await connection.execute(`insert into json_spec
      select ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 'label ' || n,
             case when n % 2 = 0 then '${id(100)}'::uuid end,
             timestamptz '2026-12-07 04:36:54.123456+00' + n * interval '1 day 1.000999 seconds',
             case when n = 5 then now() end
        from generate_series(1, 12) n`);
  });
  afterAll(() => m.close());

  const rows = () => m.orm.em.getKnex()('json_spec').whereNull('deleted_at');
  const order = [
    { column: 'label', order: 'desc' as const },
    { column: 'id', order: 'asc' as const },
  ];

  it('writes a timestamp as a Date prints it, in any session time zone, and null as null', async () => {
    const em = m.em();
    await em.transactional(async (tx) => {
      await runQuery(tx, tx.getKnex().raw("set local time zone 'America/New_York'"));
      const found = await runQuery<{ text: string; json: string | null; none: string | null }>(
        tx,
        tx.getKnex().raw(
          `select at::text as text, ${jsonTime('at')} as json, ${jsonTime('deleted_at')} as none
             from json_spec where deleted_at is null`,
        ),
      );
      expect(found).toHaveLength(11);
      for (const row of found) {
        expect(row.json).toBe(new Date(row.text).toISOString());
        expect(row.none).toBeNull();
      }
    });
  });

  it('answers a page as JSON text, in its order, with the total counted as asked', async () => {
    const page = await pageOfRecords<{ id: string; label: string; group: unknown }>(
      m.em(),
      RECORDS,
      rows(),
      order,
      { limit: 3, offset: 1, count: CountMode.Exact },
    );
    expect(typeof page.data).toBe('string');
    const data = JSON.parse(page.data) as { id: string; label: string; group: unknown }[];
    // As text, descending: label 9, 8, 7, 6, 4 … 2, 12, 11, 10, 1 (5 is deleted).
    expect(data.map((r) => r.label)).toEqual(['label 8', 'label 7', 'label 6']);
    expect(data[0]).toEqual({
      id: id(8),
      label: 'label 8',
      group: { id: id(100), name: 'Group "A"' },
      at: expect.stringMatching(/^2026-12-15T04:37:02\.131Z$/),
      deletedAt: null,
    });
    expect(data[1].group).toBeNull();
    expect(page.total).toBe(11);
    const none = await pageOfRecords(m.em(), RECORDS, rows(), order, {
      limit: 3,
      offset: 0,
      count: CountMode.None,
    });
    expect(none.total).toBeNull();
    const beyond = await pageOfRecords(m.em(), RECORDS, rows(), order, { limit: 3, offset: 50 });
    expect(beyond).toEqual({ data: '[]', total: 11 });
  });

  it('reads records by id, in the order asked, and one record only while live unless asked', async () => {
    const found = await recordObjects<{ id: string }>(m.em(), RECORDS, [id(3), id(99), id(1)]);
    expect(found.map((r) => r.id)).toEqual([id(3), id(1)]);
    expect(await recordObject(m.em(), RECORDS, id(5), false)).toBeUndefined();
    expect(await recordObject(m.em(), RECORDS, id(5), true)).toMatchObject({
      id: id(5),
      deletedAt: expect.any(String),
    });
  });
});
