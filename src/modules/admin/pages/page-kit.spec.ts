import { describe, expect, it } from '@jest/globals';
import { IsInt, IsOptional, Max } from 'class-validator';
import { Type } from 'class-transformer';

import { Role } from '../../../common/auth/role.js';
import { AppError } from '../../../common/errors/index.js';
import type { AdminUser } from '../admin-access.js';
import { assertRole, pageHandler, pageInput } from './page-kit.js';

const session = (role: Role): { currentAdmin: AdminUser } => ({
  currentAdmin: { id: 'u1', email: 'a@b.example', username: 'ann', title: 'Ann', role, tokenVersion: 0 },
});

const refusal = async (run: () => Promise<unknown>): Promise<Record<string, unknown>> => {
  try {
    await run();
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, code: err.code, details: err.details };
    return { thrown: (err as Error).constructor.name };
  }
  throw new Error('expected a refusal');
};

class LimitDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Max(10)
  limit?: number;
}

describe('page handlers', () => {
  const handler = pageHandler({
    read: (query, caller) => Promise.resolve({ read: query, by: caller.id, role: caller.role }),
    actions: { move: (fields, caller) => Promise.resolve({ moved: fields, by: caller.id }) },
  });

  it('answers a GET from the query and a POST through its named action, as the signed-in user', async () => {
    await expect(handler({ method: 'get', query: { q: 'x' } }, {}, session(Role.Member))).resolves.toEqual({
      read: { q: 'x' },
      by: 'u1',
      role: Role.Member,
    });
    await expect(
      handler({ method: 'post', payload: { action: 'move', id: '7' } }, {}, session(Role.Member)),
    ).resolves.toEqual({ moved: { id: '7' }, by: 'u1' });
  });

  it('refuses an unknown action (inherited names too), a page without writes, and no session', async () => {
    for (const action of ['drop', 'toString', '__proto__', undefined]) {
      await expect(
        refusal(() => handler({ method: 'post', payload: { action } }, {}, session(Role.Admin))),
      ).resolves.toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        details: [{ field: 'action', message: 'must be one of: move' }],
      });
    }
    const readOnly = pageHandler({ read: () => Promise.resolve({}) });
    await expect(
      refusal(() => readOnly({ method: 'post', payload: {} }, {}, session(Role.Admin))),
    ).resolves.toMatchObject({
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
    });
    await expect(refusal(() => handler({ method: 'get' }, {}, {}))).resolves.toEqual({
      thrown: 'ForbiddenError',
    });
  });

  it('checks roles as the API does, and input with the API’s validation pipe', async () => {
    expect(() =>
      assertRole(
        { id: 'u', username: 'u', role: Role.Manager, twoFactorEnabled: true, via: 'jwt' },
        Role.Manager,
      ),
    ).not.toThrow();
    await expect(
      refusal(() =>
        Promise.resolve(
          assertRole(
            { id: 'u', username: 'u', role: Role.Member, twoFactorEnabled: true, via: 'jwt' },
            Role.Manager,
          ),
        ),
      ),
    ).resolves.toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await expect(pageInput(LimitDto, { limit: '5' }, 'query')).resolves.toEqual({ limit: 5 });
    await expect(refusal(() => pageInput(LimitDto, { limit: '50', extra: '1' }, 'query'))).resolves.toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [
        { field: 'extra', message: 'is not an accepted field' },
        { field: 'limit', message: 'must not be greater than 10' },
      ],
    });
  });
});
