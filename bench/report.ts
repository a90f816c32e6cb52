import { say } from './output.js';
import type { Measured } from './scenarios.js';

export const TARGET_P99_MS = 50;

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;

function queries(m: Measured): string {
  const q = m.probe.queries;
  if (!q) return '–';
  const [few, many] = q;
  if (few === many) return String(few);
  return `${few} → ${many} (grows with rows: N+1?)`;
}

function name(m: Measured): string {
  return m.probe.total === undefined ? m.scenario.name : `${m.scenario.name} (total ${m.probe.total})`;
}

/** The result table, as Markdown so it can be pasted into an issue or a pull request as is. */
export function printReport(measured: Measured[], seconds: number): void {
  say();
  say(
    `Results (${seconds} s per scenario after a warm-up; target: p99 < ${TARGET_P99_MS} ms for list, search and detail; reports: 150 ms dashboard, 300 ms others)`,
  );
  say();
  say(
    row([
      'scenario',
      'conns',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'app CPU ms/req',
      'queries/req',
      'p99 target',
    ]),
  );
  say(row(['---', '---:', '---:', '---:', '---:', '---:', '---:', '---:', '---']));
  for (const m of measured) {
    const r = m.result;
    if (!r) {
      const na = m.probe.unavailable ?? 'n/a';
      say(row([name(m), String(m.scenario.connections), na, '–', '–', '–', '–', queries(m), '–']));
      continue;
    }
    const errors = r.non2xx + r.errors + r.timeouts;
    const verdict = !m.scenario.target
      ? '–'
      : r.latency.p99 < (m.scenario.targetMs ?? TARGET_P99_MS) && errors === 0
        ? 'met'
        : 'NOT met';
    say(
      row([
        name(m),
        String(m.scenario.connections),
        r.requests.average.toFixed(0),
        String(r.latency.p50),
        String(r.latency.p99),
        String(errors),
        m.cpuMsPerRequest === undefined ? '–' : m.cpuMsPerRequest.toFixed(1),
        queries(m),
        verdict,
      ]),
    );
  }
  say();
  say(
    'queries/req: SQL statements one request sends (counted on the wire by a proxy), for a page of 1 row and of ' +
      '50 rows (detail: a contact with ~10 vs ~200 communications); one number means the same for both — no query per row.',
  );
  say(
    'app CPU ms/req: CPU time of the app process per request during the run; much less affected than latency by ' +
      'what else the machine is doing.',
  );
}
