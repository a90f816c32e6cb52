import { describe, expect, it, jest } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';

import { COUNT_CAP, CountMode } from '../dto/paging.dto.js';
import { countRows } from './sql.js';

/** An EntityManager whose connection answers every query with a count of `n`. */
function counting(n: number) {
  const execute = jest.fn((_sql: string, _params: unknown[]) => Promise.resolve([{ n }]));
  return { em: { getConnection: () => ({ execute }) } as unknown as EntityManager, execute };
}

describe('countRows', () => {
  const select = 'select 1 from contacts where deleted_at is null';

  it('stops at COUNT_CAP + 1 rows by default and reports a capped total past the cap', async () => {
    const { em, execute } = counting(COUNT_CAP + 1);
    await expect(countRows(em, select, [])).resolves.toEqual({ capped: COUNT_CAP });
    expect(execute.mock.calls[0][0]).toContain(`limit ${COUNT_CAP + 1}`);
  });

  it('counts every row, without a limit, when exact', async () => {
    const { em, execute } = counting(COUNT_CAP * 5);
    await expect(countRows(em, select, ['x'], CountMode.Exact)).resolves.toBe(COUNT_CAP * 5);
    expect(execute.mock.calls[0][0]).not.toContain('limit');
    expect(execute.mock.calls[0][1]).toEqual(['x']);
  });

  it('sends no query when none', async () => {
    const { em, execute } = counting(3);
    await expect(countRows(em, select, [], CountMode.None)).resolves.toBeNull();
    expect(execute).not.toHaveBeenCalled();
  });
});
