import { describe, expect, it } from '@jest/globals';

import { listOrder, orderBy } from './sort.js';

describe('orderBy (a whitelisted sort as a MikroORM orderBy)', () => {
  const columns = { name: ['lastName', 'firstName'], organization: ['organization.name'] };

  it('maps an API field to its entity paths, the id last so ties keep a stable order', () => {
    expect(orderBy('name', 'desc', columns)).toEqual([
      { lastName: 'desc' },
      { firstName: 'desc' },
      { id: 'desc' },
    ]);
  });

  it('nests a dotted path into the relation', () => {
    expect(orderBy('organization', 'asc', columns)).toEqual([
      { organization: { name: 'asc' } },
      { id: 'asc' },
    ]);
  });

  it('a field without a mapping is its own path; ascending by default', () => {
    expect(orderBy('createdAt', undefined, columns)).toEqual([{ createdAt: 'asc' }, { id: 'asc' }]);
  });
});

describe('listOrder (lists whose default is newest or largest first)', () => {
  const defaults = { sort: 'updatedAt', order: 'desc' } as const;

  it('without sort: the default field and direction', () => {
    expect(listOrder(undefined, undefined, defaults)).toEqual([{ updatedAt: 'desc' }, { id: 'desc' }]);
  });

  it('with sort: ascending unless told otherwise; the default order applies to the default field only', () => {
    expect(listOrder('name', undefined, defaults)).toEqual([{ name: 'asc' }, { id: 'asc' }]);
    expect(listOrder('name', 'desc', defaults)).toEqual([{ name: 'desc' }, { id: 'desc' }]);
    expect(listOrder(undefined, 'asc', defaults)).toEqual([{ updatedAt: 'asc' }, { id: 'asc' }]);
  });

  it('empty amounts count as the smallest: first ascending, last descending', () => {
    const smallest = ['expectedAmount'];
    expect(listOrder('expectedAmount', 'asc', defaults, smallest)).toEqual([
      { expectedAmount: 'asc nulls first' },
      { id: 'asc' },
    ]);
    expect(listOrder('expectedAmount', 'desc', defaults, smallest)).toEqual([
      { expectedAmount: 'desc nulls last' },
      { id: 'desc' },
    ]);
  });

  it('other fields keep PostgreSQL’s rule (empty sorts as the largest): no nulls clause', () => {
    expect(listOrder('closeDate', 'asc', defaults, ['expectedAmount'])).toEqual([
      { closeDate: 'asc' },
      { id: 'asc' },
    ]);
  });
});
