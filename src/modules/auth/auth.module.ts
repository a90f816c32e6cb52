import { MikroORM } from '@mikro-orm/postgresql';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';

import { AppConfig } from '../../config/app-config.js';
import { UsersModule } from '../users/users.module.js';
import { AccountService } from './account.service.js';
import { ApiTokensController } from './api-tokens.controller.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { CredentialCache } from './credential-cache.js';
import { CredentialWrites } from './credential-writes.js';
import { CryptoService } from './crypto.service.js';
import { jwtKey } from './jwt-key.js';
import { SignInThrottleStorage } from './sign-in-throttle.storage.js';
import { TwoFactorService } from './two-factor.service.js';

/** Whose attempts a sign-in request counts against, besides its IP: the account named or challenged. */
function accountTracker(req: Record<string, unknown>): string {
  const body = (req.body ?? {}) as { username?: unknown; challengeToken?: unknown };
  if (typeof body.username === 'string') return `user:${body.username.trim().toLowerCase()}`;
  if (typeof body.challengeToken === 'string') {
    try {
      const payload = JSON.parse(
        Buffer.from(body.challengeToken.split('.')[1] ?? '', 'base64url').toString(),
      ) as { sub?: string };
      if (payload.sub) return `user-id:${payload.sub}`;
    } catch {
      // Not a JWT: throttled under one shared key.
    }
  }
  return 'unknown-account';
}

@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secretOrKeyProvider: () => jwtKey(config.auth.jwtSecret),
        signOptions: { algorithm: 'HS256', expiresIn: config.auth.jwtExpiresIn as `${number}` },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, MikroORM],
      // Counters in PostgreSQL: every instance counts against one limit (the back office's sign-in too).
      useFactory: (config: AppConfig, orm: MikroORM) => ({
        storage: new SignInThrottleStorage(orm),
        errorMessage: 'Too many sign-in attempts; wait a minute and try again',
        throttlers: [
          { name: 'auth-ip', ttl: 60_000, limit: config.auth.rateLimitPerMinute },
          {
            name: 'auth-account',
            ttl: 60_000,
            limit: config.auth.rateLimitPerMinute,
            getTracker: accountTracker,
          },
        ],
      }),
    }),
  ],
  controllers: [AuthController, ApiTokensController],
  providers: [
    AuthService,
    AccountService,
    TwoFactorService,
    ApiTokensService,
    CryptoService,
    CredentialCache,
    CredentialWrites,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, TwoFactorService, CryptoService, ApiTokensService, UsersModule],
})
export class AuthModule {}
