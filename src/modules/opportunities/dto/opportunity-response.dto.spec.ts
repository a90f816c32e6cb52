import { describe, expect, it } from '@jest/globals';

import { fractionalDays, wholeDays, weightedAmount } from './opportunity-response.dto.js';

describe('weightedAmount (expected × probability / 100)', () => {
  it('is null without an expected amount', () => {
    expect(weightedAmount(null, 50)).toBeNull();
    expect(weightedAmount(undefined, 50)).toBeNull();
  });

  it('weights by the probability', () => {
    expect(weightedAmount(1_000_000, 35)).toBe(350_000);
    expect(weightedAmount(1_000_000, 0)).toBe(0);
    expect(weightedAmount(1_000_000, 100)).toBe(1_000_000);
    expect(weightedAmount(0, 90)).toBe(0);
  });

  it('rounds to the cent, computed in cents (no float drift)', () => {
    // 1.15 × 50 in floats is 57.49999999999999 (rounded: 0.57); in cents, 115 × 50 / 100 = 57.5 → 0.58.
    expect(Math.round(1.15 * 50) / 100).toBe(0.57);
    expect(weightedAmount(1.15, 50)).toBe(0.58);
    expect(weightedAmount(1234.57, 33)).toBe(407.41);
    expect(weightedAmount(0.35, 10)).toBe(0.04);
    expect(weightedAmount(9_999_999_999_999.99, 100)).toBe(9_999_999_999_999.99);
  });
});

describe('wholeDays and fractionalDays (time in stage)', () => {
  const t0 = new Date('2026-03-01T12:00:00Z');
  const later = (days: number) => new Date(t0.getTime() + days * 86_400_000);

  it('wholeDays counts full days, never negative', () => {
    expect(wholeDays(t0, later(0.99))).toBe(0);
    expect(wholeDays(t0, later(1))).toBe(1);
    expect(wholeDays(t0, later(3.7))).toBe(3);
    expect(wholeDays(t0, later(-2))).toBe(0);
  });

  it('fractionalDays rounds to two decimals, never negative', () => {
    expect(fractionalDays(86_400_000 * 1.5)).toBe(1.5);
    expect(fractionalDays(86_400_000 / 3)).toBe(0.33);
    expect(fractionalDays(-1000)).toBe(0);
  });
});
