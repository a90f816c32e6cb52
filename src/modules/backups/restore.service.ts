import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';

import { AppConfig } from '../../config/app-config.js';
import { migrate } from '../../database/migrate.js';
import { buildAuditRow } from '../audit/audit-row.js';
import {
  BACKUP_NAME,
  type BackupManifest,
  type BackupMethod,
  readSidecar,
  sha256File,
  sidecarPath,
} from './backup-files.js';
import { backupKind, fileIsEncrypted, readBackupFile } from './backup-streams.js';
import { BackupIntegrityError } from './backups.errors.js';
import { migrationSql } from './database-reset.js';
import { pgRestoreInto, pgRestoreList, plainCopy } from './pg-dump.js';
import { portableEvents } from './portable-format.js';
import { loadPortable } from './portable-restore.js';

/** A backup checked and ready to restore: what it is, and what it will replace. */
export interface RestorePlan {
  path: string;
  method: BackupMethod;
  size: number;
  sha256: string;
  encrypted: boolean;
  manifest?: BackupManifest;
  /** The database it replaces, and how many other sessions are connected to it (the app, if running). */
  databaseUrl: string;
  database: string;
  otherSessions: number;
  /** pg_dump files: the checked plaintext (decrypted copy, or the file itself). */
  plainPath?: string;
  dispose(): Promise<void>;
}

export interface RestoreProgress {
  done: number;
  total: number;
  detail: string;
}

export interface RestoreResult {
  method: BackupMethod;
  tables?: number;
  rows?: number;
  migrationsApplied: string[];
}

/**
 * Restores a backup into the app's database, all or nothing. `prepare` checks the file completely before
 * anything is touched (its SHA-256 against the sidecar or the one given, its decryption, its content);
 * `apply` then replaces the database in one transaction, checking the file again as it reads it, and
 * commits only at the very end. Afterwards the schema is migrated up to this version of the app.
 */
@Injectable()
export class RestoreService {
  constructor(
    private readonly config: AppConfig,
    private readonly orm: MikroORM,
  ) {}

  /** Checks a backup completely; `databaseUrl` (the app's database by default) is the one it would replace. */
  async prepare(file: string, options: { sha256?: string; databaseUrl?: string } = {}): Promise<RestorePlan> {
    const databaseUrl = options.databaseUrl ?? this.config.database.url;
    const path = await this.locate(file);
    const info = await stat(path);
    const manifest = await readSidecar(sidecarPath(dirname(path), basename(path)));
    const expected = options.sha256?.toLowerCase() ?? manifest?.sha256;
    if (!expected) {
      throw new BackupIntegrityError(
        `no checksum to check it against: keep ${basename(path)}.json beside it, or pass --sha256 <hex> ` +
          '(the X-Backup-SHA256 header of its download)',
      );
    }
    // The checksum first: a damaged file is refused for what it is, before its content is looked at.
    if ((await sha256File(path)) !== expected) {
      throw new BackupIntegrityError(
        'its SHA-256 checksum does not match: the file is damaged or was altered',
      );
    }
    const key = this.config.backups.encryptionKey;
    const method = await backupKind(path, key);
    const target = await this.target(databaseUrl);
    let plainPath: string | undefined;
    let dispose = (): Promise<void> => Promise.resolve();
    let sha256: string;
    const encrypted = await fileIsEncrypted(path);
    if (method === 'pg_dump' && !encrypted) {
      // Checked above; pg_restore reads it as it is.
      sha256 = expected;
      plainPath = path;
    } else if (method === 'pg_dump') {
      // pg_restore needs a file it can seek in: a private decrypted copy, used only if its tag checked out.
      const copy = await plainCopy(path, key);
      sha256 = copy.sha256;
      plainPath = copy.path;
      dispose = copy.dispose;
    } else {
      sha256 = await readBackupFile(path, key, (plain) =>
        pipeline(plain, createGunzip(), async (unzipped: AsyncIterable<Buffer>) => {
          for await (const _event of portableEvents(unzipped)) void _event;
        }),
      );
    }
    try {
      if (sha256 !== expected)
        throw new BackupIntegrityError(
          'its SHA-256 checksum does not match: the file is damaged or was altered',
        );
      if (method === 'pg_dump') {
        await pgRestoreList(plainPath!, undefined, target.major);
      }
    } catch (err) {
      await dispose();
      throw err instanceof BackupIntegrityError ? err : new BackupIntegrityError((err as Error).message);
    }
    return {
      path,
      databaseUrl,
      method,
      size: info.size,
      sha256,
      encrypted,
      manifest,
      database: target.database,
      otherSessions: target.otherSessions,
      plainPath,
      dispose,
    };
  }

  async apply(plan: RestorePlan, onProgress?: (p: RestoreProgress) => void): Promise<RestoreResult> {
    const audit = auditInsertSql(plan);
    const url = plan.databaseUrl;
    const major = (await this.target(url)).major;
    let result: RestoreResult;
    if (plan.method === 'pg_dump') {
      if (plan.plainPath === plan.path && (await sha256File(plan.path)) !== plan.sha256) {
        throw new BackupIntegrityError('the file changed since it was checked');
      }
      await pgRestoreInto(url, plan.plainPath!, major, audit, (done, total) =>
        onProgress?.({ done, total, detail: '' }),
      );
      result = { method: 'pg_dump', migrationsApplied: [] };
    } else {
      result = { ...(await this.applyPortable(plan, audit, onProgress)), migrationsApplied: [] };
    }
    result.migrationsApplied = await migrate(url, 'up');
    await this.analyze(url);
    return result;
  }

  private async applyPortable(
    plan: RestorePlan,
    auditSql: string,
    onProgress?: (p: RestoreProgress) => void,
  ): Promise<Omit<RestoreResult, 'migrationsApplied'>> {
    const client = new pg.Client({ connectionString: plan.databaseUrl });
    await client.connect();
    let read = 0;
    let table = '';
    try {
      await client.query('begin');
      await client.query(`set local lock_timeout = '60s'`);
      let loaded: { tables: number; rows: number } | undefined;
      const sha256 = await readBackupFile(
        plan.path,
        this.config.backups.encryptionKey,
        (plain) =>
          pipeline(plain, createGunzip(), async (unzipped: AsyncIterable<Buffer>) => {
            loaded = await loadPortable(
              client,
              portableEvents(unzipped),
              (names) => migrationSql(this.orm, names),
              (name) => (table = name),
            );
          }),
        (n) => onProgress?.({ done: (read += n), total: plan.size, detail: table }),
      );
      if (sha256 !== plan.sha256)
        throw new BackupIntegrityError('the file changed while it was being restored');
      await client.query(auditSql);
      await client.query('commit');
      return { method: 'portable', ...loaded! };
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      await client.end();
    }
  }

  /** A path as given, or a backup's name in BACKUP_DIR. */
  private async locate(file: string): Promise<string> {
    const candidates = [isAbsolute(file) ? file : resolve(process.cwd(), file)];
    if (BACKUP_NAME.test(file)) candidates.push(join(this.config.backups.dir, file));
    for (const path of candidates) {
      if ((await stat(path).catch(() => undefined))?.isFile()) return path;
    }
    throw new BackupIntegrityError(`${file} does not exist (nor in ${this.config.backups.dir})`);
  }

  private async target(
    databaseUrl: string,
  ): Promise<{ database: string; major: number; otherSessions: number }> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ database: string; num: string; others: number }>(
        `select current_database() as database, current_setting('server_version_num') as num,
                (select count(*)::int from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()) as others`,
      );
      return {
        database: rows[0].database,
        major: Math.floor(Number(rows[0].num) / 10000),
        otherSessions: rows[0].others,
      };
    } finally {
      await client.end();
    }
  }

  /** Fresh planner statistics for the restored tables (autovacuum would get there, later). */
  private async analyze(databaseUrl: string): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('analyze');
    } finally {
      await client.end();
    }
  }
}

/** The restore's own audit row, written by the restore's transaction into the restored log. */
function auditInsertSql(plan: RestorePlan): string {
  const row = buildAuditRow({
    action: 'backup.restore',
    entityType: 'backup',
    meta: {
      file: basename(plan.path),
      method: plan.method,
      sha256: plan.sha256,
      createdAt: plan.manifest?.createdAt ?? null,
    },
  });
  const lit = (value: unknown): string =>
    value === null || value === undefined
      ? 'null'
      : pg.escapeLiteral(typeof value === 'string' ? value : JSON.stringify(value));
  return `insert into public.audit_log (id, created_at, actor_user_id, actor_token_id, actor_label, source, action, entity_type, meta)
values (${lit(row.id)}, now(), ${lit(row.actorUserId)}, ${lit(row.actorTokenId)}, ${lit(row.actorLabel)}, ${lit(row.source)}, ${lit(row.action)}, ${lit(row.entityType)}, ${lit(row.meta)});`;
}
