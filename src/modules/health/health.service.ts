import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';

import { AppConfig } from '../../config/app-config.js';
import { pendingMigrations } from '../../database/migrate.js';

export interface BackupHealth {
  lastVerifiedAt: Date | null;
  ageHours: number | null;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'error';
  database: 'up' | 'down';
  migrations: { pending: number | null };
  /** Null while the database is down (or before the migration that records backups). */
  backup: BackupHealth | null;
  version: string;
  warning?: string;
  error?: string;
}

const CHECK_TIMEOUT_MS = 3000;
/** Reading the migrations table costs a query: the pending count is refreshed at most this often. */
const MIGRATIONS_TTL_MS = 60_000;
/** A verified backup older than this makes the app `degraded` (a daily backup has failed twice). */
export const BACKUP_MAX_AGE_HOURS = 48;
const HOUR_MS = 3_600_000;

interface Probe {
  pending: number;
  lastBackup: Date | null;
  installedAt: Date | null;
  backupsKnown: boolean;
}

@Injectable()
export class HealthService {
  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const version = this.config.version;
    let probe: Probe;
    try {
      probe = await withTimeout(this.probe(), CHECK_TIMEOUT_MS);
    } catch (err) {
      return {
        status: 'error',
        database: 'down',
        migrations: { pending: null },
        backup: null,
        version,
        error: `database unreachable: ${(err as Error).message.split('\n')[0]}`,
      };
    }
    const migrations = { pending: probe.pending };
    if (probe.pending > 0) {
      return {
        status: 'error',
        database: 'up',
        migrations,
        backup: null,
        version,
        error: 'migrations are pending',
      };
    }
    const now = Date.now();
    const backup: BackupHealth | null = probe.backupsKnown
      ? {
          lastVerifiedAt: probe.lastBackup,
          ageHours: probe.lastBackup ? Math.floor((now - probe.lastBackup.getTime()) / HOUR_MS) : null,
        }
      : null;
    const warning = backup ? backupWarning(backup, probe.installedAt, now) : undefined;
    return {
      status: warning ? 'degraded' : 'ok',
      database: 'up',
      migrations,
      backup,
      version,
      ...(warning && { warning }),
    };
  }

  private pending?: { count: number; at: number };

  private async probe(): Promise<Probe> {
    // One indexed read, which also proves the database answers.
    const connection = this.orm.em.getConnection();
    const backups = await connection
      .execute<{ last_backup: string | null; installed_at: string | null }[]>(
        `select (select max(finished_at) from job_runs where job = 'backup' and status = 'success') as last_backup,
                (select min(executed_at) from mikro_orm_migrations) as installed_at`,
      )
      .then(([row]) => ({ ...row, known: true }))
      .catch(async (err: { code?: string }) => {
        // A schema from before backups were recorded (migrations pending): report what can be.
        if (err.code !== '42P01') throw err;
        await connection.execute('select 1');
        return { last_backup: null, installed_at: null, known: false };
      });
    if (!this.pending || Date.now() - this.pending.at > MIGRATIONS_TTL_MS) {
      this.pending = {
        count: (await pendingMigrations((sql) => connection.execute<{ name: string }[]>(sql))).length,
        at: Date.now(),
      };
    }
    return {
      pending: this.pending.count,
      lastBackup: backups.last_backup ? new Date(backups.last_backup) : null,
      installedAt: backups.installed_at ? new Date(backups.installed_at) : null,
      backupsKnown: backups.known,
    };
  }
}

/**
 * Why the backups make the app `degraded`: the last verified one is over 48 hours old, or there is none
 * although the database has existed that long (a new install has two days to make its first).
 */
export function backupWarning(
  backup: BackupHealth,
  installedAt: Date | null,
  now: number,
): string | undefined {
  if (backup.ageHours !== null) {
    return backup.ageHours >= BACKUP_MAX_AGE_HOURS
      ? `the last verified backup is ${backup.ageHours} hours old (more than ${BACKUP_MAX_AGE_HOURS})`
      : undefined;
  }
  if (installedAt && now - installedAt.getTime() >= BACKUP_MAX_AGE_HOURS * HOUR_MS) {
    return `no verified backup yet, and the database is more than ${BACKUP_MAX_AGE_HOURS} hours old`;
  }
  return undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
