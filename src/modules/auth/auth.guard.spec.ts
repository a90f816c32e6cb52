import { describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { Auth, Public } from '../../common/decorators/auth.decorator.js';
import { AppError } from '../../common/errors/index.js';
import { AppConfig } from '../../config/app-config.js';
import type { ApiTokensService } from './api-tokens.service.js';
import { AuthGuard, bearerToken } from './auth.guard.js';
import type { AuthService } from './auth.service.js';

class Routes {
  @Public()
  open(): void {}

  forgotten(): void {}

  @Auth()
  signedIn(): void {}
}

function contextFor(handler: keyof Routes, headers: Record<string, string> = {}): ExecutionContext {
  const req = { headers, method: 'GET', url: '/' };
  return {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
}

const config = new AppConfig({
  NODE_ENV: 'test',
  JWT_SECRET: 'k3Jq9vXw2LmP8rTz5YbN1cHs7DfG4aQe6uWi0oRt',
  ENCRYPTION_KEY: 'Zp4Lm8Qw2Er6Ty0Ui3Op7As1Df5Gh9Jk2Lz6Xc0Vb',
});

describe('AuthGuard', () => {
  // Neither route below may reach authentication: the guard is given nothing to authenticate with.
  const guard = new AuthGuard(new Reflector(), config, {} as ApiTokensService, {} as AuthService);

  it('lets public routes through without a token', async () => {
    await expect(guard.canActivate(contextFor('open'))).resolves.toBe(true);
  });

  it('denies a route that declares no policy, even before authentication', async () => {
    const err = await guard.canActivate(contextFor('forgotten')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 403, code: 'NO_ACCESS_POLICY' });
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer Authorization header, the scheme in any case', () => {
    expect(bearerToken('Bearer vcrm_abc-DEF_123')).toBe('vcrm_abc-DEF_123');
    expect(bearerToken('bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('Bearer YWJj==')).toBe('YWJj==');
  });

  it('answers nothing for any other header', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwdw==',
      'Bearer a b',
      'Bearer a\nb',
      'Token a',
    ])
      expect(bearerToken(header)).toBeUndefined();
  });
});
