import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { type Readable, type Stream, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

import { decryptHead, decryptStream, encryptStream, ENCRYPTED_MAGIC, isEncrypted } from './backup-crypto.js';
import { BackupIntegrityError } from './backups.errors.js';

/** Passes bytes through, hashing and counting them. */
export function hashTap(hash: Hash, onBytes?: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
}

export interface WrittenFile {
  sha256: string;
  size: number;
}

/**
 * Streams `source` into a new file (never over an existing one): gzip (portable archives), then encryption
 * when a key is given, then the SHA-256 of the bytes as stored. Synced to disk before it resolves.
 */
export async function writeBackupFile(
  path: string,
  source: Readable | AsyncIterable<Buffer>,
  options: { gzip: boolean; key?: string },
): Promise<WrittenFile> {
  const hash = createHash('sha256');
  let size = 0;
  const stages: NodeJS.ReadWriteStream[] = [];
  // Level 6 costs about a third of level 9's CPU for nearly the same size on this kind of text.
  if (options.gzip) stages.push(createGzip({ level: 6 }));
  if (options.key) stages.push(encryptStream(options.key));
  stages.push(hashTap(hash, (n) => (size += n)));
  await (pipeline as (...streams: unknown[]) => Promise<void>)(source, ...stages, newFile(path));
  return { sha256: hash.digest('hex'), size };
}

/** A write stream to a new file (never over an existing one), only for its owner, synced to disk on close. */
export function newFile(path: string): WriteStream {
  return createWriteStream(path, { flags: 'wx', mode: 0o600, flush: true });
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(length);
    const { bytesRead } = await file.read(head, 0, length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** Whether the file starts as an encrypted backup does. */
export async function fileIsEncrypted(path: string): Promise<boolean> {
  return isEncrypted(await readHead(path, ENCRYPTED_MAGIC.length));
}

/** What a backup file holds, from its first (decrypted) bytes: a pg_dump archive or a portable one. */
export async function backupKind(path: string, key: string | undefined): Promise<'pg_dump' | 'portable'> {
  let head = await readHead(path, 4096);
  if (isEncrypted(head)) head = decryptHead(head, key);
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'pg_dump';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'portable';
  throw new BackupIntegrityError('it is not a venture-crm backup (neither a pg_dump nor a portable archive)');
}

/** zlib's words for a damaged gzip stream, and a pipeline's abort, as the integrity error they mean. */
function integrityError(err: unknown): unknown {
  const e = err as NodeJS.ErrnoException;
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    return new BackupIntegrityError(`the archive is damaged or truncated (${e.message})`);
  }
  return err;
}

/**
 * Reads a backup file once, handing its plaintext (decrypted when encrypted) to `consume`, and answers the
 * SHA-256 of the stored bytes. Rejects if decryption fails — which, with GCM, can only be known at the end.
 */
export async function readBackupFile(
  path: string,
  key: string | undefined,
  consume: (plain: AsyncIterable<Buffer>) => Promise<void>,
  onBytes?: (bytes: number) => void,
): Promise<string> {
  const hash = createHash('sha256');
  const stages: Stream[] = [createReadStream(path), hashTap(hash, onBytes)];
  if (await fileIsEncrypted(path)) stages.push(decryptStream(key));
  // A failing stage makes the others abort: report the stage's own error, not "The operation was aborted".
  let first: unknown;
  for (const stage of stages) {
    stage.on('error', (err: Error) => {
      first ??= err;
    });
  }
  try {
    await (pipeline as (...streams: unknown[]) => Promise<void>)(...stages, (plain: AsyncIterable<Buffer>) =>
      consume(plain).catch((err: unknown) => {
        first ??= err;
        throw err;
      }),
    );
  } catch (err) {
    throw integrityError(first ?? err);
  }
  return hash.digest('hex');
}
