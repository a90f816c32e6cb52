import { describe, expect, it } from '@jest/globals';

import { REPORT_TTL_MS, ReportCache } from './report-cache.js';

describe('ReportCache', () => {
  it('shares one computation between requests in flight and for the TTL, then computes again', async () => {
    let time = 0;
    let runs = 0;
    const cache = new ReportCache(() => time);
    const compute = () => Promise.resolve(++runs);
    expect(await Promise.all([cache.get('a', compute), cache.get('a', compute)])).toEqual([1, 1]);
    time = REPORT_TTL_MS - 1;
    expect(await cache.get('a', compute)).toBe(1);
    expect(await cache.get('b', compute)).toBe(2);
    time = REPORT_TTL_MS;
    expect(await cache.get('a', compute)).toBe(3);
  });

  it('does not keep a failure', async () => {
    const cache = new ReportCache(() => 0);
    await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('a', () => Promise.resolve('up'))).toBe('up');
  });
});
