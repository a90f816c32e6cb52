import { isAbsolute, resolve } from 'node:path';

import { packageVersion } from '../common/utils/project-root.js';
import { validateEnv } from './env.schema.js';
import { resolveSecrets } from './secrets.js';

export type NodeEnv = 'development' | 'production' | 'test';

/** Typed, validated settings. One instance per process, provided globally as `AppConfig`. */
export class AppConfig {
  readonly nodeEnv: NodeEnv;
  readonly isProduction: boolean;
  readonly version: string;
  readonly http: {
    port: number;
    host: string;
    corsOrigins: string[];
    bodyLimit: string;
    trustProxy: boolean;
  };
  readonly logLevel: string;
  readonly dataDir: string;
  readonly demo: boolean;
  readonly database: {
    /** Set from DATABASE_URL, or by the embedded server at start-up. */
    url: string;
    /** True when the app runs its own embedded PostgreSQL under DATA_DIR. */
    embedded: boolean;
    embeddedPort: number;
  };
  readonly auth: {
    jwtSecret: string;
    jwtExpiresIn: string;
    encryptionKey: string;
    require2fa: boolean;
    rateLimitPerMinute: number;
    maxFailedLogins: number;
    lockoutMinutes: number;
  };
  readonly admin: {
    cookieSecure: boolean;
    sessionTtlSeconds: number;
  };

  constructor(env: NodeJS.ProcessEnv = process.env) {
    const e = validateEnv(env);
    this.nodeEnv = e.NODE_ENV;
    this.isProduction = e.NODE_ENV === 'production';
    this.version = packageVersion();
    this.http = {
      port: e.PORT,
      host: e.HOST,
      corsOrigins: (e.CORS_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      bodyLimit: e.BODY_LIMIT,
      trustProxy: e.TRUST_PROXY,
    };
    this.logLevel = e.LOG_LEVEL;
    this.dataDir = isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(process.cwd(), e.DATA_DIR);
    this.demo = e.DEMO;
    this.database = {
      url: e.DATABASE_URL ?? '',
      embedded: !e.DATABASE_URL,
      embeddedPort: e.EMBEDDED_PG_PORT,
    };
    const secrets = resolveSecrets(e, this.isProduction, this.dataDir);
    this.auth = {
      ...secrets,
      jwtExpiresIn: e.JWT_EXPIRES_IN,
      require2fa: e.REQUIRE_2FA,
      rateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
      maxFailedLogins: e.AUTH_MAX_FAILED_LOGINS,
      lockoutMinutes: e.AUTH_LOCKOUT_MINUTES,
    };
    this.admin = {
      cookieSecure: e.ADMIN_COOKIE_SECURE ?? this.isProduction,
      sessionTtlSeconds: durationSeconds(e.ADMIN_SESSION_TTL),
    };
  }
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `900` (seconds), `15m`, `8h` or `7d` in seconds. */
export function durationSeconds(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match) throw new Error(`not a duration: ${value}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
}
