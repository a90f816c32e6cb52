import { type ChildProcess, execFile, spawn, type SpawnOptions } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type PgToolName = 'pg_dump' | 'pg_restore' | 'psql';

export interface PgTool {
  name: PgToolName;
  path: string;
  major: number;
  version: string;
}

/** Folders where PostgreSQL's client tools live, one per major version (Debian/Ubuntu, RHEL, Homebrew, Postgres.app). */
async function versionedBinDirs(): Promise<string[]> {
  const layouts: [string, (entry: string) => string | undefined][] = [
    ['/usr/lib/postgresql', (e) => (/^\d+$/.test(e) ? join('/usr/lib/postgresql', e, 'bin') : undefined)],
    ['/usr', (e) => (/^pgsql-\d+$/.test(e) ? join('/usr', e, 'bin') : undefined)],
    [
      '/opt/homebrew/opt',
      (e) => (/^postgresql@\d+$/.test(e) ? join('/opt/homebrew/opt', e, 'bin') : undefined),
    ],
    ['/usr/local/opt', (e) => (/^postgresql@\d+$/.test(e) ? join('/usr/local/opt', e, 'bin') : undefined)],
    [
      '/Applications/Postgres.app/Contents/Versions',
      (e) => (/^\d+$/.test(e) ? join('/Applications/Postgres.app/Contents/Versions', e, 'bin') : undefined),
    ],
  ];
  const found = await Promise.all(
    layouts.map(async ([dir, pick]) => (await readdir(dir).catch(() => [] as string[])).map(pick)),
  );
  return found.flat().filter((d): d is string => d !== undefined);
}

async function probe(name: PgToolName, path: string): Promise<PgTool | undefined> {
  try {
    await access(path, constants.X_OK);
    const { stdout } = await execFileAsync(path, ['--version'], { timeout: 10_000 });
    const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(stdout);
    return match
      ? { name, path, major: Number(match[1]), version: stdout.trim().split(' ').slice(2).join(' ') }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The newest `name` on this machine, if it is at least `serverMajor` (pg_dump refuses a newer server; a newer
 * pg_dump reads an older one). Throws a sentence saying what is missing or too old.
 */
export async function findPgTool(name: PgToolName, serverMajor: number): Promise<PgTool> {
  const dirs = [...(await versionedBinDirs()), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  const tools = (await Promise.all([...new Set(dirs)].map((dir) => probe(name, join(dir, name))))).filter(
    (t): t is PgTool => t !== undefined,
  );
  if (tools.length === 0)
    throw new Error(`no ${name} found (looked in PATH and the usual PostgreSQL folders)`);
  const newest = tools.reduce((a, b) => (b.major > a.major ? b : a));
  if (newest.major < serverMajor) {
    throw new Error(
      `${name} ${newest.version} (${newest.path}) is older than the database server (${serverMajor})`,
    );
  }
  return newest;
}

/**
 * libpq settings for a connection URL, passed through the environment so the password never shows in `ps`. A
 * host that is a percent-encoded directory (`%2Fvar%2Frun%2Fpostgresql`) is a Unix socket's, as libpq reads it.
 */
export function pgEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const url = new URL(databaseUrl);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')) || 'localhost',
    PGPORT: url.port || '5432',
    PGDATABASE: decodeURIComponent(url.pathname.slice(1)),
    PGAPPNAME: 'venture-crm backup',
    PGCONNECT_TIMEOUT: '15',
  };
  if (url.username) env.PGUSER = decodeURIComponent(url.username);
  if (url.password) env.PGPASSWORD = decodeURIComponent(url.password);
  const sslmode = url.searchParams.get('sslmode');
  if (sslmode) env.PGSSLMODE = sslmode === 'no-verify' ? 'require' : sslmode;
  return env;
}

export interface RunningTool {
  child: ChildProcess;
  /** Resolves when it exits with 0; rejects with its last lines of stderr otherwise. */
  done: Promise<void>;
}

/** Starts a client tool; its stderr is kept (the last 8 KB) for the error message, or handed to `onStderr`. */
export function startTool(
  tool: PgTool,
  args: string[],
  options: SpawnOptions & { onStderr?: (line: string) => void },
): RunningTool {
  const { onStderr, ...spawnOptions } = options;
  const child = spawn(tool.path, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
  let stderr = '';
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-8192);
    if (!onStderr) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    lines.forEach(onStderr);
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(`${tool.name} failed (${signal ?? `exit ${code}`}): ${lastLines(stderr) || 'no output'}`),
        );
    });
  });
  return { child, done };
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ');
}
