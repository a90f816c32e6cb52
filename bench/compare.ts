import { join, resolve } from 'node:path';

import { databaseCpuMs, type RunningApp, startApp } from './app-process.js';
import { say } from './output.js';
import { cannon, type Scenario, SCENARIOS } from './scenarios.js';

/** Rounds of alternating bursts per scenario, and the seconds of each burst. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const BURST = Number(process.env.BENCH_BURST ?? 1.5);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
/** BENCH_ONLY: run only the scenarios whose name contains one of these (comma-separated) words. */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean);

/** What one build did over all its bursts of one scenario. */
interface Tally {
  requests: number;
  seconds: number;
  cpuMs: number;
  /** PostgreSQL's CPU time over the same bursts (its processes on this machine), when it runs here. */
  databaseMs?: number;
  errors: number;
}

/**
 * `npm run bench -- compare <checkout>`: this build against another checkout's (its `dist`, from `npm run build`
 * there), both running at once on the same data set. Each scenario goes to them in alternating bursts, ROUNDS
 * rounds of BURST seconds, the order swapped every round, so that the machine's drift (on a shared 2-core machine,
 * up to 30% within minutes, which one run after the other would ascribe to the change) falls on both alike. The
 * figures to read are the CPU times per request: the app's, and PostgreSQL's (only one build sends it queries
 * during a burst), whose sum is what the two share on one machine.
 */
export async function compareBench(
  url: string,
  work: string,
  checkout: string,
  signIn: (base: string) => Promise<string>,
): Promise<void> {
  const other = resolve(checkout);
  const apps: [string, RunningApp][] = [
    ['this build', await startApp(url, work, join(work, 'app.log'))],
    [other, await startApp(url, join(work, 'other'), join(work, 'other.log'), other)],
  ];
  try {
    const tokens = await Promise.all(apps.map(([, app]) => signIn(app.base)));
    say(
      `Comparing this build with ${other}: ${ROUNDS} rounds of ${BURST} s bursts per scenario, alternating.`,
    );
    say('');
    say(
      '| scenario | conns | req/s (this) | req/s (other) | app CPU ms/req (this) | (other) | app CPU change | ' +
        'PostgreSQL CPU ms/req (this) | (other) | app + PostgreSQL change |',
    );
    say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const scenario of SCENARIOS.filter((s) => !ONLY.length || ONLY.some((w) => s.name.includes(w)))) {
      const [mine, theirs] = await alternate(scenario, apps, tokens);
      const perRequest = (ms: number | undefined, t: Tally) =>
        ms === undefined ? undefined : ms / Math.max(1, t.requests);
      const cpu = (t: Tally) => perRequest(t.cpuMs, t)!;
      const database = (t: Tally) => perRequest(t.databaseMs, t);
      const both = (t: Tally) => cpu(t) + (database(t) ?? NaN);
      const ms = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(2));
      const change = (a: number, b: number) =>
        Number.isNaN(a - b) ? '—' : `${(((a - b) / b) * 100).toFixed(0)}%`;
      const rate = (t: Tally) => Math.round(t.requests / t.seconds);
      const errors = mine.errors + theirs.errors ? ` (errors: ${mine.errors} / ${theirs.errors})` : '';
      say(
        `| ${scenario.name}${errors} | ${scenario.connections} | ${rate(mine)} | ${rate(theirs)} | ` +
          `${ms(cpu(mine))} | ${ms(cpu(theirs))} | ${change(cpu(mine), cpu(theirs))} | ` +
          `${ms(database(mine))} | ${ms(database(theirs))} | ${change(both(mine), both(theirs))} |`,
      );
    }
  } finally {
    await Promise.all(apps.map(([, app]) => app.stop()));
  }
}

/** A warm-up of each build, then the rounds of bursts; the tallies of this build and of the other. */
async function alternate(
  scenario: Scenario,
  apps: [string, RunningApp][],
  tokens: string[],
): Promise<[Tally, Tally]> {
  const tallies: [Tally, Tally] = [
    { requests: 0, seconds: 0, cpuMs: 0, databaseMs: 0, errors: 0 },
    { requests: 0, seconds: 0, cpuMs: 0, databaseMs: 0, errors: 0 },
  ];
  for (const [i, [, app]] of apps.entries()) await cannon(app.base, tokens[i], scenario, WARMUP);
  for (let round = 0; round < ROUNDS; round++) {
    for (const i of round % 2 ? [1, 0] : [0, 1]) {
      const app = apps[i][1];
      const before = app.cpuMs() ?? 0;
      const databaseBefore = databaseCpuMs();
      const result = await cannon(app.base, tokens[i], scenario, BURST);
      tallies[i].cpuMs += (app.cpuMs() ?? 0) - before;
      const databaseAfter = databaseCpuMs();
      tallies[i].databaseMs =
        databaseBefore === undefined || databaseAfter === undefined || tallies[i].databaseMs === undefined
          ? undefined
          : tallies[i].databaseMs + databaseAfter - databaseBefore;
      tallies[i].requests += result.requests.total;
      tallies[i].seconds += result.duration;
      tallies[i].errors += result.errors + result.non2xx;
    }
  }
  return tallies;
}
