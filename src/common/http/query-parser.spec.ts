import { describe, expect, it } from '@jest/globals';

import { parseQueryString } from './query-parser.js';

describe('parseQueryString', () => {
  it('keeps plain pairs and gathers repeats', () => {
    expect(parseQueryString('a=1&b=x%20y&a=2')).toEqual({ a: ['1', '2'], b: 'x y' });
  });

  it('gathers custom field filters under cf', () => {
    expect(parseQueryString('cf.region=EMEA&cf.size[gte]=10&cf.size[lte]=20&limit=5')).toEqual({
      cf: { region: 'EMEA', size: { gte: '10', lte: '20' } },
      limit: '5',
    });
  });

  it('keeps an equality next to a range visible, so it can be refused', () => {
    expect(parseQueryString('cf.size=3&cf.size[gte]=1')).toEqual({ cf: { size: { eq: '3', gte: '1' } } });
    expect(parseQueryString('cf.size[gte]=1&cf.size=3')).toEqual({ cf: { size: { gte: '1', eq: '3' } } });
  });

  it('does not nest anything else and ignores prototype keys', () => {
    expect(parseQueryString('a[b]=1&cf.Bad=2&__proto__=x')).toEqual({ 'a[b]': '1', 'cf.Bad': '2' });
  });
});
