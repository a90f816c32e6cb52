import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import pg from 'pg';

import { projectRoot } from '../src/common/utils/project-root.js';
import { createDatabase } from '../src/database/throwaway-database.js';
import { memoryMb } from './app-process.js';
import { finished, say } from './output.js';

interface Step {
  step: string;
  seconds: number;
  peakRssMb: number | undefined;
  output: string;
}

/** Peak resident memory of a live process (Linux: VmHWM of /proc/<pid>/status), in MB. */
export const peakRss = (pid: number | undefined): number | undefined => memoryMb(pid, 'VmHWM');

/** Runs the built CLI as an operator would, timing it and sampling its peak memory until it exits. */
export function cli(step: string, args: string[], env: Record<string, string>): Promise<Step> {
  const started = Date.now();
  const child = spawn(process.execPath, [join(projectRoot(), 'dist/src/cli.js'), ...args], {
    cwd: projectRoot(),
    env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'production', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let peak: number | undefined;
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const sampler = setInterval(() => {
    const now = peakRss(child.pid);
    if (now !== undefined) peak = Math.max(peak ?? 0, now);
  }, 100);
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      clearInterval(sampler);
      const seconds = (Date.now() - started) / 1000;
      finished(`  ${step}`, seconds * 1000);
      if (code !== 0) reject(new Error(`${step} failed (exit ${code}):\n${output}`));
      else resolve({ step, seconds, peakRssMb: peak, output });
    });
  });
}

async function databaseSizeMb(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ size: string }>(
      'select pg_database_size(current_database()) as size',
    );
    return Number(rows[0].size) / 1024 / 1024;
  } finally {
    await client.end();
  }
}

/**
 * `npm run bench -- backup`: a backup and a restore of the filled database with each method, through the
 * CLI an operator uses, with the time and the CLI's peak memory (which must not grow with the database).
 */
export async function backupBench(
  server: string,
  databaseUrl: string,
  name: string,
  work: string,
): Promise<void> {
  const dbMb = await databaseSizeMb(databaseUrl);
  say(`Database size ${dbMb.toFixed(0)} MB. Backups and restores through the CLI (NODE_ENV=production):`);
  const secrets = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(48).toString('base64url'),
  };
  const rows: string[] = [];
  // What the CLI holds doing nothing much (a job with no mail to send): the rest is what streaming costs.
  const idle = await cli('baseline: run-job reminders (no mail)', ['run-job', 'reminders'], {
    ...secrets,
    DATABASE_URL: databaseUrl,
    DATA_DIR: join(work, 'data-baseline'),
  });
  rows.push(`| ${idle.step} | ${idle.seconds.toFixed(1)} | ${idle.peakRssMb?.toFixed(0) ?? 'n/a'} | |`);
  for (const method of ['pg_dump', 'portable'] as const) {
    const dataDir = join(work, `data-${method}`);
    const env = { ...secrets, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, BACKUP_METHOD: method };
    const backup = await cli(`${method} backup`, ['backup'], env);
    const file = /Backup (\S+)/.exec(backup.output)?.[1] ?? '';
    const fileMb = (await stat(join(dataDir, 'backups', file))).size / 1024 / 1024;
    const target = await createDatabase(
      server,
      `${name}_restore_${method === 'pg_dump' ? 'dump' : 'portable'}`,
    );
    const restore = await cli(`${method} restore`, ['restore', join(dataDir, 'backups', file), '--yes'], {
      ...env,
      DATABASE_URL: target,
    });
    for (const step of [backup, restore]) {
      rows.push(
        `| ${step.step} | ${step.seconds.toFixed(1)} | ${step.peakRssMb?.toFixed(0) ?? 'n/a'} | ${step === backup ? fileMb.toFixed(0) : ''} |`,
      );
    }
  }
  say();
  say(`Backup and restore of the benchmark data set (database ${dbMb.toFixed(0)} MB)`);
  say();
  say('| step | seconds | CLI peak RSS MB | file MB |');
  say('| --- | ---: | ---: | ---: |');
  rows.forEach((r) => say(r));
}
