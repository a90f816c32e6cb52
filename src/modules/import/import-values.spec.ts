import { describe, expect, it } from '@jest/globals';

import { readValueCell } from './import-cells.js';
import { ImportEntityType, IMPORT_FIELDS, suggestMapping } from './import-fields.js';
import {
  isValidEmail,
  joinList,
  nameKey,
  normaliseEmail,
  parseCheckbox,
  parseDate,
  parseDateTime,
  parseEnum,
  parseMoney,
  parseNumber,
  splitList,
  splitName,
} from './import-values.js';

describe('parseMoney', () => {
  it.each([
    ['$5,000,000.00', 5_000_000, 'USD'],
    ['€2,000,000.00', 2_000_000, 'EUR'],
    ['5000000', 5_000_000, null],
    ['$5M', 5_000_000, 'USD'],
    ['2.5k', 2500, null],
    ['$1.25mm', 1_250_000, 'USD'],
    ['USD 1,000', 1000, 'USD'],
    ['1,000 EUR', 1000, 'EUR'],
    ['£750', 750, 'GBP'],
    ['($300.50)', -300.5, 'USD'],
    ['-$12', -12, 'USD'],
    [' 12.345 ', 12.35, null],
  ])('%s', (raw, amount, currency) => {
    expect(parseMoney(raw)).toEqual({ amount, currency });
  });

  it.each(['', 'abc', '5,00', '1.2.3', '$', '€5 USD', '12,34,567'])('refuses %p', (raw) => {
    expect(parseMoney(raw)).toBeUndefined();
  });
});

describe('dates', () => {
  it('reads US, ISO and friendly dates', () => {
    expect(parseDate('3/15/2024')).toBe('2024-03-15');
    expect(parseDate('03/05/24')).toBe('2024-03-05');
    expect(parseDate('2024-03-15')).toBe('2024-03-15');
    expect(parseDate('2024-03-15T10:00:00.000Z')).toBe('2024-03-15');
    expect(parseDate('March 15, 2024')).toBe('2024-03-15');
    expect(parseDate('Sep 1 2024')).toBe('2024-09-01');
  });

  it('reads day first when asked (European exports)', () => {
    expect(parseDate('15/3/2024', { dayFirst: true })).toBe('2024-03-15');
    expect(parseDate('15.03.2024', { dayFirst: true })).toBe('2024-03-15');
    expect(parseDate('15/3/2024')).toBeUndefined();
  });

  it('refuses impossible dates and junk', () => {
    for (const raw of ['2/30/2024', '13/1/2024', '2024-02-30', 'soon', '', '3/15/2024 25:00']) {
      expect(parseDate(raw)).toBeUndefined();
    }
  });

  it('reads times with am/pm, 24h and zones, UTC when none is given', () => {
    expect(parseDateTime('3/15/2024 2:30pm')?.toISOString()).toBe('2024-03-15T14:30:00.000Z');
    expect(parseDateTime('3/15/2024 12:05 AM')?.toISOString()).toBe('2024-03-15T00:05:00.000Z');
    expect(parseDateTime('3/15/2024 14:30')?.toISOString()).toBe('2024-03-15T14:30:00.000Z');
    expect(parseDateTime('2024-03-15T14:30:00+02:00')?.toISOString()).toBe('2024-03-15T12:30:00.000Z');
    expect(parseDateTime('2024-03-15T14:30:00.000Z')?.toISOString()).toBe('2024-03-15T14:30:00.000Z');
    expect(parseDateTime('3/15/2024')?.toISOString()).toBe('2024-03-15T00:00:00.000Z');
    expect(parseDateTime('3/15/2024 13:30pm')).toBeUndefined();
  });

  it("keeps milliseconds, so a moment of this app's export imports back exactly", () => {
    expect(parseDateTime('2024-03-15T14:30:00.123Z')?.toISOString()).toBe('2024-03-15T14:30:00.123Z');
    expect(parseDateTime('2024-03-15T14:30:00.1234567Z')?.toISOString()).toBe('2024-03-15T14:30:00.123Z');
    expect(parseDate('2024-03-15T14:30:00.123Z')).toBe('2024-03-15');
  });
});

describe('parseCheckbox', () => {
  it('reads Airtable checkboxes', () => {
    expect(parseCheckbox('checked')).toBe(true);
    expect(parseCheckbox('')).toBe(false);
    expect(parseCheckbox(' TRUE ')).toBe(true);
    expect(parseCheckbox('no')).toBe(false);
    expect(parseCheckbox('maybe')).toBeUndefined();
  });
});

describe('lists', () => {
  it('splits multi-selects and linked records, keeping quoted commas', () => {
    expect(splitList('a, b')).toEqual(['a', 'b']);
    expect(splitList('"Pacific Capital, LLC",Other')).toEqual(['Pacific Capital, LLC', 'Other']);
    expect(splitList(' a ,, A, b ')).toEqual(['a', 'b']);
    expect(splitList('')).toEqual([]);
  });

  it('joins so that splitting gives the items back', () => {
    const items = ['Fund I LP', 'Pacific Capital, LLC', 'say "hi"'];
    expect(splitList(joinList(items))).toEqual(items);
    expect(joinList(['a', 'b'])).toBe('a, b');
  });
});

describe('splitName', () => {
  it.each([
    ['Dana Ruiz', 'Dana', 'Ruiz'],
    ['  Dana   Ruiz ', 'Dana', 'Ruiz'],
    ['Ruiz, Dana', 'Dana', 'Ruiz'],
    ['Mary Ann Smith', 'Mary Ann', 'Smith'],
    ['John Smith Jr.', 'John', 'Smith Jr.'],
    ['Cher', 'Cher', ''],
  ])('%s', (raw, firstName, lastName) => {
    expect(splitName(raw)).toEqual({ firstName, lastName });
  });
});

describe('emails', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Dana.Ruiz@Summit.EXAMPLE ')).toBe('dana.ruiz@summit.example');
    expect(normaliseEmail('mailto:A@B.co')).toBe('a@b.co');
    expect(normaliseEmail('Dana Ruiz <Dana@Summit.example>')).toBe('dana@summit.example');
  });

  it('validates as the API does', () => {
    expect(isValidEmail('dana@summit.example')).toBe(true);
    expect(isValidEmail('dana@')).toBe(false);
    expect(isValidEmail('dana at summit')).toBe(false);
  });
});

describe('nameKey', () => {
  it('ignores case, spacing, punctuation and accents', () => {
    expect(nameKey('Pacific Capital Partners, L.P.')).toBe(nameKey('pacific  capital partners LP'));
    expect(nameKey('Société Générale')).toBe(nameKey('SOCIETE GENERALE'));
    expect(nameKey('Smith & Co')).toBe(nameKey('smith and co'));
    expect(nameKey('Atlas')).not.toBe(nameKey('Atlas Family Office'));
  });
});

describe('parseEnum', () => {
  it('reads labels', () => {
    const values = ['family_office', 'pension', 'other'];
    expect(parseEnum('Family Office', values)).toBe('family_office');
    expect(parseEnum('family-office', values)).toBe('family_office');
    expect(parseEnum('PENSION', values)).toBe('pension');
    expect(parseEnum('hedge fund', values)).toBeUndefined();
  });

  it("reads a field's synonyms (Airtable spellings) ignoring case and spacing, and only those", () => {
    const stage = IMPORT_FIELDS[ImportEntityType.Opportunity].find((f) => f.name === 'stage')!;
    const read = (raw: string) => parseEnum(raw, stage.values!, stage.synonyms);
    expect(read('Closed Won')).toBe('funded');
    expect(read('closed-lost')).toBe('lost');
    expect(read('Due Diligence')).toBe('due_diligence');
    expect(read('Hard Circle')).toBe('committed');
    // Interest, not a commitment — or diligence? Not guessed.
    expect(read('Soft Circle')).toBeUndefined();
    expect(read('Closed')).toBeUndefined();
    expect(read('constructor')).toBeUndefined();
    const status = IMPORT_FIELDS[ImportEntityType.Task].find((f) => f.name === 'status')!;
    expect(parseEnum('Completed', status.values!, status.synonyms)).toBe('done');
    expect(parseEnum('In progress', status.values!, status.synonyms)).toBe('open');
  });
});

describe('parseNumber', () => {
  it('reads percentages, minutes and thousands', () => {
    expect(parseNumber('60%')).toBe(60);
    expect(parseNumber(' 30 min ')).toBe(30);
    expect(parseNumber('45 minutes')).toBe(45);
    expect(parseNumber('1,440')).toBe(1440);
    expect(parseNumber('12.5')).toBe(12.5);
    expect(parseNumber('-3')).toBe(-3);
    for (const raw of ['', 'half', '1,44', '5 hours', '1e3']) expect(parseNumber(raw)).toBeUndefined();
  });
});

describe('readValueCell', () => {
  it('keeps the currency a money cell names, and reads empty cells as no value', () => {
    expect(readValueCell('money', '€2,000,000.00', {})).toEqual({ value: 2000000, currency: 'EUR' });
    expect(readValueCell('money', '5000000', {})).toEqual({ value: 5000000 });
    expect(readValueCell('money', '', {})).toEqual({ value: null });
    expect(readValueCell('money', 'lots', {})).toEqual({ error: expect.stringContaining('"lots"') });
    expect(readValueCell('date', '15/3/2024', { dayFirst: true })).toEqual({ value: '2024-03-15' });
    expect(readValueCell('date', '15/3/2024', {})).toEqual({ error: expect.stringContaining('not a date') });
    expect(readValueCell('datetime', '3/15/2024 2:30pm', {})).toEqual({ value: '2024-03-15T14:30:00.000Z' });
    expect(readValueCell('boolean', '', {})).toEqual({ value: false });
    expect(readValueCell('boolean', 'maybe', {})).toEqual({ error: expect.stringContaining('checkbox') });
    expect(readValueCell('integer', '60%', {})).toEqual({ value: 60 });
    expect(readValueCell('list', 'a, "b, c"', {})).toEqual({ value: ['a', 'b, c'] });
    expect(readValueCell('text', 'x', {})).toBeUndefined();
  });
});

describe('suggestMapping', () => {
  it('maps exact, case/spacing-insensitive and common Airtable names; the rest is ignored', () => {
    const mapping = suggestMapping(
      ['Name', 'Email Address', 'COMPANY', 'first name', 'Tags', 'Fund I Check Size', 'Favourite colour', ''],
      ImportEntityType.Contact,
      [{ key: 'check_size', label: 'Fund I Check Size' }],
    );
    expect(mapping).toEqual({
      Name: 'name',
      'Email Address': 'email',
      COMPANY: 'organization',
      'first name': 'firstName',
      Tags: 'tags',
      'Fund I Check Size': 'cf.check_size',
      'Favourite colour': 'ignore',
      '': 'ignore',
    });
  });

  it('gives a field to one column only, preferring an exact match', () => {
    expect(suggestMapping(['Company', 'Organization'], ImportEntityType.Contact)).toEqual({
      Company: 'ignore',
      Organization: 'organization',
    });
    expect(
      suggestMapping(['cf.stage', 'email'], ImportEntityType.Organization, [
        { key: 'stage', label: 'Stage' },
      ]),
    ).toEqual({
      'cf.stage': 'cf.stage',
      email: 'email',
    });
  });
});
