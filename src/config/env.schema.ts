import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

import { IsCronExpression, IsMailbox, NotWith } from './env-validators.js';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return value;
  const s = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(s)) return true;
  if (['false', '0', 'no', 'off'].includes(s)) return false;
  return value;
};

const toInt = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string' || value === '') return value === '' ? undefined : value;
  return /^-?\d+$/.test(value.trim()) ? Number(value) : value;
};

const emptyToUndefined = ({ value }: { value: unknown }): unknown => (value === '' ? undefined : value);

/** Decorators as if written one above the other in this order (a stack applies from the bottom up). */
const stack =
  (...decorators: PropertyDecorator[]): PropertyDecorator =>
  (target, key) => {
    for (const decorator of [...decorators].reverse()) decorator(target, key);
  };

/** Text that may be left unset (empty is unset). */
const OptionalText = (): PropertyDecorator => stack(IsOptional(), Transform(emptyToUndefined), IsString());

/** true/false, 1/0, yes/no or on/off. */
const Flag = (): PropertyDecorator => stack(Transform(toBool), IsBoolean());

/** A whole number from `min` (to `max`). */
const WholeNumber = (min: number, max?: number): PropertyDecorator =>
  stack(Transform(toInt), IsInt(), Min(min), ...(max === undefined ? [] : [Max(max)]));

/**
 * Every setting the app reads from the environment, validated once at start-up.
 * A bad value stops the app with a message naming the variable.
 */
export class EnvSchema {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @WholeNumber(0, 65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// or postgresql:// connection URL' })
  DATABASE_URL?: string = undefined;

  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @OptionalText()
  CORS_ORIGINS?: string = undefined;

  @IsString()
  @Matches(/^\d+(\.\d+)?\s*(b|kb|mb)$/i, { message: 'must be a size such as 1mb or 500kb' })
  BODY_LIMIT = '1mb';

  @Flag()
  DEMO = false;

  @WholeNumber(0, 65535)
  EMBEDDED_PG_PORT = 0;

  @Flag()
  TRUST_PROXY = false;

  @OptionalText()
  JWT_SECRET?: string = undefined;

  @Matches(/^\d+[smhd]?$/, { message: 'must be a duration such as 900 (seconds), 15m, 8h or 7d' })
  JWT_EXPIRES_IN = '8h';

  @OptionalText()
  ENCRYPTION_KEY?: string = undefined;

  @Flag()
  REQUIRE_2FA = false;

  @WholeNumber(1)
  AUTH_RATE_LIMIT_PER_MINUTE = 20;

  @WholeNumber(1)
  AUTH_MAX_FAILED_LOGINS = 10;

  @WholeNumber(1)
  AUTH_LOCKOUT_MINUTES = 15;

  /** Back office session cookie `Secure` flag; unset: on in production (serve /admin over HTTPS). */
  @IsOptional()
  @Flag()
  ADMIN_COOKIE_SECURE?: boolean = undefined;

  @Matches(/^[1-9]\d*[smhd]?$/, { message: 'must be a duration such as 3600 (seconds), 90m, 12h or 7d' })
  ADMIN_SESSION_TTL = '12h';

  // Scheduled jobs (cron expressions in the server's local time zone, TZ).

  /** Unset: on, except with NODE_ENV=test (tests run jobs on purpose, never by the clock). */
  @IsOptional()
  @Flag()
  SCHEDULER_ENABLED?: boolean = undefined;

  /** Unset: DATA_DIR/backups. */
  @OptionalText()
  BACKUP_DIR?: string = undefined;

  @IsCronExpression()
  BACKUP_CRON = '30 2 * * *';

  @WholeNumber(1, 3650)
  BACKUP_RETENTION_DAYS = 30;

  @OptionalText()
  @MinLength(32, { message: 'must be at least 32 characters (generate one with: openssl rand -base64 48)' })
  BACKUP_ENCRYPTION_KEY?: string = undefined;

  @IsIn(['auto', 'pg_dump', 'portable'], { message: 'must be auto, pg_dump or portable' })
  BACKUP_METHOD: 'auto' | 'pg_dump' | 'portable' = 'auto';

  @IsCronExpression()
  DIGEST_CRON = '0 7 * * *';

  @IsCronExpression()
  REMINDER_CRON = '0 8-18 * * *';

  @WholeNumber(1, 365)
  STALE_DAYS = 21;

  // Mail: optional as a whole; checked only once SMTP_URL or SMTP_HOST is set.

  @IsOptional()
  @Transform(emptyToUndefined)
  @Matches(/^smtps?:\/\/[^\s]+$/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string = undefined;

  @OptionalText()
  @NotWith('SMTP_URL')
  SMTP_HOST?: string = undefined;

  @WholeNumber(1, 65535)
  SMTP_PORT = 587;

  @OptionalText()
  SMTP_USER?: string = undefined;

  @OptionalText()
  SMTP_PASSWORD?: string = undefined;

  @ValidateIf((env: EnvSchema) => Boolean(env.SMTP_URL || env.SMTP_HOST))
  @Transform(emptyToUndefined)
  @IsMailbox()
  MAIL_FROM?: string = undefined;
}

export function validateEnv(env: NodeJS.ProcessEnv): EnvSchema {
  const known = Object.keys(new EnvSchema());
  const picked = Object.fromEntries(Object.entries(env).filter(([key]) => known.includes(key)));
  const instance = plainToInstance(EnvSchema, picked, { exposeDefaultValues: true });
  const errors = validateSync(instance, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const value = (e.value as unknown) === undefined ? 'missing' : JSON.stringify(e.value);
      return `  ${e.property} (${value}): ${Object.values(e.constraints ?? {}).join('; ')}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return instance;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
