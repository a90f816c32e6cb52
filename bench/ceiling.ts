import { performance } from 'node:perf_hooks';

import pg from 'pg';

import type { Statement } from './query-counter.js';

/** The same SQL as one app request, replayed straight through `pg`: what PostgreSQL alone allows. */
export interface Ceiling {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** A statement that changes data (or the schema): such a sequence is not replayed (see the report's legend). */
const WRITES =
  /^\s*(insert|update|delete|merge|truncate|create|alter|drop|copy|grant|revoke|vacuum)\b|\binsert\s+into\b|\bdelete\s+from\b|\bupdate\s+"?\w+"?(\s+as)?(\s+"?\w+"?)?\s+set\b/i;

/** Why a captured request cannot be replayed as a ceiling, or undefined when it can. */
export function notReplayable(method: string, statements: Statement[] | undefined): string | undefined {
  if (method !== 'GET') return 'write';
  if (!statements || statements.length === 0) return 'no SQL';
  if (statements.some((s) => WRITES.test(s.text))) return 'writes';
  return undefined;
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/**
 * `connections` workers share a pg.Pool of that size; each "request" takes a connection and sends the
 * captured statements one after another, as the app's request did, then gives the connection back.
 * A warm-up run, then `seconds` measured.
 */
export async function replay(
  databaseUrl: string,
  statements: Statement[],
  connections: number,
  seconds: number,
  warmup: number,
): Promise<Ceiling> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  pool.on('error', () => undefined);
  try {
    await run(pool, statements, connections, warmup);
    return await run(pool, statements, connections, seconds);
  } finally {
    await pool.end();
  }
}

async function run(
  pool: pg.Pool,
  statements: Statement[],
  connections: number,
  seconds: number,
): Promise<Ceiling> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      const client = await pool.connect();
      try {
        for (const s of statements)
          await client.query(s.values ? { name: s.name, text: s.text, values: s.values } : s.text);
        latencies.push(performance.now() - t0);
      } catch {
        errors += 1;
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / elapsed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
  };
}
