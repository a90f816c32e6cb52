import { describe, expect, it } from '@jest/globals';

import { fractionalDays } from './opportunity-response.dto.js';

describe('fractionalDays (time in stage)', () => {
  it('fractionalDays rounds to two decimals, never negative', () => {
    expect(fractionalDays(86_400_000 * 1.5)).toBe(1.5);
    expect(fractionalDays(86_400_000 / 3)).toBe(0.33);
    expect(fractionalDays(-1000)).toBe(0);
  });
});
