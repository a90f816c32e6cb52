/**
 * The shape of bench/results/<mode>.json and the table drawn from it — one renderer for what `npm run bench`
 * prints and for the README sections `npm run docs:bench` regenerates. No side effects: unit-tested.
 */

/** One scenario's row: every number the table shows. */
export interface ScenarioResult {
  name: string;
  connections: number;
  /** `total` of a list answer (how many rows the list or search matches). */
  total?: number;
  /** Why the scenario did not run (e.g. "n/a (404)"). */
  unavailable?: string;
  requestsPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors?: number;
  appCpuMsPerRequest?: number;
  /** Statements per request for a page of 1 and of 50 rows (or the same request twice). */
  queries?: [few: number, many: number];
  /** The p99 target in ms, when the scenario has one. */
  targetMs?: number;
  targetMet?: boolean;
  /** The request's SQL replayed straight through `pg` at the same connection count. */
  ceiling?: { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number };
  /** Why there is no ceiling ("no SQL"; results written before writes were replayed: "write", "writes"). */
  ceilingSkipped?: string;
  /** App req/s ÷ ceiling req/s. */
  appToCeiling?: number;
  /** The same SQL served over HTTP by a bare Node server (bench/floor.ts): its req/s and CPU per request. */
  floor?: { requestsPerSecond: number; cpuMsPerRequest?: number; errors?: number };
}

/** Targets of the app process (issue #15): a cold start under 3 s, under 300 MB resident after the benchmark. */
export const COLD_START_TARGET_SECONDS = 3;
export const RSS_TARGET_MB = 300;

export interface AppFigures {
  /** Seconds from starting `node dist/src/main.js` (DATABASE_URL set) to its first healthy answer. */
  coldStartSeconds: number;
  /** Seconds the app idled after the last scenario before `rssMb` was read. */
  idleSeconds?: number;
  /** Resident memory after the last scenario (and `idleSeconds` of idleness), and its peak, in MB. */
  rssMb?: number;
  peakRssMb?: number;
}

/** One line on the app process, with its targets. */
export function appLine({ coldStartSeconds, idleSeconds, rssMb, peakRssMb }: AppFigures): string {
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return (
    `App process: cold start ${coldStartSeconds.toFixed(1)} s (target ${COLD_START_TARGET_SECONDS} s: ` +
    `${met(coldStartSeconds < COLD_START_TARGET_SECONDS)}); resident memory after the last scenario ` +
    (idleSeconds ? `and ${idleSeconds} s idle ` : '') +
    `${fixed(rssMb)} MB, peak ${fixed(peakRssMb)} MB (target ${RSS_TARGET_MB} MB: ` +
    `${rssMb === undefined ? '–' : met(rssMb < RSS_TARGET_MB)}).`
  );
}

export interface BenchResults {
  mode: string;
  commit: { hash: string; dirty: boolean };
  /** ISO moment the run started. */
  date: string;
  machine: { cpus: number; model: string; memoryGiB: number; node: string };
  /** One-minute load average at the start and at the end of the run. */
  load: { start: number; end: number };
  durationSeconds?: number;
  warmupSeconds?: number;
  /** The scenario table (api and reports modes; backup and import print their own tables, kept in `output`). */
  scenarios: ScenarioResult[];
  /** The measured app process: its cold start and its memory once every scenario has run. */
  app?: AppFigures;
  /** Every line the run printed. */
  output: string[];
}

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const fixed = (n: number | undefined, digits = 0): string => (n === undefined ? '–' : n.toFixed(digits));

/** A replay's req/s, or how many of its requests failed: a figure of failed requests measures nothing. */
const replayed = (r: { requestsPerSecond: number; errors?: number } | undefined): string =>
  r?.errors ? `failed (${r.errors} errors)` : fixed(r?.requestsPerSecond);

function queries(r: ScenarioResult): string {
  if (!r.queries) return '–';
  const [few, many] = r.queries;
  return few === many ? String(few) : `${few} → ${many} (grows with rows: N+1?)`;
}

function verdict(r: ScenarioResult): string {
  if (r.targetMs === undefined || r.targetMet === undefined) return '–';
  return `${r.targetMs}: ${r.targetMet ? 'met' : 'NOT met'}`;
}

/** The results table in Markdown. */
export function tableLines(scenarios: ScenarioResult[]): string[] {
  const lines = [
    row([
      'scenario',
      'conns',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      'app CPU ms/req',
      'queries/req',
      'SQL ceiling req/s',
      'app ÷ ceiling',
      'Node floor req/s',
      'floor CPU ms/req',
      'p99 target ms',
    ]),
    row([
      '---',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---:',
      '---',
    ]),
  ];
  for (const r of scenarios) {
    const name = r.total === undefined ? r.name : `${r.name} (total ${r.total})`;
    const ceiling = r.ceiling ? replayed(r.ceiling) : r.ceilingSkipped ? `— (${r.ceilingSkipped})` : '–';
    lines.push(
      row([
        name,
        String(r.connections),
        r.unavailable ?? fixed(r.requestsPerSecond),
        fixed(r.p50Ms),
        fixed(r.p99Ms),
        fixed(r.errors),
        fixed(r.appCpuMsPerRequest, 1),
        queries(r),
        ceiling,
        r.appToCeiling === undefined || r.ceiling?.errors ? '–' : `${r.appToCeiling.toFixed(2)}×`,
        replayed(r.floor),
        fixed(r.floor?.cpuMsPerRequest, 1),
        r.unavailable ? '–' : verdict(r),
      ]),
    );
  }
  return lines;
}

/** What the columns mean, printed under the table. */
export const LEGEND = [
  'queries/req: SQL statements one request sends (counted on the wire by a proxy), for a page of 1 row and of ' +
    '50 rows (detail: a contact with ~10 vs ~200 communications); one number means the same for both — no query per row.',
  'app CPU ms/req: CPU time of the app process per request during the run; much less affected than latency by ' +
    'what else the machine is doing.',
  'SQL ceiling: the statements one request of the scenario sent (captured on the wire, text and values), replayed ' +
    'exactly — authentication and transaction statements included, one after another on one connection of a ' +
    'pg.Pool as large as the scenario\u2019s connection count — for as long as the app was measured, right after it. ' +
    'Each replay repeats the one captured request (the same record and values), where the app\u2019s run spreads ' +
    'detail requests over many records. A write is replayed with new ids wherever the captured request made one up ' +
    '(its record\u2019s, its audit row\u2019s): each replay writes and commits new rows, as the app\u2019s requests ' +
    'do. app ÷ ceiling: the app\u2019s req/s over the ceiling\u2019s.',
  'Node floor: the same captured statements served over HTTP by the barest Node server that could answer the ' +
    'request (bench/floor-server.ts: node:http and a pg.Pool, the last statement\u2019s rows printed with ' +
    'JSON.stringify; no framework, authentication, validation or log), loaded like the app right after its ceiling. ' +
    'floor CPU ms/req: that server\u2019s CPU per request, what any Node app pays here for the HTTP exchange, the ' +
    'round trips and printing the rows; the app\u2019s CPU above it is what its own layers cost.',
];

const DAY = (iso: string): string => iso.slice(0, 10);

/** The README section for one mode: where the figures come from, the table and its legend. */
export function readmeSection(results: BenchResults): string[] {
  const { commit, machine, load } = results;
  const timing =
    results.durationSeconds === undefined
      ? ''
      : `; ${results.durationSeconds} s per scenario after a ${results.warmupSeconds ?? 0} s warm-up`;
  return [
    `The last \`${results.mode}\` run ([bench/results/${results.mode}.md](bench/results/${results.mode}.md), ` +
      `[.json](bench/results/${results.mode}.json)): commit ${commit.hash}${commit.dirty ? ' (with uncommitted changes)' : ''}, ` +
      `${DAY(results.date)}, ${machine.cpus} × ${machine.model}, ${machine.memoryGiB} GiB, Node ${machine.node}, ` +
      `load average ${load.start.toFixed(1)} at the start and ${load.end.toFixed(1)} at the end${timing}:`,
    '',
    ...tableLines(results.scenarios),
    '',
    ...(results.app ? [appLine(results.app), ''] : []),
    ...LEGEND.flatMap((line) => [line, '']).slice(0, -1),
  ];
}

const marker = (mode: string, end: 'start' | 'end'): string => `<!-- bench:${mode}:${end} -->`;

/** Where a marker comment stands alone on its line (a mention of it in prose does not count). */
function markerAt(text: string, mode: string, end: 'start' | 'end'): number {
  return text.search(new RegExp(`^${marker(mode, end)}$`, 'm'));
}

/**
 * `text` with what lies between the mode's marker comments (each alone on its line) replaced by `section`;
 * undefined when the markers are not there (that mode's figures are not generated).
 */
export function replaceMarked(text: string, mode: string, section: string[]): string | undefined {
  const start = markerAt(text, mode, 'start');
  const end = markerAt(text, mode, 'end');
  if (start < 0 || end < start) return undefined;
  const body = [
    marker(mode, 'start'),
    `<!-- generated by \`npm run docs:bench\` from bench/results/${mode}.json: do not edit by hand -->`,
    '',
    ...section,
    '',
    '',
  ].join('\n');
  return text.slice(0, start) + body + text.slice(end);
}
