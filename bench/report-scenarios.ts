import { benchUuid } from './fill.js';
import type { Scenario } from './scenarios.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

/** The raising fund of the generated data (Fund 3 holds every deal). */
const FUND = benchUuid('f', 3);
const YEAR_AGO = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);

const report = (name: string, path: string, targetMs: number): Scenario => ({
  name: `report: ${name}`,
  method: 'GET',
  path: () => path,
  connections: CONNECTIONS,
  target: true,
  targetMs,
});

/**
 * `npm run bench -- reports`: the reports of issue 12 on the full data set. Targets: p99 under 150 ms for
 * the dashboard and under 300 ms for every other report, at 10 connections.
 */
export const REPORT_SCENARIOS: Scenario[] = [
  report('dashboard', '/api/reports/dashboard', 150),
  report('pipeline (all funds)', '/api/reports/pipeline', 300),
  report('LP breakdown (Fund 3)', `/api/reports/lp-breakdown?fundId=${FUND}`, 300),
  report('activity (30 days)', '/api/reports/activity?days=30', 300),
  report(
    'pipeline analytics (Fund 3, a year)',
    `/api/reports/pipeline-analytics?fundId=${FUND}&from=${YEAR_AGO}`,
    300,
  ),
  {
    // Each request a window the instance has not kept (its first day one of 365 in 2000, its last one of the
    // last 30; all of the data set's history in each): what a change costs the next reader, computed from stage
    // history. Shown for what it is; the target is the kept report's.
    name: 'report: pipeline analytics, computed (a new window each request)',
    method: 'GET',
    path: () => {
      const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
      const from = day(Date.UTC(2000, 0, 1) + Math.floor(Math.random() * 365) * 86_400_000);
      const to = day(Date.now() - Math.floor(Math.random() * 30) * 86_400_000);
      return `/api/reports/pipeline-analytics?fundId=${FUND}&from=${from}&to=${to}`;
    },
    connections: CONNECTIONS,
    target: false,
  },
  report('fund progress (Fund 3)', `/api/reports/fund-progress?fundId=${FUND}`, 300),
];
