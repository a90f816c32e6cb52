import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { ValidationError } from '../../common/errors/index.js';

export type BackupMethod = 'pg_dump' | 'portable';

/** What is known of a backup file: kept beside it as `<name>.json` (the "sidecar"). */
export interface BackupManifest {
  format: 'venture-crm-backup';
  name: string;
  method: BackupMethod;
  createdAt: string;
  size: number;
  /** SHA-256 of the file as stored (after encryption, when encrypted), hex. */
  sha256: string;
  encrypted: boolean;
  verified: boolean;
  verifiedAt: string | null;
  /** How it was verified: `pg_restore --list` read its table of contents, or the archive was read back. */
  verification: string | null;
  /** Why the portable method ran where pg_dump was wanted (missing or too old), when it did. */
  note: string | null;
  appVersion: string;
  serverVersion: string;
  /** The last migration applied to the database it was made from. */
  migration: string | null;
  /** Row counts per table (portable backups). */
  tables?: { table: string; rows: number }[];
}

const EXTENSIONS: Record<BackupMethod, string> = { pg_dump: 'dump', portable: 'vcrm' };

/**
 * `venture-crm-20261207T013000123Z.dump` (pg_dump) or `.vcrm` (portable), `.enc` appended when encrypted.
 * Strict on purpose: a name from a URL is only ever matched against this, so it cannot climb out of the folder.
 */
export const BACKUP_NAME = /^venture-crm-\d{8}T\d{9}Z\.(dump|vcrm)(\.enc)?$/;

export function backupName(at: Date, method: BackupMethod, encrypted: boolean): string {
  const stamp = at.toISOString().replace(/[-:.]/g, '');
  return `venture-crm-${stamp}.${EXTENSIONS[method]}${encrypted ? '.enc' : ''}`;
}

export function assertBackupName(name: string): void {
  if (!BACKUP_NAME.test(name)) {
    throw ValidationError.field(
      'name',
      'must be the name of a backup, such as venture-crm-20261207T013000123Z.dump',
    );
  }
}

export const sidecarPath = (dir: string, name: string): string => join(dir, `${name}.json`);

/** Written next to the file, atomically (a reader never sees half a sidecar). */
export async function writeSidecar(dir: string, manifest: BackupManifest): Promise<void> {
  const path = sidecarPath(dir, manifest.name);
  await writeFile(`${path}.partial`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.partial`, path);
}

export async function readSidecar(path: string): Promise<BackupManifest | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as BackupManifest;
  } catch {
    return undefined;
  }
}

/** Every complete backup in `dir`, newest first. A file without a readable sidecar counts as unverified. */
export async function listBackups(dir: string): Promise<BackupManifest[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => BACKUP_NAME.test(n));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const backups = await Promise.all(
    names.map(async (name) => {
      const manifest = await readSidecar(sidecarPath(dir, name));
      if (manifest?.name === name) return manifest;
      const info = await stat(join(dir, name)).catch(() => undefined);
      return info ? unknownBackup(name, info.size, info.mtime) : undefined;
    }),
  );
  return backups
    .filter((b): b is BackupManifest => b !== undefined)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
}

function unknownBackup(name: string, size: number, mtime: Date): BackupManifest {
  return {
    format: 'venture-crm-backup',
    name,
    method: name.includes('.dump') ? 'pg_dump' : 'portable',
    createdAt: mtime.toISOString(),
    size,
    sha256: '',
    encrypted: name.endsWith('.enc'),
    verified: false,
    verifiedAt: null,
    verification: null,
    note: 'no sidecar file: checksum unknown',
    appVersion: '',
    serverVersion: '',
    migration: null,
  };
}

/** Removes a backup and its sidecar. */
export async function removeBackup(dir: string, name: string): Promise<void> {
  assertBackupName(name);
  await rm(join(dir, name), { force: true });
  await rm(sidecarPath(dir, name), { force: true });
}

/** Leftovers of runs that stopped half-way (`*.partial`): only removed while holding the backup lock. */
export async function removePartials(dir: string): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.partial'));
  await Promise.all(names.map((n) => rm(join(dir, n), { force: true })));
  return names;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
