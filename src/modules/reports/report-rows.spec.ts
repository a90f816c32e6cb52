import { describe, expect, it } from '@jest/globals';

import { dealGroups, lpGroups, lpRow, lpTotals, ratio } from './report-rows.js';
import type { GroupRow, LpRow } from './reports.repository.js';

const group = (
  dimension: string,
  key: string | null,
  currency: string,
  count: number,
  expected: string,
): GroupRow => ({
  dimension,
  key,
  label: key === null ? null : `label ${key}`,
  currency,
  count,
  expected,
  committed: '0',
  weighted: '0',
});

const lp = (currency: string, commitment: string, funded: string, investorType: string | null): LpRow => ({
  id: `${currency}-${commitment}`,
  contactId: 'c',
  contactName: 'C',
  organizationId: null,
  organizationName: null,
  organizationType: null,
  fundId: 'f',
  fundName: 'F',
  investorType,
  currency,
  commitment,
  funded,
  commitmentDate: null,
  legalDocsSigned: false,
  wireReceived: false,
  k1Sent: false,
});

describe('report rows', () => {
  it('lists every stage in pipeline order, counts over currencies, money per currency', () => {
    const groups = dealGroups(
      [
        group('stage', 'meeting', 'EUR', 1, '10.10'),
        group('stage', 'meeting', 'USD', 2, '20.20'),
        group('owner', 'u', 'USD', 3, '1'),
      ],
      'stage',
    );
    expect(groups.map((g) => g.key)).toEqual([
      'lead',
      'outreach',
      'meeting',
      'due_diligence',
      'committed',
      'funded',
      'lost',
    ]);
    expect(groups[2]).toMatchObject({
      count: 3,
      totals: [
        { currency: 'EUR', expected: 10.1 },
        { currency: 'USD', expected: 20.2 },
      ],
    });
  });

  it('names deals without an owner Unassigned and lists priorities high first', () => {
    expect(dealGroups([group('owner', null, 'USD', 1, '5')], 'owner')).toEqual([
      {
        key: null,
        label: 'Unassigned',
        count: 1,
        totals: [{ currency: 'USD', count: 1, expected: 5, committed: 0, weighted: 0 }],
      },
    ]);
    expect(dealGroups([], 'priority').map((g) => g.key)).toEqual(['high', 'medium', 'low']);
  });

  it('adds money in cents: 0.10 + 0.20 is 0.30, and unfunded is commitment − funded', () => {
    const rows = [
      lp('USD', '0.10', '0.05', 'pension'),
      lp('USD', '0.20', '0', null),
      lp('EUR', '1', '1', 'pension'),
    ].map(lpRow);
    expect(lpTotals(rows)).toEqual([
      { currency: 'EUR', count: 1, committed: 1, funded: 1, unfunded: 0 },
      { currency: 'USD', count: 2, committed: 0.3, funded: 0.05, unfunded: 0.25 },
    ]);
    expect(lpGroups(rows, (r) => r.investorType).map((g) => [g.key, g.count])).toEqual([
      ['pension', 2],
      [null, 1],
    ]);
  });

  it('gives ratios to 4 decimals, and none without a whole', () => {
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(2, 3)).toBe(0.6667);
    expect(ratio(1, 0)).toBeNull();
  });
});
