import { describe, expect, it } from '@jest/globals';

import { assignFields, fieldValues } from './fields.js';

interface Deal {
  name: string;
  notes: string | null;
  amount: number | null;
  priority: 'low' | 'medium' | 'high';
  tags: string[];
}

const deal = (): Deal => ({ name: 'Seed', notes: 'old', amount: 5, priority: 'high', tags: ['a'] });

describe('assignFields', () => {
  it('on PATCH sets only the fields sent; null clears', () => {
    const d = deal();
    assignFields(d, { notes: null, amount: undefined }, ['notes', 'amount'] as const, false);
    expect(d).toEqual({ ...deal(), notes: null });
  });

  it('on PUT clears every listed field left out, and leaves unlisted ones alone', () => {
    const d = deal();
    assignFields(d, { amount: 7, name: 'Other' } as Partial<Deal>, ['notes', 'amount'] as const, true);
    expect(d).toEqual({ ...deal(), notes: null, amount: 7 });
  });

  it('clears to the value mapped for a field (its default)', () => {
    const d = deal();
    assignFields(d, { priority: null }, { priority: 'medium', tags: [] as string[] }, true);
    expect(d).toEqual({ ...deal(), priority: 'medium', tags: [] });
    const p = deal();
    assignFields(p, { tags: ['b'] }, { priority: 'medium', tags: [] as string[] }, false);
    expect(p).toEqual({ ...deal(), tags: ['b'] });
  });

  it('gives each record an array default of its own', () => {
    const [a, b] = [deal(), deal()];
    const cleared = { tags: [] as string[] };
    assignFields(a, {}, cleared, true);
    assignFields(b, {}, cleared, true);
    a.tags.push('x');
    expect(b.tags).toEqual([]);
    expect(cleared.tags).toEqual([]);
  });
});

describe('fieldValues', () => {
  class Record {
    notes: string | null = 'x';
    priority: 'low' | 'medium' | 'high' = 'high';
  }

  it('gives the fields of a create: sent ones as sent, the others cleared', () => {
    expect(fieldValues(Record, { notes: 'hello' }, { notes: null, priority: 'medium' })).toEqual({
      notes: 'hello',
      priority: 'medium',
    });
    expect(fieldValues(Record, { priority: null }, ['notes', 'priority'] as const)).toEqual({
      notes: null,
      priority: null,
    });
  });
});
