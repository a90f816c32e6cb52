import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

import argon2 from 'argon2';

import { EmbeddedPostgres } from '../src/database/embedded-postgres.js';
import { migrate } from '../src/database/migrate.js';
import {
  createDatabase,
  databaseUrl,
  dropDatabases,
  THROWAWAY_PREFIX,
  withAdmin,
  withDatabase,
} from '../src/database/throwaway-database.js';
import { memoryMb, startApp } from './app-process.js';
import { backupBench } from './backup.js';
import { compareBench } from './compare.js';
import { notReplayable, replay } from './ceiling.js';
import { fill, SIZES } from './fill.js';
import { startFloor } from './floor.js';
import { importBench } from './import.js';
import { finished, LOAD_AT_START, say, writeResults } from './output.js';
import { QueryCounter } from './query-counter.js';
import {
  CREATED_DEAL_NAME,
  CREATED_LAST_NAME,
  CREATED_SUBJECT,
  type Measured,
  measure,
  probe,
  SCENARIOS,
  UPDATED_NOTES,
} from './scenarios.js';
import { printReport } from './report.js';
import { type AppFigures, appLine } from './results-table.js';
import { REPORT_SCENARIOS } from './report-scenarios.js';

/**
 * `npm run bench -- backup`: backup and restore of the data set instead of the HTTP scenarios;
 * `-- reports`: the report endpoints instead of the list, search and detail scenarios;
 * `-- import`: a 50k-contact import and a 1M-communication export;
 * `-- compare <checkout>`: the HTTP scenarios on this build and another checkout's, in alternating bursts.
 */
const MODE = process.argv[2] ?? 'api';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
/** Seconds the app idles after the last scenario before its resident memory is read. */
const IDLE_SECONDS = 10;

/** Undo steps, run last-in first-out, once, whether the benchmark finished, failed or was interrupted. */
const cleanups: (() => Promise<unknown>)[] = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()!().catch((err: Error) => say(`cleanup: ${err.message}`));
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const value = await fn();
  finished(label, Date.now() - started);
  return value;
}

/** BENCH_DATABASE_URL, else TEST_DATABASE_URL, else a throwaway embedded PostgreSQL. */
async function openServer(work: string): Promise<string> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (url) return url;
  const server = new EmbeddedPostgres({ dir: join(work, 'postgres'), database: 'postgres' });
  await server.start();
  cleanups.push(() => server.stop());
  return server.urlFor('postgres');
}

/**
 * BENCH_KEEP_DATABASE=1: the data set is loaded once into `vcrm_test_bench_kept` and kept, and later runs reuse
 * it (pending migrations applied) instead of filling again — for EXPLAIN sessions and repeated measurements.
 */
const KEEP = Boolean(process.env.BENCH_KEEP_DATABASE);
const KEPT_NAME = `${THROWAWAY_PREFIX}bench_kept`;
const FILLED_MARK = 'venture-crm benchmark data set, filled';

/** A new throwaway database (dropped at the end), or with BENCH_KEEP_DATABASE the kept one. */
async function benchDatabase(server: string): Promise<{ name: string; url: string; filled: boolean }> {
  if (KEEP) {
    const { exists, mark } = await withAdmin(server, async (c) => {
      const { rows } = await c.query<{ mark: string | null }>(
        `select shobj_description(oid, 'pg_database') mark from pg_database where datname = $1`,
        [KEPT_NAME],
      );
      return { exists: rows.length > 0, mark: rows[0]?.mark };
    });
    // A database whose load did not finish is loaded again from scratch.
    if (exists && mark === FILLED_MARK)
      return { name: KEPT_NAME, url: databaseUrl(server, KEPT_NAME), filled: true };
    if (exists) await dropDatabases(server, KEPT_NAME);
    return { name: KEPT_NAME, url: await createDatabase(server, KEPT_NAME), filled: false };
  }
  const name = `${THROWAWAY_PREFIX}bench_${Date.now().toString(36)}`;
  const url = await createDatabase(server, name);
  cleanups.push(() => dropDatabases(server, name));
  return { name, url, filled: false };
}

async function markFilled(server: string, name: string): Promise<void> {
  await withAdmin(server, (c) =>
    c.query(`comment on database ${c.escapeIdentifier(name)} is '${FILLED_MARK}'`),
  );
}

/**
 * A kept database as filled again: the communications, contacts and deals earlier runs' create scenarios wrote are
 * deleted (a run writes about 100,000 communications between the app, its ceiling and its floor), the notes and next
 * steps their update scenarios wrote are cleared, and the tables vacuumed, which also empties the full-text index's
 * pending list (each search reads it whole). Else each run measures a
 * bigger table than the last, and a search slowed by earlier runs' inserts (a term none has: from 2,900 to under
 * 1,000 req/s in a few runs). Their audit rows stay: the audit log is append-only, and no scenario reads it.
 */
async function putBack(url: string, migrated: boolean): Promise<void> {
  await withDatabase(url, async (client) => {
    await client.query('delete from communications where subject = $1', [CREATED_SUBJECT]);
    await client.query('delete from contacts where last_name = $1', [CREATED_LAST_NAME]);
    await client.query('delete from opportunities where name = $1', [CREATED_DEAL_NAME]);
    await client.query(`update contacts set notes = null where notes like $1`, [`${UPDATED_NOTES} %`]);
    await client.query(`update opportunities set next_step = null where next_step like $1`, [
      `${UPDATED_NOTES} %`,
    ]);
    // A migration may have rewritten any table (one wrote a column of every contact): until vacuumed, its pages are
    // not all-visible, and index-only scans read the table after all.
    await client.query(
      migrated ? 'vacuum (analyze)' : 'vacuum (analyze) communications, contacts, opportunities',
    );
  });
}

/** An admin written straight to the database; signs in through the API like any client. */
async function benchUser(url: string): Promise<{ username: string; password: string }> {
  const password = randomBytes(18).toString('base64url');
  // A kept database already has the user: it gets the new password.
  const hash = await argon2.hash(password, { type: argon2.argon2id });
  await withDatabase(url, (client) =>
    client.query(
      `insert into users (username, email, full_name, role, password_hash)
       values ('bench', 'bench@bench.example', 'Benchmark', 'admin', $1)
       on conflict ((lower(username))) do update set password_hash = excluded.password_hash`,
      [hash],
    ),
  );
  return { username: 'bench', password };
}

async function signIn(base: string, user: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/** `compare`'s checkout: built, so that its app can start. */
function checkoutToCompare(): string {
  const checkout = process.argv[3];
  if (!checkout || !existsSync(join(checkout, 'dist', 'src', 'main.js'))) {
    throw new Error('usage: npm run bench -- compare <checkout whose build (npm run build) is in its dist/>');
  }
  return checkout;
}

async function main(): Promise<void> {
  const started = Date.now();
  const work = await mkdtemp(join(tmpdir(), 'vcrm-bench-'));
  await chmod(work, 0o755);
  cleanups.push(() => rm(work, { recursive: true, force: true }));
  const logFile = join(work, 'app.log');

  say(`venture-crm benchmark — ${cpus().length} CPUs, load average ${LOAD_AT_START.toFixed(1)} at start`);
  const server = await timed('PostgreSQL server', () => openServer(work));
  // How the app reaches it changes its CPU per statement: say which.
  const socket = decodeURIComponent(new URL(server).hostname).startsWith('/');
  say(`The app reaches PostgreSQL over ${socket ? 'a Unix socket' : 'TCP'}.`);
  const { name, url, filled } = await benchDatabase(server);
  const applied = await timed(`database ${name} migrated`, () => migrate(url));
  if (filled) {
    say(`Reusing the filled database ${name} (BENCH_KEEP_DATABASE); drop it when done.`);
    await timed('back to the filled data set', () => putBack(url, applied.length > 0));
  } else {
    say(
      `Filling: ${SIZES.contacts.toLocaleString('en-US')} contacts, ${SIZES.organizations.toLocaleString('en-US')} organizations, ` +
        `${SIZES.opportunities.toLocaleString('en-US')} opportunities, ${SIZES.communications.toLocaleString('en-US')} communications`,
    );
    await timed('filled', () => fill(url));
    if (KEEP) await markFilled(server, name);
  }
  if (MODE === 'backup') {
    await backupBench(server, url, name, work);
    say(`Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    say(`Results written to ${await writeResults(MODE)}`);
    return;
  }
  const user = await benchUser(url);
  if (MODE === 'import' || MODE === 'compare') {
    if (MODE === 'import') await importBench(url, work, user);
    else await compareBench(url, work, checkoutToCompare(), (base) => signIn(base, user));
    say(`Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
    say(`Results written to ${await writeResults(MODE)}`);
    return;
  }

  // Pass 1: the app talks to PostgreSQL through a proxy that counts statements per request.
  const target = new URL(url);
  const counter = await QueryCounter.start({ host: target.hostname, port: Number(target.port || 5432) });
  cleanups.push(() => counter.close());
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(counter.port);
  const counting = await timed('app started (counting statements)', () =>
    startApp(proxied.toString(), work, logFile),
  );
  cleanups.push(() => counting.stop());
  const token = await signIn(counting.base, user);
  const measured: Measured[] = [];
  for (const scenario of MODE === 'reports' ? REPORT_SCENARIOS : SCENARIOS) {
    measured.push({ scenario, probe: await probe(counting.base, token, scenario, counter) });
  }
  await counting.stop();
  await counter.close();

  // Pass 2: straight to PostgreSQL, under load; after each scenario, its SQL alone (the ceiling), then the same
  // SQL served by a bare Node server (the floor).
  const app = await timed('app started', () => startApp(url, work, logFile));
  cleanups.push(() => app.stop());
  const floor = await startFloor(url);
  cleanups.push(() => floor.stop());
  for (const m of measured) {
    if (m.probe.unavailable) {
      say(`  ${m.scenario.name.padEnd(50)} ${m.probe.unavailable}`);
      continue;
    }
    Object.assign(
      m,
      await timed(`  ${m.scenario.name}`, () => measure(app, token, m.scenario, DURATION, WARMUP)),
    );
    m.ceilingSkipped = m.scenario.noCeiling ?? notReplayable(m.probe.statements);
    if (m.ceilingSkipped) continue;
    const captured = { statements: m.probe.statements!, newIds: m.probe.newIds };
    m.ceiling = await timed(`    its SQL replayed through pg`, () =>
      replay(url, captured, m.scenario.connections, DURATION, WARMUP),
    );
    await floor.use(captured, m.scenario.connections);
    const floored = await timed(`    its SQL served by a bare Node server`, () =>
      measure(floor, token, m.scenario, DURATION, WARMUP),
    );
    const { requests, non2xx, errors, timeouts } = floored.result;
    m.floor = {
      requestsPerSecond: requests.average,
      cpuMsPerRequest: floored.cpuMsPerRequest,
      errors: non2xx + errors + timeouts,
    };
  }
  await floor.stop();
  // Resident memory once the load is over: V8 collects and gives memory back a few seconds into idleness.
  await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
  const appFigures: AppFigures = {
    coldStartSeconds: app.startSeconds,
    idleSeconds: IDLE_SECONDS,
    rssMb: app.rssMb(),
    peakRssMb: memoryMb(app.pid, 'VmHWM'),
  };
  await app.stop();

  const scenarios = printReport(measured, DURATION);
  say(appLine(appFigures));
  say(
    `Load average ${loadavg()[0].toFixed(1)} at the end (other processes on this machine compete for its CPUs).`,
  );
  say(`Total ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  say(
    `Results written to ${await writeResults(MODE, { scenarios, durationSeconds: DURATION, warmupSeconds: WARMUP, app: appFigures })}`,
  );
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`\n${signal}: stopping the app and dropping the benchmark database…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (err) {
  process.stderr.write(`benchmark failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
