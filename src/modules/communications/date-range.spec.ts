import { describe, expect, it } from '@jest/globals';

import { ValidationError } from '../../common/errors/index.js';
import { dateRange, isDateTime } from './date-range.js';

describe('dateRange', () => {
  it('covers whole days in the server time zone for bare dates', () => {
    expect(dateRange('2024-03-01', '2024-03-31')).toEqual({
      $gte: new Date(2024, 2, 1),
      $lt: new Date(2024, 3, 1),
    });
    expect(dateRange('2024-03-05', '2024-03-05')).toEqual({
      $gte: new Date(2024, 2, 5),
      $lt: new Date(2024, 2, 6),
    });
  });

  it('uses date-times as exact, inclusive bounds', () => {
    expect(dateRange('2024-03-01T10:00:00Z', '2024-03-01T10:00:00Z')).toEqual({
      $gte: new Date('2024-03-01T10:00:00Z'),
      $lte: new Date('2024-03-01T10:00:00Z'),
    });
    expect(dateRange(undefined, '2024-03-01T10:00:00+02:00')).toEqual({
      $lte: new Date('2024-03-01T08:00:00Z'),
    });
    expect(dateRange(undefined, undefined)).toBeUndefined();
  });

  it('refuses from after to, naming from', () => {
    expect(() => dateRange('2024-03-02', '2024-03-01')).toThrow(ValidationError);
    expect(() => dateRange('2024-03-01T10:00:01Z', '2024-03-01T10:00:00Z')).toThrow(
      'from: must not be after to',
    );
  });
});

describe('isDateTime', () => {
  it('accepts ISO 8601 date-times and refuses the rest', () => {
    for (const ok of ['2024-03-15T14:30:00Z', '2024-03-15T14:30', '2024-03-15T14:30:00.123+01:00']) {
      expect({ ok, valid: isDateTime(ok) }).toEqual({ ok, valid: true });
    }
    for (const bad of ['2024-03-15', '2024-02-30T10:00:00Z', 'yesterday', '15/03/2024 10:00', 42]) {
      expect({ bad, valid: isDateTime(bad) }).toEqual({ bad, valid: false });
    }
  });
});
