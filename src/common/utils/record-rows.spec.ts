import { describe, expect, it } from '@jest/globals';

import { timestamp, timestampOrNull } from './record-rows.js';

describe('timestamp (PostgreSQL text to the API’s ISO form)', () => {
  it('answers what a Date of the same text prints as JSON, for text and for JSON timestamps', () => {
    const cases = [
      '2026-12-07 04:36:54.123456+00',
      '2026-12-07T04:36:54.123456+00:00',
      '2026-12-31 23:59:59.9999+00',
      '2026-12-07 04:36:54.1+00',
      '2026-12-07 04:36:54+00',
      '2026-12-07T04:36:54+00:00',
      '2026-12-07T04:36:54.120Z',
      // Another session time zone: read through a Date, so the answer is still UTC.
      '2026-12-07 05:36:54.5+01',
      '2026-12-06T23:36:54.25-05:00',
    ];
    for (const text of cases) expect([text, timestamp(text)]).toEqual([text, new Date(text).toISOString()]);
  });

  it('agrees with a Date on a spread of instants, fractions cut (not rounded) to milliseconds', () => {
    for (let i = 0; i < 2000; i++) {
      const micros = i * 7_919_777_123 + 1_262_304_000_000_000;
      const iso = new Date(Math.floor(micros / 1000)).toISOString();
      const text = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(micros % 1_000_000).padStart(6, '0')}+00`;
      expect(timestamp(text)).toBe(new Date(text).toISOString());
    }
  });

  it('keeps null', () => {
    expect(timestampOrNull(null)).toBeNull();
    expect(timestampOrNull('2026-12-07 04:36:54+00')).toBe('2026-12-07T04:36:54.000Z');
  });
});
