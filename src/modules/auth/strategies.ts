import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as BearerStrategy } from 'passport-http-bearer';
import { ExtractJwt, Strategy as JwtStrategyBase } from 'passport-jwt';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { AppConfig } from '../../config/app-config.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthService } from './auth.service.js';
import { jwtKey } from './jwt-key.js';
import type { JwtPayload } from './jwt-payload.js';

/** `Authorization: Bearer <jwt>` from POST /api/auth/login. */
@Injectable()
export class JwtStrategy extends PassportStrategy(JwtStrategyBase, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly auth: AuthService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject (see jwtKey); passport-jwt's types only name strings and buffers.
      secretOrKey: jwtKey(config.auth.jwtSecret) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(payload: JwtPayload): Promise<AuthUser | false> {
    return (await this.auth.userFromAccessToken(payload)) ?? false;
  }
}

/** `Authorization: Bearer vcrm_…`: an API token for integrations. */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(BearerStrategy, 'api-token') {
  constructor(private readonly tokens: ApiTokensService) {
    super();
  }

  async validate(token: string): Promise<AuthUser | false> {
    return (await this.tokens.authenticate(token)) ?? false;
  }
}
