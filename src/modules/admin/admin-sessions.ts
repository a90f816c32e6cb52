import { hkdfSync } from 'node:crypto';

import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import connectPgSimple from 'connect-pg-simple';
import session from 'express-session';
import pg from 'pg';

import { AppConfig } from '../../config/app-config.js';
import type { AdminUser } from './admin-access.js';
import { ADMIN_COOKIE_NAME, ADMIN_ROOT, ADMIN_SESSION_TABLE } from './admin.constants.js';

/** A password step passed for a user with 2FA: the code step must follow, in the same session, soon. */
export interface PendingTwoFactor {
  userId: string;
  tokenVersion: number;
  expiresAt: number;
}

declare module 'express-session' {
  interface SessionData {
    adminUser?: AdminUser;
    pendingTwoFactor?: PendingTwoFactor;
    redirectTo?: string;
  }
}

/** The cookie signing secret: derived from JWT_SECRET (HKDF), so no separate secret and never a default. */
export function adminCookieSecret(jwtSecret: string): string {
  return Buffer.from(hkdfSync('sha256', jwtSecret, 'venture-crm', 'admin session cookie v1', 32)).toString(
    'base64url',
  );
}

/**
 * Back office sessions in PostgreSQL (table admin_sessions, created by a migration): they survive restarts
 * and are shared by every instance behind a load balancer.
 */
@Injectable()
export class AdminSessions implements OnApplicationShutdown {
  private readonly pool: pg.Pool;
  private readonly store: connectPgSimple.PGStore;

  constructor(private readonly config: AppConfig) {
    this.pool = new pg.Pool({ connectionString: config.database.url, max: 4, idleTimeoutMillis: 10_000 });
    const PgStore = connectPgSimple(session);
    this.store = new PgStore({
      pool: this.pool,
      tableName: ADMIN_SESSION_TABLE,
      createTableIfMissing: false,
      pruneSessionInterval: 15 * 60,
    });
  }

  get secret(): string {
    return adminCookieSecret(this.config.auth.jwtSecret);
  }

  options(): session.SessionOptions {
    return {
      store: this.store,
      secret: this.secret,
      name: ADMIN_COOKIE_NAME,
      resave: false,
      saveUninitialized: false,
      rolling: false,
      cookie: {
        path: ADMIN_ROOT,
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.admin.cookieSecure,
        maxAge: this.config.admin.sessionTtlSeconds * 1000,
      },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.store.close();
    await this.pool.end();
  }
}
