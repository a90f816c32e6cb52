import { describe, expect, it } from '@jest/globals';

import { CustomFieldType } from './custom-field-definition.entity.js';
import { checkValue, type FieldRule } from './custom-field-values.js';

const rule = (fieldType: CustomFieldType, options: string[] = []): FieldRule => ({
  key: 'k',
  fieldType,
  options,
  required: false,
});

describe('checkValue', () => {
  it('is strict for the API', () => {
    expect(checkValue(rule(CustomFieldType.Number), '1,500,000')).toEqual({
      ok: false,
      reason: expect.stringContaining('JSON number'),
    });
    expect(checkValue(rule(CustomFieldType.Currency), 10.005)).toEqual({
      ok: false,
      reason: 'must have at most 2 decimals',
    });
    expect(checkValue(rule(CustomFieldType.Currency), 1500000.5)).toEqual({ ok: true, value: 1500000.5 });
    expect(checkValue(rule(CustomFieldType.Date), '3/15/2024')).toMatchObject({ ok: false });
    expect(checkValue(rule(CustomFieldType.Date), '2024-02-30')).toMatchObject({ ok: false });
    expect(checkValue(rule(CustomFieldType.Boolean), 'checked')).toMatchObject({ ok: false });
    expect(checkValue(rule(CustomFieldType.MultiSelect, ['a', 'b']), 'a, b')).toMatchObject({ ok: false });
    expect(checkValue(rule(CustomFieldType.Select, ['Seed']), 'seed')).toMatchObject({ ok: false });
    expect(checkValue(rule(CustomFieldType.Text), '  padded  ')).toEqual({ ok: true, value: 'padded' });
    expect(checkValue(rule(CustomFieldType.Text), 'x'.repeat(1001))).toEqual({
      ok: false,
      reason: 'must be at most 1000 characters',
    });
    expect(checkValue(rule(CustomFieldType.Url), 'javascript:alert(1)')).toMatchObject({ ok: false });
    expect(checkValue(rule(CustomFieldType.Email), 'ir@fund')).toMatchObject({ ok: false });
    expect(checkValue(rule(CustomFieldType.MultiSelect, ['a', 'b']), ['b', 'a', 'b'])).toEqual({
      ok: true,
      value: ['b', 'a'],
    });
    expect(checkValue(rule(CustomFieldType.Number), null)).toEqual({ ok: true, value: null });
  });

  it('understands spreadsheet exports in lenient (import) mode', () => {
    expect(checkValue(rule(CustomFieldType.Currency), '$5,000,000.00', true)).toEqual({
      ok: true,
      value: 5000000,
    });
    expect(checkValue(rule(CustomFieldType.Number), '(1,250)', true)).toEqual({ ok: true, value: -1250 });
    expect(checkValue(rule(CustomFieldType.Currency), '2.5M', true)).toEqual({ ok: true, value: 2500000 });
    expect(checkValue(rule(CustomFieldType.Date), '3/15/2024', true)).toEqual({
      ok: true,
      value: '2024-03-15',
    });
    expect(checkValue(rule(CustomFieldType.Boolean), 'checked', true)).toEqual({ ok: true, value: true });
    expect(checkValue(rule(CustomFieldType.Boolean), '', true)).toEqual({ ok: true, value: null });
    expect(
      checkValue(rule(CustomFieldType.MultiSelect, ['Fintech', 'Health']), 'fintech, Health', true),
    ).toEqual({
      ok: true,
      value: ['Fintech', 'Health'],
    });
    expect(checkValue(rule(CustomFieldType.Select, ['Seed']), 'SEED', true)).toEqual({
      ok: true,
      value: 'Seed',
    });
    expect(checkValue(rule(CustomFieldType.Number), 'about ten', true)).toMatchObject({ ok: false });
  });
});
