import { describe, expect, it } from '@jest/globals';

import { madeUpIds, withNewIds } from '../bench/new-ids.js';
import type { Statement } from '../bench/query-counter.js';

const CONTACT = '00000000-0000-4000-8000-00000000c001';
const CALLER = '5e1f0c1e-2b6a-4b8e-9d41-0a8f3b2c7d10';
const RECORD = '9b2d4e6f-8a1c-4e3b-b5d7-1f2a3c4e5d6f';
const AUDIT = 'c3a1e5f7-0b2d-4f6a-8c9e-2d4f6a8c0e1b';

/** A create as insertAudited sends it: the record's and its audit row's made-up ids beside ids the request sent. */
const CREATE: Statement[] = [
  {
    text: 'with refs as (select ...) insert ...',
    values: [
      CONTACT,
      CALLER,
      RECORD,
      '2026-12-07T10:00:00.000Z',
      CONTACT,
      CALLER,
      AUDIT,
      RECORD.toUpperCase(),
      `{"contact":{"to":"${CONTACT}"},"id":"${RECORD}"}`,
      Buffer.from(RECORD),
      null,
    ],
  },
];

describe('a write replayed with new ids (bench)', () => {
  it('finds the ids the request made up, not those it sent or its caller’s', () => {
    expect(madeUpIds(CREATE, `/api/communications {"contactId":"${CONTACT}"} ${CALLER}`).sort()).toEqual(
      [AUDIT, RECORD].sort(),
    );
  });

  it('replaces each made-up id by one new id wherever it appears, and leaves the rest as it was', () => {
    const [{ values }] = withNewIds(CREATE, [RECORD, AUDIT]);
    const [contact, caller, record, at, , , audit, upper, json, buffer, none] = values!;
    expect([contact, caller, at, buffer, none]).toEqual([
      CONTACT,
      CALLER,
      CREATE[0].values![3],
      Buffer.from(RECORD),
      null,
    ]);
    expect(record).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([record, audit]).not.toContain(RECORD);
    expect(audit).not.toBe(AUDIT);
    expect(audit).not.toBe(record);
    expect(upper).toBe(record);
    expect(json).toBe(`{"contact":{"to":"${CONTACT}"},"id":"${record as string}"}`);
  });

  it('finds and replaces them in a statement whose values the driver wrote into its text', () => {
    const inlined: Statement[] = [
      {
        text: `insert into t (id, contact_id) values ('${RECORD}', '${CONTACT}'); insert into a values ('${AUDIT}')`,
      },
    ];
    expect(madeUpIds(inlined, CONTACT).sort()).toEqual([AUDIT, RECORD].sort());
    const [{ text, values }] = withNewIds(inlined, [RECORD, AUDIT]);
    const [record, contact, audit] = [...text.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(contact).toBe(CONTACT);
    expect([record, audit]).not.toContain(RECORD);
    expect([record, audit]).not.toContain(AUDIT);
    expect(record).not.toBe(audit);
    expect(values).toBeUndefined();
  });

  it('makes up different ids for each replay, and leaves a read as it is', () => {
    const first = withNewIds(CREATE, [RECORD])[0].values![2];
    const second = withNewIds(CREATE, [RECORD])[0].values![2];
    expect(first).not.toBe(second);
    expect(withNewIds(CREATE, [])).toBe(CREATE);
  });
});
