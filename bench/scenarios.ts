import autocannon, { type Result } from 'autocannon';

import { ABSENT_TERM, benchUuid, COMMON_TERM, RARE_TERM, SIZES } from './fill.js';
import type { Ceiling } from './ceiling.js';
import { madeUpIds } from './new-ids.js';
import type { QueryCounter, Statement } from './query-counter.js';

export interface Scenario {
  name: string;
  method: 'GET' | 'POST' | 'PATCH';
  /** The path of each request (detail scenarios spread over many records). */
  path: () => string;
  body?: () => unknown;
  connections: number;
  /** The p99 target applies (list, search, detail, reports). */
  target: boolean;
  /** The p99 target in ms when it is not the default 50 ms (reports). */
  targetMs?: number;
  /**
   * Two requests returning few and many rows (a page of 1 and of 50, a record with few and with many related
   * rows). The same statement count for both proves there is no query per row.
   */
  rowCheck?: [few: string, many: string];
  /** Why its SQL is not replayed as a ceiling (nor served by the floor), when it would not do the same work again. */
  noCeiling?: string;
}

export interface Probe {
  /** Why the scenario cannot run (missing endpoint, refused request), or undefined when it can. */
  unavailable?: string;
  /** Statements per request, for the `few` and `many` variants (the same path twice without a rowCheck). */
  queries?: [number, number];
  /** `total` of a list answer, e.g. how many contacts a search term matches. */
  total?: number;
  /** The statements of one request of the measured path, for the SQL ceiling and the floor. */
  statements?: Statement[];
  /** The ids those statements made up (a write's new records): replayed with new ones (bench/new-ids.ts). */
  newIds?: string[];
}

export interface Measured {
  scenario: Scenario;
  probe: Probe;
  result?: Result;
  /** App CPU time per request during the measured run (ms): what a request costs, whatever the machine's load. */
  cpuMsPerRequest?: number;
  /** The request's statements replayed straight through `pg` (bench/ceiling.ts). */
  ceiling?: Ceiling;
  /** Why there is no ceiling. */
  ceilingSkipped?: string;
  /** The same statements served by a bare Node server (bench/floor.ts): its req/s, CPU per request and failed requests. */
  floor?: { requestsPerSecond: number; cpuMsPerRequest?: number; errors: number };
}

/** The subject of every communication the create scenario writes (and its ceiling and floor replay). */
export const CREATED_SUBJECT = 'Benchmark call';

/** The last name of every contact the contact create scenario writes (and its ceiling and floor replay). */
export const CREATED_LAST_NAME = 'Benchmark-created';

/** The name of every deal the opportunity create scenario writes (and its ceiling and floor replay). */
export const CREATED_DEAL_NAME = 'Benchmark-created deal';

/** How the notes (and next steps) the update scenarios write begin: a kept database's are cleared when it is put back. */
export const UPDATED_NOTES = 'Benchmark update';

const READ_CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const WRITE_CONNECTIONS = Number(process.env.BENCH_WRITE_CONNECTIONS ?? 32);

/** A deterministic spread of record numbers, so runs are comparable. */
function sequence(max: number): () => number {
  let n = 0;
  return () => 1 + ((n++ * 7_919) % max);
}

const contactNo = sequence(SIZES.contacts);
/** The contacts the update scenario changes: its own spread, each request another contact (none twice at once). */
const updatedNo = sequence(SIZES.contacts);
const updatedDealNo = sequence(SIZES.opportunities);
let updates = 0;
const organizationNo = sequence(SIZES.organizations);

/** A contact with ~10 communications vs one with ~200 communications and an LP profile. */
const QUIET_CONTACT = benchUuid('c', 99_999);
const BUSY_CONTACT = benchUuid('c', 20);

export const SCENARIOS: Scenario[] = [
  {
    name: 'contact list (page 20 of 50, by last name)',
    method: 'GET',
    path: () => '/api/contacts?sort=lastName&limit=50&offset=950',
    connections: READ_CONNECTIONS,
    target: true,
    rowCheck: [
      '/api/contacts?sort=lastName&limit=1&offset=950',
      '/api/contacts?sort=lastName&limit=50&offset=950',
    ],
  },
  {
    // The same page counting every contact instead of stopping at the cap: what `count=exact` costs.
    // No p99 target: the caller asks for the slower answer.
    name: 'contact list (page 20 of 50, by last name) with an exact total',
    method: 'GET',
    path: () => '/api/contacts?sort=lastName&limit=50&offset=950&count=exact',
    connections: READ_CONNECTIONS,
    target: false,
  },
  {
    name: `contact search, rare term "${RARE_TERM}"`,
    method: 'GET',
    path: () => `/api/contacts?search=${RARE_TERM}`,
    connections: READ_CONNECTIONS,
    target: true,
    rowCheck: [`/api/contacts?search=${RARE_TERM}&limit=1`, `/api/contacts?search=${RARE_TERM}&limit=50`],
  },
  {
    name: `contact search, common term "${COMMON_TERM}"`,
    method: 'GET',
    path: () => `/api/contacts?search=${COMMON_TERM}`,
    connections: READ_CONNECTIONS,
    target: true,
    rowCheck: [`/api/contacts?search=${COMMON_TERM}&limit=1`, `/api/contacts?search=${COMMON_TERM}&limit=50`],
  },
  {
    name: 'contact detail',
    method: 'GET',
    path: () => `/api/contacts/${benchUuid('c', contactNo())}`,
    connections: READ_CONNECTIONS,
    target: true,
    rowCheck: [`/api/contacts/${QUIET_CONTACT}`, `/api/contacts/${BUSY_CONTACT}`],
  },
  {
    name: 'contact with its organization (?include=organization)',
    method: 'GET',
    path: () => `/api/contacts/${benchUuid('c', contactNo())}?include=organization`,
    connections: READ_CONNECTIONS,
    target: true,
  },
  {
    name: 'opportunity list by stage (meeting)',
    method: 'GET',
    path: () => '/api/opportunities?stage=meeting',
    connections: READ_CONNECTIONS,
    target: false,
    rowCheck: ['/api/opportunities?stage=meeting&limit=1', '/api/opportunities?stage=meeting&limit=50'],
  },
  {
    // The term matches a quarter of the contacts: the deals' own search text, not a join to every matching contact.
    name: `opportunity search, common term "${COMMON_TERM}"`,
    method: 'GET',
    path: () => `/api/opportunities?search=${COMMON_TERM}`,
    connections: READ_CONNECTIONS,
    target: true,
    rowCheck: [
      `/api/opportunities?search=${COMMON_TERM}&limit=1`,
      `/api/opportunities?search=${COMMON_TERM}&limit=50`,
    ],
  },
  {
    // Its matches come from the full-text index: walking the date index instead tested every communication.
    name: `communication search, a term none has ("${ABSENT_TERM}")`,
    method: 'GET',
    path: () => `/api/communications?search=${ABSENT_TERM}`,
    connections: READ_CONNECTIONS,
    target: true,
  },
  {
    name: 'communication create',
    method: 'POST',
    path: () => '/api/communications',
    body: () => ({
      contactId: benchUuid('c', contactNo()),
      type: 'call',
      subject: CREATED_SUBJECT,
      body: 'Discussed the Fund II timeline and the next investment committee.',
      communicationDate: new Date().toISOString(),
      durationMinutes: 20,
    }),
    connections: WRITE_CONNECTIONS,
    target: false,
  },
  {
    name: 'organization list (page 20 of 50, by name)',
    method: 'GET',
    path: () => '/api/organizations?sort=name&limit=50&offset=950',
    connections: READ_CONNECTIONS,
    target: true,
    rowCheck: [
      '/api/organizations?sort=name&limit=1&offset=950',
      '/api/organizations?sort=name&limit=50&offset=950',
    ],
  },
  {
    name: 'organization search "granite"',
    method: 'GET',
    path: () => '/api/organizations?search=granite',
    connections: READ_CONNECTIONS,
    target: true,
    rowCheck: ['/api/organizations?search=granite&limit=1', '/api/organizations?search=granite&limit=50'],
  },
  {
    name: 'organization detail (10 contacts, 5 deals)',
    method: 'GET',
    path: () => `/api/organizations/${benchUuid('o', organizationNo())}`,
    connections: READ_CONNECTIONS,
    target: true,
  },
  {
    // Last, and linked to no organization: the contacts it writes are in no page, total or detail measured above.
    name: 'contact create',
    method: 'POST',
    path: () => '/api/contacts',
    body: () => ({
      firstName: 'Dana',
      lastName: CREATED_LAST_NAME,
      title: 'Investment Director',
      contactType: 'investor',
      source: 'Annual meeting',
      notes: 'Interested in Fund II; asked for the data room.',
    }),
    connections: WRITE_CONNECTIONS,
    target: false,
  },
  {
    // A new lead, linked to nothing (the caller owns it): no page, total or detail measured above changes.
    name: 'opportunity create',
    method: 'POST',
    path: () => '/api/opportunities',
    body: () => ({ name: CREATED_DEAL_NAME, expectedAmount: 1_000_000, nextStep: 'Intro call' }),
    connections: WRITE_CONNECTIONS,
    target: false,
  },
  {
    // A note written after a call: a new value each time, so that each request writes. Its SQL is not replayed: the
    // update is guarded by the version the request read, which the replay's first write would have moved on.
    name: 'contact update',
    method: 'PATCH',
    path: () => `/api/contacts/${benchUuid('c', updatedNo())}`,
    body: () => ({ notes: `${UPDATED_NOTES} ${++updates}: asked for the Fund II deck.` }),
    connections: WRITE_CONNECTIONS,
    target: false,
    noCeiling: 'a versioned update',
  },
  {
    // The same for a deal's next step (no stage move): the opportunity's own write path.
    name: 'opportunity update',
    method: 'PATCH',
    path: () => `/api/opportunities/${benchUuid('p', updatedDealNo())}`,
    body: () => ({ nextStep: `${UPDATED_NOTES} ${++updates}: send the LPA.` }),
    connections: WRITE_CONNECTIONS,
    target: false,
    noCeiling: 'a versioned update',
  },
];

const headers = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
});

/** The body of one request of `s`, as sent (a new one each time: a create's differs). */
const bodyOf = (s: Scenario): string | undefined => (s.body ? JSON.stringify(s.body()) : undefined);

async function send(
  base: string,
  token: string,
  s: Scenario,
  path = s.path(),
  body = bodyOf(s),
): Promise<Response> {
  return fetch(`${base}${path}`, { method: s.method, headers: headers(token), body });
}

/**
 * One request per variant through the counting proxy: is the endpoint there, and how many statements does
 * a request cost? Each variant is asked twice and the second count kept (the first may warm caches). The
 * statements of one more request of the measured path are kept, to be replayed as its SQL ceiling and served by
 * the floor, with the ids that request made up (a write's new records), which each replay makes up anew.
 */
export async function probe(base: string, token: string, s: Scenario, counter: QueryCounter): Promise<Probe> {
  const first = await send(base, token, s);
  const body = (await first.json().catch(() => ({}))) as { total?: number; code?: string };
  // The ids exist (they come from the generated data), so a 404 means the endpoint does not.
  if (first.status === 404) return { unavailable: 'n/a (404)' };
  if (first.status >= 300) return { unavailable: `n/a (${first.status} ${body.code ?? ''})`.trim() };
  const count = async (path: string): Promise<number> => {
    await send(base, token, s, path).then((r) => r.arrayBuffer());
    return counter.measure(() => send(base, token, s, path).then((r) => r.arrayBuffer()));
  };
  const [few, many] = s.rowCheck ?? [s.path(), s.path()];
  const queries: [number, number] = [await count(few), await count(many)];
  const [path, sent] = [s.path(), bodyOf(s)];
  const statements = await counter.capture(() =>
    send(base, token, s, path, sent).then((r) => r.arrayBuffer()),
  );
  if (s.method === 'GET') return { queries, total: body.total, statements };
  const me = (await (await fetch(`${base}/api/auth/me`, { headers: headers(token) })).json()) as {
    data: { id: string };
  };
  return {
    queries,
    total: body.total,
    statements,
    newIds: madeUpIds(statements, `${path} ${sent} ${me.data.id}`),
  };
}

/** `s` sent to the app at `base` by as many connections as it names, for `duration` seconds. */
export function cannon(base: string, token: string, s: Scenario, duration: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: base,
        connections: s.connections,
        duration,
        headers: headers(token),
        requests: [
          {
            setupRequest: (request) => ({
              ...request,
              method: s.method,
              path: s.path(),
              body: bodyOf(s),
            }),
          },
        ],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

/** A short warm-up run (JIT, pools, caches), then the measured one, with the app's CPU time per request. */
export async function measure(
  app: { base: string; cpuMs(): number | undefined },
  token: string,
  s: Scenario,
  seconds: number,
  warmup: number,
): Promise<{ result: Result; cpuMsPerRequest?: number }> {
  await cannon(app.base, token, s, warmup);
  const before = app.cpuMs();
  const result = await cannon(app.base, token, s, seconds);
  const after = app.cpuMs();
  const cpuMsPerRequest =
    before === undefined || after === undefined || result.requests.total === 0
      ? undefined
      : (after - before) / result.requests.total;
  return { result, cpuMsPerRequest };
}
