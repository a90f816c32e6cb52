import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

import type { Role } from './role.js';

/** The caller of an authenticated request, as the auth guard resolved it. */
export interface AuthUser {
  id: string;
  username: string;
  /** Effective role: for an API token, the lower of the token's role and its owner's. */
  role: Role;
  twoFactorEnabled: boolean;
  via: 'jwt' | 'api-token';
  tokenId?: string;
  tokenName?: string;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const req = ctx.switchToHttp().getRequest<{ user: AuthUser }>();
  return req.user;
});
