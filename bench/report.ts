import { say } from './output.js';
import { LEGEND, type ScenarioResult, tableLines } from './results-table.js';
import type { Measured } from './scenarios.js';

export const TARGET_P99_MS = 50;

/** The figures of one measured scenario, as the table and the JSON results file hold them. */
export function scenarioResult(m: Measured): ScenarioResult {
  const { scenario, probe, result: r } = m;
  const base: ScenarioResult = {
    name: scenario.name,
    connections: scenario.connections,
    total: probe.total,
    queries: probe.queries,
    targetMs: scenario.target ? (scenario.targetMs ?? TARGET_P99_MS) : undefined,
  };
  if (!r) return { ...base, unavailable: probe.unavailable ?? 'n/a' };
  const errors = r.non2xx + r.errors + r.timeouts;
  return {
    ...base,
    requestsPerSecond: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors,
    appCpuMsPerRequest: m.cpuMsPerRequest,
    targetMet: base.targetMs === undefined ? undefined : r.latency.p99 < base.targetMs && errors === 0,
    ceiling: m.ceiling,
    ceilingSkipped: m.ceilingSkipped,
    appToCeiling: m.ceiling?.requestsPerSecond ? r.requests.average / m.ceiling.requestsPerSecond : undefined,
    floor: m.floor,
  };
}

/** The result table, as Markdown so it can be pasted into an issue or a pull request as is. */
export function printReport(measured: Measured[], seconds: number): ScenarioResult[] {
  const results = measured.map(scenarioResult);
  say();
  say(
    `Results (${seconds} s per scenario after a warm-up; target: p99 < ${TARGET_P99_MS} ms for list, search and detail; reports: 150 ms dashboard, 300 ms others)`,
  );
  say();
  tableLines(results).forEach((line) => say(line));
  say();
  LEGEND.forEach((line) => say(line));
  return results;
}
