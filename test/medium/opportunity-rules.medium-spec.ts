import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { personNameSql } from '../../src/common/utils/json-records.js';
import { runQuery } from '../../src/common/utils/sql.js';
import { weightedAmountSql, wholeDaysSql } from '../../src/modules/opportunities/opportunities.repository.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

/** The computed fields PostgreSQL writes into an opportunity's response. */
describe('opportunity response rules in SQL', () => {
  let m: MediumModule;
  beforeAll(async () => {
    m = await createMediumModule();
  });
  afterAll(() => m.close());

  const value = async <T>(sql: string): Promise<T> => {
    const [row] = await runQuery<{ v: T }>(m.em(), m.orm.em.getKnex().raw(`select ${sql} as v`));
    return row.v;
  };
  const weighted = (amount: string | null, probability: number) =>
    value<number | null>(weightedAmountSql(`${amount ?? 'null'}::numeric(15,2)`, String(probability)));

  it('weightedAmount is expected × probability / 100, null without an amount', async () => {
    expect(await weighted(null, 50)).toBeNull();
    expect(await weighted('1000000', 35)).toBe(350_000);
    expect(await weighted('1000000', 0)).toBe(0);
    expect(await weighted('1000000', 100)).toBe(1_000_000);
    expect(await weighted('0', 90)).toBe(0);
  });

  it('weightedAmount rounds to the cent, computed in cents (no float drift)', async () => {
    // 1.15 × 50 in floats is 57.49999999999999 (rounded: 0.57); in cents, 115 × 50 / 100 = 57.5 → 0.58.
    expect(Math.round(1.15 * 50) / 100).toBe(0.57);
    expect(await weighted('1.15', 50)).toBe(0.58);
    expect(await weighted('1234.57', 33)).toBe(407.41);
    expect(await weighted('0.35', 10)).toBe(0.04);
    expect(await weighted('9999999999999.99', 100)).toBe(9_999_999_999_999.99);
  });

  it('daysInStage counts full days to now, never negative', async () => {
    const ago = (days: string) =>
      value<number>(wholeDaysSql(`statement_timestamp() - interval '${days} days'`));
    expect(await ago('0.99')).toBe(0);
    expect(await ago('1')).toBe(1);
    expect(await ago('3.7')).toBe(3);
    expect(await ago('-2')).toBe(0);
  });

  it('a contact is named "First Last", an empty part left out', async () => {
    const named = (first: string, last: string) =>
      value<string>(
        `(select ${personNameSql('c')} from (values ('${first}', '${last}')) c(first_name, last_name))`,
      );
    expect(await named('Dana', 'Ruiz')).toBe('Dana Ruiz');
    expect(await named('Dana', '')).toBe('Dana');
    expect(await named('', 'Ruiz')).toBe('Ruiz');
  });
});
