import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import {
  fileIsEncrypted,
  newFile,
  readBackupFile,
  writeBackupFile,
  type WrittenFile,
} from './backup-streams.js';
import { WIPE_SQL } from './database-reset.js';
import { findPgTool, pgEnv, startTool } from './pg-tools.js';

/** Runs pg_dump (custom format: compressed, restorable table by table) into `path`, encrypted with `key`. */
export async function pgDumpTo(
  databaseUrl: string,
  serverMajor: number,
  path: string,
  key: string | undefined,
  onTable?: (line: string) => void,
): Promise<WrittenFile & { tool: string }> {
  const tool = await findPgTool('pg_dump', serverMajor);
  const dump = startTool(tool, ['--format=custom', '--verbose'], {
    env: pgEnv(databaseUrl),
    onStderr: (line) => {
      const table = /dumping contents of table "?([^"]+)"?/.exec(line);
      if (table) onTable?.(table[1]);
    },
  });
  const [written] = await Promise.all([
    writeBackupFile(path, dump.child.stdout!, { gzip: false, key }),
    dump.done,
  ]);
  return { ...written, tool: `${tool.path} ${tool.version}` };
}

/** Resolves once `stream` can take more, or will never (closed, failed: the reader has gone). */
function writable(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      for (const event of ['drain', 'close', 'error']) stream.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) stream.on(event, done);
  });
}

/**
 * The table of contents pg_restore reads from the archive (proof it is a complete, readable pg_dump file),
 * one entry per line. An encrypted file is decrypted on the way in, through pg_restore's stdin.
 */
export async function pgRestoreList(
  path: string,
  key: string | undefined,
  serverMajor: number,
): Promise<string[]> {
  const tool = await findPgTool('pg_restore', serverMajor);
  const encrypted = await fileIsEncrypted(path);
  const list = startTool(tool, encrypted ? ['--list'] : ['--list', path], {
    stdio: [encrypted ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  list.child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  if (!encrypted) {
    await list.done;
  } else {
    const stdin = list.child.stdin!;
    // pg_restore stops reading once it has the table of contents (EPIPE): the rest is read and dropped.
    stdin.on('error', () => undefined);
    await Promise.all([
      readBackupFile(path, key, async (plain) => {
        for await (const chunk of plain) {
          if (stdin.destroyed || stdin.writableEnded) continue;
          if (!stdin.write(chunk)) await writable(stdin);
        }
        if (!stdin.destroyed) stdin.end();
      }),
      list.done,
    ]);
  }
  return out.split('\n').filter((line) => line.trim() !== '' && !line.startsWith(';'));
}

/** A decrypted copy in a private temporary folder (pg_restore needs a file it can seek in); removed by `dispose`. */
export async function plainCopy(
  path: string,
  key: string | undefined,
): Promise<{ path: string; sha256: string; dispose: () => Promise<void> }> {
  // Beside the backup (the same disk, which has room for backups) rather than in a /tmp that may be in memory.
  const dir = await mkdtemp(join(dirname(path), '.vcrm-restore-')).catch(() =>
    mkdtemp(join(tmpdir(), 'vcrm-restore-')),
  );
  const dispose = (): Promise<void> => rm(dir, { recursive: true, force: true });
  const plain = join(dir, 'backup.dump');
  try {
    // Used only if the whole file decrypted and its tag checked out (else this rejects and it is removed).
    const sha256 = await readBackupFile(path, key, (source) => pipeline(source, newFile(plain)));
    return { path: plain, sha256, dispose };
  } catch (err) {
    await dispose();
    throw err;
  }
}

/** Writes to a child's stdin, waiting when its pipe is full; fails if the child is gone. */
async function feed(stdin: Writable, data: Buffer | string): Promise<void> {
  if (stdin.destroyed) throw new Error('psql stopped reading');
  if (!stdin.write(data)) await writable(stdin);
}

/**
 * Restores a (plaintext) pg_dump archive into the database in one transaction: pg_restore writes the SQL,
 * psql runs it between a BEGIN and a COMMIT that only this function writes — after the old schema is wiped
 * and the archive fully applied, with `finalSql` (the restore's audit row). On any failure psql is killed
 * before COMMIT, so the server rolls everything back. Owners and grants of the original are not restored:
 * everything belongs to the user the restore connects as.
 */
export async function pgRestoreInto(
  databaseUrl: string,
  dumpPath: string,
  serverMajor: number,
  finalSql: string,
  onProgress?: (done: number, total: number) => void,
): Promise<{ entries: number }> {
  const [restoreTool, psqlTool] = await Promise.all([
    findPgTool('pg_restore', serverMajor),
    findPgTool('psql', serverMajor),
  ]);
  const toc = await pgRestoreList(dumpPath, undefined, serverMajor);
  // Only an extension's owner may comment on it; the extension itself is kept as the database has it.
  const entries = toc.filter((line) => !/^\d+;\s+\d+\s+\d+\s+COMMENT - EXTENSION /.test(line));
  const dir = await mkdtemp(join(tmpdir(), 'vcrm-restore-list-'));
  const listFile = join(dir, 'toc.list');
  await writeFile(listFile, `${entries.join('\n')}\n`, { mode: 0o600 });
  const psql = startTool(psqlTool, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
    env: pgEnv(databaseUrl),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let done = 0;
  const restore = startTool(
    restoreTool,
    ['--no-owner', '--no-acl', '--verbose', `--use-list=${listFile}`, '--file=-', dumpPath],
    {
      onStderr: (line) => {
        if (/^pg_restore: (creating|processing)/.test(line)) onProgress?.((done += 1), entries.length);
      },
    },
  );
  const stdin = psql.child.stdin!;
  stdin.on('error', () => undefined);
  let psqlFailure: unknown;
  psql.done.catch((err: unknown) => (psqlFailure ??= err));
  try {
    await feed(stdin, `BEGIN;\n${WIPE_SQL}\n`);
    for await (const chunk of restore.child.stdout!) await feed(stdin, chunk as Buffer);
    await restore.done;
    await feed(stdin, `\n${finalSql}\nCOMMIT;\n`);
    stdin.end();
    await psql.done;
    return { entries: entries.length };
  } catch (err) {
    // psql's own error (the SQL that failed) says more than "psql stopped reading".
    await Promise.race([psql.done.catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
    const cause = psqlFailure ?? err;
    psql.child.kill('SIGKILL');
    restore.child.kill('SIGKILL');
    await Promise.allSettled([psql.done, restore.done]);
    throw cause;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
