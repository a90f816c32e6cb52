import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

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
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens.service.js';
import { TwoFactorRequiredError } from './auth.errors.js';
import { AuthService } from './auth.service.js';

/** `Authorization: Bearer <token>` (the scheme in any case, RFC 6750): the token, else undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +([\w.~+/-]+=*)$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * The one global guard. Deny by default: a route is reachable only if it is `@Public()` or declares its
 * roles with `@Auth()`. Authenticates with an API token or a JWT from the Authorization header — only there:
 * a token in a URL or a form would end up in logs and browser histories — then checks 2FA enrolment and the role.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly tokens: ApiTokensService,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) throw new ForbiddenError('This route declares no access policy', 'NO_ACCESS_POLICY');

    const req = context.switchToHttp().getRequest<{ headers: { authorization?: string }; user?: AuthUser }>();
    const user = await this.authenticate(req.headers.authorization);
    if (!user) throw new UnauthorizedError('Missing, invalid, expired or revoked token');
    req.user = user;
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

  /** API tokens carry their prefix (vcrm_); anything else must be an access JWT from POST /api/auth/login. */
  private authenticate(header: string | undefined): Promise<AuthUser | undefined> {
    const token = bearerToken(header);
    if (!token) return Promise.resolve(undefined);
    return token.startsWith(API_TOKEN_PREFIX)
      ? this.tokens.authenticate(token)
      : this.auth.userFromJwt(token);
  }
}
