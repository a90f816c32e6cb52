import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { packageVersion } from '../common/utils/project-root.js';
import { validateEnv } from './env.schema.js';
import { resolveSecrets } from './secrets.js';

export type NodeEnv = 'development' | 'production' | 'test';

/** SMTP settings, present only when mail is configured (SMTP_URL or SMTP_HOST). */
export interface MailSettings {
  /** SMTP_URL as given; otherwise host, port, user and password are used. */
  url?: string;
  host?: string;
  port: number;
  user?: string;
  password?: string;
  from: string;
}

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
  readonly jobs: {
    schedulerEnabled: boolean;
    backupCron: string;
    digestCron: string;
    reminderCron: string;
    staleDays: number;
    /** Names this process in job_runs: host and pid. */
    instance: string;
  };
  readonly backups: {
    dir: string;
    retentionDays: number;
    encryptionKey?: string;
    method: 'auto' | 'pg_dump' | 'portable';
  };
  readonly mail: MailSettings | null;

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
    this.jobs = {
      schedulerEnabled: e.SCHEDULER_ENABLED ?? e.NODE_ENV !== 'test',
      backupCron: e.BACKUP_CRON.trim(),
      digestCron: e.DIGEST_CRON.trim(),
      reminderCron: e.REMINDER_CRON.trim(),
      staleDays: e.STALE_DAYS,
      instance: `${hostname()}:${process.pid}`,
    };
    const backupDir = e.BACKUP_DIR ?? join(this.dataDir, 'backups');
    this.backups = {
      dir: isAbsolute(backupDir) ? backupDir : resolve(process.cwd(), backupDir),
      retentionDays: e.BACKUP_RETENTION_DAYS,
      encryptionKey: e.BACKUP_ENCRYPTION_KEY,
      method: e.BACKUP_METHOD,
    };
    this.mail =
      e.SMTP_URL || e.SMTP_HOST
        ? {
            url: e.SMTP_URL,
            host: e.SMTP_HOST,
            port: e.SMTP_PORT,
            user: e.SMTP_USER,
            password: e.SMTP_PASSWORD,
            from: e.MAIL_FROM!.trim(),
          }
        : null;
  }
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `900` (seconds), `15m`, `8h` or `7d` in seconds. */
export function durationSeconds(value: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  if (!match) throw new Error(`not a duration: ${value}`);
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's'];
}
