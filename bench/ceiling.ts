import { performance } from 'node:perf_hooks';

import pg from 'pg';

import { withNewIds } from './new-ids.js';
import type { Statement } from './query-counter.js';

/** The same SQL as one app request, replayed straight through `pg`: what PostgreSQL alone allows. */
export interface Ceiling {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Why a captured request cannot be replayed as a ceiling, or undefined when it can. */
export function notReplayable(statements: Statement[] | undefined): string | undefined {
  return statements && statements.length > 0 ? undefined : 'no SQL';
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/**
 * `connections` workers share a pg.Pool of that size; each "request" takes a connection and sends the
 * captured statements one after another, as the app's request did (with new ids for those it made up: a write
 * writes new records each time), then gives the connection back. A warm-up run, then `seconds` measured.
 */
export async function replay(
  databaseUrl: string,
  captured: { statements: Statement[]; newIds?: string[] },
  connections: number,
  seconds: number,
  warmup: number,
): Promise<Ceiling> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  pool.on('error', () => undefined);
  try {
    await run(pool, captured, connections, warmup);
    return await run(pool, captured, connections, seconds);
  } finally {
    await pool.end();
  }
}

async function run(
  pool: pg.Pool,
  { statements, newIds = [] }: { statements: Statement[]; newIds?: string[] },
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
        for (const s of withNewIds(statements, newIds))
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
