import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { Injectable, Logger } from '@nestjs/common';
import pg from 'pg';

import { AppConfig } from '../../config/app-config.js';
import {
  type BackupManifest,
  type BackupMethod,
  backupName,
  removePartials,
  writeSidecar,
} from './backup-files.js';
import { readBackupFile, writeBackupFile, type WrittenFile } from './backup-streams.js';
import { pgDumpTo, pgRestoreList } from './pg-dump.js';
import { findPgTool } from './pg-tools.js';
import { portableArchive, type PortableSummary } from './portable-backup.js';
import { portableEvents } from './portable-format.js';

export interface BackupProgress {
  step: 'backup' | 'verify';
  /** What is being read now (a table), if known. */
  detail: string;
  done: number;
  total: number;
}

interface Source {
  major: number;
  serverVersion: string;
  migration: string | null;
  tables: number;
}

/**
 * Makes one verified backup file in BACKUP_DIR: pg_dump when one fits the server, the portable archive
 * otherwise (or as BACKUP_METHOD says). Written as `<name>.partial`, read back completely, its sidecar
 * written, and only then renamed to its name: a backup that is listed is a verified one.
 */
@Injectable()
export class BackupMaker {
  private readonly logger = new Logger('Backups');

  constructor(private readonly config: AppConfig) {}

  async make(onProgress?: (p: BackupProgress) => void): Promise<BackupManifest> {
    const { dir, encryptionKey: key } = this.config.backups;
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const leftovers = await removePartials(dir);
    if (leftovers.length > 0) this.logger.warn(`Removed unfinished backup files: ${leftovers.join(', ')}`);
    const source = await this.inspect();
    const { method, note } = await this.chooseMethod(source.major);
    const createdAt = new Date();
    const name = backupName(createdAt, method, Boolean(key));
    const partial = join(dir, `${name}.partial`);
    try {
      const written = await this.write(method, partial, source, onProgress);
      const verification = await this.verify(method, partial, written, source.major, onProgress);
      const manifest: BackupManifest = {
        format: 'venture-crm-backup',
        name,
        method,
        createdAt: createdAt.toISOString(),
        size: written.size,
        sha256: written.sha256,
        encrypted: Boolean(key),
        verified: true,
        verifiedAt: new Date().toISOString(),
        verification: verification.summary,
        note,
        appVersion: this.config.version,
        serverVersion: source.serverVersion,
        migration: source.migration,
        ...(verification.tables && { tables: verification.tables }),
      };
      await writeSidecar(dir, manifest);
      await rename(partial, join(dir, name));
      return manifest;
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  private async inspect(): Promise<Source> {
    const client = new pg.Client({ connectionString: this.config.database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ num: string; version: string; tables: number }>(
        `select current_setting('server_version_num') as num, current_setting('server_version') as version,
                (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
                    and n.nspname not like 'pg\\_%') as tables`,
      );
      const migration = await client
        .query<{ name: string }>('select name from mikro_orm_migrations order by id desc limit 1')
        .then((r) => r.rows[0]?.name ?? null)
        .catch(() => null);
      return {
        major: Math.floor(Number(rows[0].num) / 10000),
        serverVersion: rows[0].version,
        migration,
        tables: rows[0].tables,
      };
    } finally {
      await client.end();
    }
  }

  /** pg_dump when it fits; a missing or too old one is said (log and sidecar), never skipped silently. */
  private async chooseMethod(serverMajor: number): Promise<{ method: BackupMethod; note: string | null }> {
    const wanted = this.config.backups.method;
    if (wanted === 'portable') return { method: 'portable', note: null };
    try {
      await findPgTool('pg_dump', serverMajor);
      return { method: 'pg_dump', note: null };
    } catch (err) {
      if (wanted === 'pg_dump') throw err;
      const note = `pg_dump not used: ${(err as Error).message}; made a portable backup instead`;
      this.logger.warn(note);
      return { method: 'portable', note };
    }
  }

  private async write(
    method: BackupMethod,
    path: string,
    source: Source,
    onProgress?: (p: BackupProgress) => void,
  ): Promise<WrittenFile> {
    const key = this.config.backups.encryptionKey;
    if (method === 'pg_dump') {
      let done = 0;
      const written = await pgDumpTo(this.config.database.url, source.major, path, key, (table) =>
        onProgress?.({ step: 'backup', detail: table, done: (done += 1), total: source.tables }),
      );
      this.logger.log(`pg_dump: ${written.tool}`);
      return written;
    }
    const client = new pg.Client({ connectionString: this.config.database.url });
    await client.connect();
    try {
      const summary: PortableSummary = { tables: [], totalRows: 0 };
      const archive = portableArchive(client, this.config.version, summary, (p) =>
        onProgress?.({
          step: 'backup',
          detail: p.table,
          done: p.rows,
          total: Math.max(p.rows, p.estimatedRows),
        }),
      );
      return await writeBackupFile(path, Readable.from(archive), { gzip: true, key });
    } finally {
      await client.end();
    }
  }

  /** Reads the whole file back: its checksum, its decryption, and its content (pg_restore, or every frame). */
  private async verify(
    method: BackupMethod,
    path: string,
    written: WrittenFile,
    serverMajor: number,
    onProgress?: (p: BackupProgress) => void,
  ): Promise<{ summary: string; tables?: { table: string; rows: number }[] }> {
    const key = this.config.backups.encryptionKey;
    const size = (await stat(path)).size;
    let read = 0;
    const progress = (n: number): void =>
      onProgress?.({ step: 'verify', detail: '', done: (read += n), total: size });
    let tables: { table: string; rows: number }[] | undefined;
    const sha256 = await readBackupFile(
      path,
      key,
      async (plain) => {
        if (method === 'pg_dump') {
          for await (const _chunk of plain) void _chunk;
          return;
        }
        await pipeline(plain, createGunzip(), async (unzipped: AsyncIterable<Buffer>) => {
          for await (const event of portableEvents(unzipped)) {
            if (event.type === 'end')
              tables = event.manifest.tables.map(({ table, rows }) => ({ table, rows }));
          }
        });
      },
      progress,
    );
    if (sha256 !== written.sha256)
      throw new Error('the file on disk differs from what was written (checksum)');
    if (method === 'pg_dump') {
      const entries = await pgRestoreList(path, key, serverMajor);
      return { summary: `pg_restore --list read ${entries.length} entries` };
    }
    const rows = tables!.reduce((sum, t) => sum + t.rows, 0);
    return { summary: `read back: ${tables!.length} tables, ${rows} rows, checksums match`, tables };
  }
}
