import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';

import { AppConfig } from '../../config/app-config.js';
import { pendingMigrations } from '../../database/migrate.js';

export interface HealthReport {
  status: 'ok' | 'error';
  database: 'up' | 'down';
  migrations: { pending: number | null };
  version: string;
  error?: string;
}

const CHECK_TIMEOUT_MS = 3000;
/** Reading the migration files and table costs ~3 ms of CPU: the pending count is refreshed at most this often. */
const MIGRATIONS_TTL_MS = 60_000;

@Injectable()
export class HealthService {
  constructor(
    private readonly orm: MikroORM,
    private readonly config: AppConfig,
  ) {}

  async check(): Promise<HealthReport> {
    const version = this.config.version;
    try {
      const pending = await withTimeout(this.probe(), CHECK_TIMEOUT_MS);
      return { status: pending === 0 ? 'ok' : 'error', database: 'up', migrations: { pending }, version };
    } catch (err) {
      return {
        status: 'error',
        database: 'down',
        migrations: { pending: null },
        version,
        error: `database unreachable: ${(err as Error).message.split('\n')[0]}`,
      };
    }
  }

  private pending?: { count: number; at: number };

  private async probe(): Promise<number> {
    await this.orm.em.getConnection().execute('SELECT 1');
    if (!this.pending || Date.now() - this.pending.at > MIGRATIONS_TTL_MS) {
      this.pending = { count: (await pendingMigrations(this.orm)).length, at: Date.now() };
    }
    return this.pending.count;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
