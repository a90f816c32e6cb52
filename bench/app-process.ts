import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort } from '../src/database/embedded-postgres.js';
import { projectRoot } from '../src/common/utils/project-root.js';

export interface RunningApp {
  base: string;
  /** The app's process id (to sample its memory). */
  pid: number | undefined;
  /** CPU time (user + system) the app process has used so far, in ms; undefined where /proc is missing. */
  cpuMs(): number | undefined;
  /** Seconds from starting the process to its first healthy answer (a cold start, pending migrations checked). */
  startSeconds: number;
  /** Resident memory of the app process now (VmRSS), in MB. */
  rssMb(): number | undefined;
  stop(): Promise<void>;
}

/** Secrets of the benchmark's app instances: random, the same for each start, so a token stays valid. */
const SECRETS = {
  JWT_SECRET: randomBytes(48).toString('base64'),
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
};

/**
 * Starts the built app (`node dist/src/main.js` of the checkout at `root`, this one by default) as in production,
 * on a free port, with its log in `logFile`; resolves once /api/health answers 200.
 */
export async function startApp(
  databaseUrl: string,
  dataDir: string,
  logFile: string,
  root = projectRoot(),
): Promise<RunningApp> {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const spawned = performance.now();
  const child: ChildProcess = spawn(process.execPath, [join(root, 'dist/src/main.js')], {
    cwd: root,
    env: {
      ...process.env,
      ...SECRETS,
      NODE_OPTIONS: '',
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      DEMO: 'false',
    },
    stdio: ['ignore', log, log],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`the app exited (${child.exitCode}) while starting:\n${tail(logFile)}`);
    }
    const status = await fetch(`${base}/api/health`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (Date.now() > deadline) throw new Error(`the app did not become healthy in 60 s:\n${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    pid: child.pid,
    cpuMs: () => processCpuMs(child.pid),
    startSeconds: (performance.now() - spawned) / 1000,
    rssMb: () => memoryMb(child.pid, 'VmRSS'),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** utime + stime from /proc/<pid>/stat (Linux), in ms; fields 14 and 15, counted after the command name. */
export function processCpuMs(pid: number | string | undefined, command?: string): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (command !== undefined && !stat.includes(`(${command})`)) return undefined;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/**
 * The CPU time of every PostgreSQL process on this machine (`postgres` processes in /proc), in ms: what the
 * database server spent, when it runs here (as the bench's does); undefined when none is found. A backend that
 * exits between two readings takes its time with it, so read it around bursts that keep their connections.
 */
export function databaseCpuMs(): number | undefined {
  let total: number | undefined;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const ms = processCpuMs(pid, 'postgres');
    if (ms !== undefined) total = (total ?? 0) + ms;
  }
  return total;
}

/** Resident memory of a live process from /proc/<pid>/status, in MB: now (VmRSS) or at its peak (VmHWM). */
export function memoryMb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux platform Node supports. */
const CLOCK_TICKS = 100;

function tail(file: string): string {
  return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
}
