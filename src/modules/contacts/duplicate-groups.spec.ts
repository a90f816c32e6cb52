import { describe, expect, it } from '@jest/globals';

import type { Contact } from './contact.entity.js';
import { duplicateGroupDto, duplicateGroups } from './duplicate-groups.js';

const pair = (a: string, b: string, organizationName: string, score: number) => ({
  a,
  b,
  organizationName,
  score,
});

describe('duplicateGroups (the duplicates report’s grouping)', () => {
  it('chains similar-name pairs into one group: A~B and B~C make {A, B, C}, with the best similarity', () => {
    const groups = duplicateGroups([], [pair('a', 'b', 'Atlas', 0.7), pair('b', 'c', 'Atlas', 0.9)]);
    expect(groups).toEqual([{ reason: 'similar_name', ids: ['a', 'b', 'c'], key: 'Atlas', score: 0.9 }]);
  });

  it('keeps unconnected pairs apart', () => {
    const groups = duplicateGroups([], [pair('a', 'b', 'Atlas', 0.7), pair('c', 'd', 'Atlas', 0.8)]);
    expect(groups.map((g) => g.ids)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('joins two chains a later pair links', () => {
    const groups = duplicateGroups(
      [],
      [pair('a', 'b', 'Atlas', 0.7), pair('c', 'd', 'Atlas', 0.7), pair('b', 'd', 'Atlas', 0.65)],
    );
    expect(groups).toHaveLength(1);
    expect([...groups[0].ids].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('orders email groups first (by email), then name groups by organization name, then by smallest id', () => {
    const groups = duplicateGroups(
      [
        { email: 'zed@x.example', ids: ['e1', 'e2'] },
        { email: 'amy@x.example', ids: ['e3', 'e4'] },
      ],
      [pair('n5', 'n6', 'Summit', 0.7), pair('n3', 'n4', 'Atlas', 0.7), pair('n1', 'n2', 'Summit', 0.7)],
    );
    expect(groups.map((g) => [g.reason, g.key, g.ids[0]])).toEqual([
      ['same_email', 'amy@x.example', 'e3'],
      ['same_email', 'zed@x.example', 'e1'],
      ['similar_name', 'Atlas', 'n3'],
      ['similar_name', 'Summit', 'n1'],
      ['similar_name', 'Summit', 'n5'],
    ]);
  });
});

describe('duplicateGroupDto', () => {
  const contact = (id: string, createdAt: string, org: string | null = 'Atlas FO'): Contact =>
    ({
      id,
      firstName: `First ${id}`,
      lastName: 'Last',
      email: null,
      organization: org ? { id: `org-${org}`, name: org } : null,
      createdAt: new Date(createdAt),
    }) as unknown as Contact;

  it('lists the contacts oldest first and explains a name group with its organization and rounded similarity', () => {
    const byId = new Map([
      ['b', contact('b', '2026-02-01T00:00:00Z')],
      ['a', contact('a', '2026-03-01T00:00:00Z')],
    ]);
    const dto = duplicateGroupDto(
      { reason: 'similar_name', ids: ['a', 'b'], key: 'Atlas FO', score: 0.66666 },
      byId,
    );
    expect(dto.contacts.map((c) => c.id)).toEqual(['b', 'a']);
    expect(dto).toMatchObject({
      similarity: 0.67,
      explanation: 'similar names at Atlas FO (similarity 0.67)',
    });
  });

  it('explains an email group by its email, without a similarity; contacts no longer there are left out', () => {
    const byId = new Map([['a', contact('a', '2026-03-01T00:00:00Z', null)]]);
    const dto = duplicateGroupDto({ reason: 'same_email', ids: ['a', 'gone'], key: 'ada@x.example' }, byId);
    expect(dto).toEqual({
      reason: 'same_email',
      explanation: 'same email ignoring case: ada@x.example',
      similarity: null,
      contacts: [
        {
          id: 'a',
          firstName: 'First a',
          lastName: 'Last',
          email: null,
          organization: null,
          createdAt: new Date('2026-03-01T00:00:00Z'),
        },
      ],
    });
  });
});
