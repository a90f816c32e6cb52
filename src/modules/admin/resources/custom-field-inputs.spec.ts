import { describe, expect, it } from '@jest/globals';

import { CustomFieldType } from '../../custom-fields/custom-field-definition.entity.js';
import { decodeCustomFieldValue as decode } from './custom-field-inputs.js';

describe('decodeCustomFieldValue (a custom field’s form value as its JSON value)', () => {
  it('numbers and currency amounts, group separators allowed; other text is left for the validator', () => {
    expect(decode(CustomFieldType.Number, '42')).toBe(42);
    expect(decode(CustomFieldType.Currency, '1,250,000.75')).toBe(1_250_000.75);
    expect(decode(CustomFieldType.Number, 'forty')).toBe('forty');
    expect(decode(CustomFieldType.Number, '   ')).toBe('   ');
  });

  it('booleans from "true"/"false" only', () => {
    expect(decode(CustomFieldType.Boolean, 'true')).toBe(true);
    expect(decode(CustomFieldType.Boolean, 'false')).toBe(false);
    expect(decode(CustomFieldType.Boolean, 'yes')).toBe('yes');
  });

  it('a date picker’s timestamp is its day; a plain day stays', () => {
    expect(decode(CustomFieldType.Date, '2026-03-15T00:00:00.000Z')).toBe('2026-03-15');
    expect(decode(CustomFieldType.Date, '2026-03-15')).toBe('2026-03-15');
  });

  it('multi-select is always an array (one value, or none when blank)', () => {
    expect(decode(CustomFieldType.MultiSelect, ['a', 'b'])).toEqual(['a', 'b']);
    expect(decode(CustomFieldType.MultiSelect, 'a')).toEqual(['a']);
    expect(decode(CustomFieldType.MultiSelect, '')).toEqual([]);
  });

  it('blank is null ("no value") for every other type; text, and fields without a definition, stay as sent', () => {
    for (const type of [CustomFieldType.Text, CustomFieldType.Number, CustomFieldType.Date, undefined]) {
      expect(decode(type, '')).toBeNull();
      expect(decode(type, undefined)).toBeNull();
    }
    expect(decode(CustomFieldType.Text, '12')).toBe('12');
    expect(decode(undefined, '12')).toBe('12');
  });
});
