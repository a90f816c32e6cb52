import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard as PassportAuthGuard } from '@nestjs/passport';

import type { AuthUser } from '../../common/auth/auth-user.js';
import type { Role } from '../../common/auth/role.js';
import { RequestContext } from '../../common/context/request-context.js';
import {
  ALLOW_WITHOUT_2FA_KEY,
  IS_PUBLIC_KEY,
  ROLES_KEY,
  SESSION_ONLY_KEY,
} from '../../common/decorators/auth.decorator.js';
import { ForbiddenError, UnauthorizedError } from '../../common/errors/index.js';
import { AppConfig } from '../../config/app-config.js';
import { TwoFactorRequiredError } from './auth.errors.js';

/**
 * The one global guard. Deny by default: a route is reachable only if it is `@Public()` or declares its
 * roles with `@Auth()`. Authenticates with an API token or a JWT, then checks 2FA enrolment and the role.
 */
@Injectable()
export class AuthGuard extends PassportAuthGuard(['api-token', 'jwt']) {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new ForbiddenError('This route declares no access policy', 'NO_ACCESS_POLICY');

    await super.canActivate(context);
    const user = context.switchToHttp().getRequest<{ user: AuthUser }>().user;
    RequestContext.setActor({
      userId: user.id,
      tokenId: user.tokenId,
      label: user.tokenName ? `${user.username} (token: ${user.tokenName})` : user.username,
    });
    if (
      this.config.auth.require2fa &&
      !user.twoFactorEnabled &&
      !this.reflector.getAllAndOverride<boolean>(ALLOW_WITHOUT_2FA_KEY, targets)
    ) {
      throw new TwoFactorRequiredError();
    }
    if (user.via === 'api-token' && this.reflector.getAllAndOverride<boolean>(SESSION_ONLY_KEY, targets)) {
      throw new ForbiddenError(
        'Sign in with a password to manage credentials; API tokens cannot',
        'SESSION_REQUIRED',
      );
    }
    if (!roles.includes(user.role)) throw new ForbiddenError(`This requires the role ${roles.join(' or ')}`);
    return true;
  }

  override handleRequest<T>(err: unknown, user: T | false): T {
    if (err || !user) throw new UnauthorizedError('Missing, invalid, expired or revoked token');
    return user;
  }
}
