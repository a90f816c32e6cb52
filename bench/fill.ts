import { createHash } from 'node:crypto';
import { cpus } from 'node:os';

import pg from 'pg';

import { finished, progress, say } from './output.js';

/** How much data the benchmark loads (the sizes of issue 4). */
export const SIZES = {
  organizations: 10_000,
  contacts: 100_000,
  opportunities: 50_000,
  communications: 1_000_000,
  users: 5,
  tags: 20,
} as const;

/** Contacts that carry the rare surname (1 in RARE_EVERY): the rare search term finds a handful. */
const RARE_EVERY = 10_007;
export const RARE_TERM = 'wojciech';
/** A word in no communication of the data set (their text comes from a few fixed sentences). */
export const ABSENT_TERM = 'zebra';
export const COMMON_TERM = 'son';

/**
 * Ids are derived from (kind, n) the same way in SQL and here, so rows refer to each other without lookups
 * and the scenarios can pick ids without asking the database. Shaped as version-4 UUIDs.
 */
export function benchUuid(kind: string, n: number): string {
  const h = createHash('md5').update(`${kind}${n}`).digest('hex').split('');
  h[12] = '4';
  h[16] = '8';
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const BENCH_UUID_SQL = `create or replace function bench_uuid(kind text, n bigint) returns uuid language sql immutable
  as $$ select overlay(overlay(md5(kind || n) placing '4' from 13) placing '8' from 17)::uuid $$`;

const sqlArray = (items: readonly string[]): string =>
  `array[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`;

// prettier-ignore
const FIRST = sqlArray(['Ada', 'Alan', 'Amara', 'Ben', 'Carmen', 'Chloe', 'Daniel', 'Elena', 'Farah', 'Gabriel', 'Hannah', 'Hiro', 'Isabel', 'Jonas', 'Julia', 'Kwame', 'Leila', 'Lucas', 'Maya', 'Mateo', 'Nadia', 'Noah', 'Olivia', 'Omar', 'Priya', 'Rafael', 'Sofia', 'Tomas', 'Uma', 'Victor', 'Yara', 'Zoe', 'Grace', 'Henry', 'Ines', 'Jack', 'Kira', 'Liam', 'Mia', 'Nina']);
// prettier-ignore
const LAST = sqlArray(['Abbott', 'Alvarez', 'Anderson', 'Bennett', 'Brooks', 'Carlson', 'Castillo', 'Chen', 'Dubois', 'Ellison', 'Fischer', 'Garcia', 'Hansen', 'Harrison', 'Ibrahim', 'Jackson', 'Jensen', 'Johnson', 'Kowalski', 'Laurent', 'Mehta', 'Moreau', 'Nakamura', 'Nelson', 'Okafor', 'Patel', 'Peterson', 'Quinn', 'Robinson', 'Rossi', 'Schmidt', 'Tanaka', 'Thompson', 'Underwood', 'Vargas', 'Whitaker', 'Wilson', 'Xu', 'Yilmaz', 'Zimmerman']);
// prettier-ignore
const ORG_WORDS = sqlArray(['Alder', 'Beacon', 'Cedar', 'Crescent', 'Evergreen', 'Granite', 'Harbor', 'Juniper', 'Keystone', 'Lakeside', 'Meridian', 'Northgate', 'Oakmont', 'Pinecrest', 'Ridgeline', 'Silverline', 'Stonebridge', 'Tidewater']);
// prettier-ignore
const ORG_SUFFIXES = sqlArray(['Capital', 'Partners', 'Family Office', 'Endowment', 'Foundation', 'Holdings', 'Advisors', 'Trust']);
// prettier-ignore
const SUBJECTS = sqlArray(['Intro call', 'Quarterly update', 'Fund overview deck', 'Follow-up on data room', 'Annual meeting', 'Reference call', 'Term sheet questions', 'Capital call notice', 'Portfolio review', 'Coffee catch-up', 'Side letter review', 'Co-investment interest']);
// prettier-ignore
const SENTENCES = sqlArray(['Discussed the Fund II strategy and the target close.', 'They asked for the track record by vintage and the loss ratio.', 'Shared the latest quarterly report and portfolio marks.', 'Investment committee meets next month; decision expected after.', 'Interested in co-investment rights alongside the fund.', 'Wants references from two existing limited partners.', 'Reviewed fees, carry and the GP commitment.', 'Asked about ESG reporting and the diversity policy.', 'Allocation for venture is full this year; revisit in the spring.', 'Legal is reviewing the subscription documents and side letter.']);

interface Step {
  label: string;
  rows: number;
  /** One statement, or one per chunk of `chunk` rows with $1/$2 the first and last row number. */
  sql: string;
  chunk?: number;
}

const STEPS: Step[] = [
  {
    label: 'users',
    rows: SIZES.users,
    sql: `insert into users (id, username, email, full_name, role, password_hash)
      select bench_uuid('u', i), 'owner' || i, 'owner' || i || '@bench.example', 'Owner ' || i, 'member', '!'
      from generate_series(1, ${SIZES.users}) i`,
  },
  {
    label: 'tags',
    rows: SIZES.tags,
    sql: `insert into tags (id, name, color) select bench_uuid('t', i), 'Tag ' || i, '#2563eb'
      from generate_series(1, ${SIZES.tags}) i`,
  },
  {
    label: 'funds',
    rows: 3,
    sql: `insert into funds (id, name, target_amount, vintage_year, status)
      select bench_uuid('f', i), 'Fund ' || i, 100000000 * i, 2016 + 4 * i,
        (case when i < 3 then 'closed' else 'raising' end)::fund_status
      from generate_series(1, 3) i`,
  },
  {
    label: 'organizations',
    rows: SIZES.organizations,
    sql: `insert into organizations (id, name, type, industry, website, city, country, created_at, updated_at)
      select bench_uuid('o', i),
        (${ORG_WORDS})[1 + i % 18] || ' ' || (${ORG_SUFFIXES})[1 + (i / 18) % 8] || ' ' || i,
        (enum_range(null::organization_type))[1 + i % 12], 'Investment management',
        'https://org' || i || '.example', 'City ' || (i % 300), 'United States',
        now() - (i % 2000) * interval '1 hour', now() - (i % 500) * interval '1 hour'
      from generate_series(1, ${SIZES.organizations}) i`,
  },
  {
    label: 'contacts',
    rows: SIZES.contacts,
    chunk: 50_000,
    sql: `insert into contacts (id, first_name, last_name, email, phone, title, organization_id, contact_type,
        status, source, owner_id, created_at, updated_at)
      select bench_uuid('c', i), f, l, lower(f || '.' || l || '.' || i || '@lp' || (i % 5000) || '.example'),
        '+1 555 ' || lpad((i % 10000)::text, 4, '0'), 'Partner',
        bench_uuid('o', 1 + i % ${SIZES.organizations}),
        (case when i % 20 = 0 then 'investor' when i % 7 = 0 then 'advisor' else 'prospect' end)::contact_type,
        'active', 'Conference', bench_uuid('u', 1 + i % ${SIZES.users}),
        now() - (i % 3000) * interval '1 hour', now() - (i % 700) * interval '1 hour'
      from (select i, (${FIRST})[1 + (i * 7) % 40] f,
          case when i % ${RARE_EVERY} = 0 then 'Wojciechowski' else (${LAST})[1 + ((i * 13) / 7) % 40] end l
        from generate_series($1::int, $2::int) i) s`,
  },
  {
    label: 'contact tags',
    rows: SIZES.contacts / 2,
    sql: `insert into contact_tags (contact_id, tag_id)
      select bench_uuid('c', i), bench_uuid('t', 1 + i % ${SIZES.tags})
      from generate_series(2, ${SIZES.contacts}, 2) i`,
  },
  {
    label: 'LP profiles',
    rows: SIZES.contacts / 20,
    sql: `insert into lp_profiles (id, contact_id, fund_id, commitment_amount, funded_amount, commitment_date,
        accredited, legal_docs_signed, wire_received)
      select bench_uuid('l', i), bench_uuid('c', i), bench_uuid('f', 1 + i % 2), 1000000 + (i % 20) * 250000,
        1000000 + (i % 20) * 250000, date '2021-06-30', true, true, true
      from generate_series(20, ${SIZES.contacts}, 20) i`,
  },
  {
    label: 'opportunities',
    rows: SIZES.opportunities,
    sql: `insert into opportunities (id, name, contact_id, organization_id, fund_id, stage, stage_changed_at,
        expected_amount, probability, expected_close_date, owner_id, priority, lost_reason, created_at, updated_at)
      select bench_uuid('p', i), 'Fund 3 – deal ' || i, bench_uuid('c', c), bench_uuid('o', 1 + c % ${SIZES.organizations}),
        bench_uuid('f', 3), s, now() - (i % 90) * interval '1 day', 500000 + (i % 40) * 250000,
        case s when 'lead' then 10 when 'outreach' then 20 when 'meeting' then 35 when 'due_diligence' then 60
          when 'committed' then 90 when 'funded' then 100 else 0 end,
        current_date + (i % 365), bench_uuid('u', 1 + i % ${SIZES.users}),
        (enum_range(null::priority))[1 + i % 3], case when s = 'lost' then 'Allocation full' end,
        now() - (i % 400) * interval '1 day', now() - (i % 90) * interval '1 day'
      from (select i, 1 + (i * 7) % ${SIZES.contacts} c, (enum_range(null::opportunity_stage))[1 + i % 7] s
        from generate_series(1, ${SIZES.opportunities}) i) x`,
  },
  {
    // Each deal walked the pipeline from lead to its stage, one to seven weeks per stage; a lost deal was lost
    // after one to four stages: ~3.4 history rows per deal.
    label: 'stage history',
    rows: SIZES.opportunities * 3,
    sql: `insert into opportunity_stage_history (opportunity_id, from_stage, to_stage, changed_at, changed_by_id)
      select o.id, case when k > 1 then p.path[k - 1] end, p.path[k],
        o.stage_changed_at - (cardinality(p.path) - k) * (7 + p.n % 43) * interval '1 day', o.owner_id
      from (select o.*, abs(hashtext(o.id::text)) n from opportunities o) o,
        lateral (select o.n, case when o.stage = 'lost'
                   then (enum_range(null::opportunity_stage))[1:1 + o.n % 4] || 'lost'::opportunity_stage
                   else enum_range(null::opportunity_stage, o.stage) end as path) p,
        lateral generate_series(1, cardinality(p.path)) k`,
  },
  {
    label: 'tasks',
    rows: 20_000,
    sql: `insert into tasks (title, due_date, status, priority, assignee_id, contact_id, completed_at)
      select 'Follow up ' || i, current_date + (i % 60) - 20, s::task_status, 'medium', bench_uuid('u', 1 + i % ${SIZES.users}),
        bench_uuid('c', 1 + (i * 5) % ${SIZES.contacts}), case when s = 'done' then now() end
      from (select i, case when i % 3 = 0 then 'done' else 'open' end s from generate_series(1, 20000) i) x`,
  },
  {
    label: 'communications',
    rows: SIZES.communications,
    chunk: 100_000,
    // Most contacts get ~10; every 50th row goes to one of the first 100 contacts, who get ~200 each.
    sql: `insert into communications (contact_id, opportunity_id, type, subject, body, communication_date,
        duration_minutes, created_by_id, attendees, created_at, updated_at)
      select bench_uuid('c', case when i % 50 = 0 then 1 + (i / 50) % 100 else 1 + i % ${SIZES.contacts} end),
        case when i % 5 = 0 then bench_uuid('p', 1 + (i / 5) % ${SIZES.opportunities}) end,
        (enum_range(null::communication_type))[1 + i % 5],
        (${SUBJECTS})[1 + i % 12],
        (${SENTENCES})[1 + i % 10] || ' ' || (${SENTENCES})[1 + (i / 10) % 10] || ' ' || (${SENTENCES})[1 + (i / 100) % 10],
        now() - (i % 100000) * interval '5 minutes', 15 + i % 60, bench_uuid('u', 1 + i % ${SIZES.users}), '[]',
        now() - (i % 100000) * interval '5 minutes', now() - (i % 100000) * interval '5 minutes'
      from generate_series($1::int, $2::int) i`,
  },
];

const TABLES = [
  'users',
  'tags',
  'funds',
  'organizations',
  'contacts',
  'contact_tags',
  'lp_profiles',
  'opportunities',
  'opportunity_stage_history',
  'tasks',
  'communications',
];

/** Connections loading in parallel (chunks of a big table, index builds): one per core, at most 4. */
const JOBS = Number(process.env.BENCH_FILL_JOBS ?? Math.min(4, Math.max(1, cpus().length)));

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`set synchronous_commit = off; set maintenance_work_mem = '256MB'`);
  // The generated rows refer to each other by construction: skip the per-row foreign-key checks where allowed
  // (a superuser, as on the test servers); elsewhere they simply run.
  await client.query('set session_replication_role = replica').catch(() => undefined);
  return client;
}

/** Runs `work` over `items` on every client at once, each taking the next item when it is free. */
async function inParallel<T>(
  clients: pg.Client[],
  items: T[],
  work: (c: pg.Client, item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < items.length) await work(client, items[next++]);
    }),
  );
}

/**
 * Loads the data set with server-side `insert … select generate_series` (nothing crosses the network), with
 * the secondary indexes dropped during the load and rebuilt afterwards — much faster than maintaining a GIN
 * full-text index row by row — using JOBS connections. Then VACUUM ANALYZE, so the planner statistics and
 * the visibility map are those of a database that has been running for a while.
 */
export async function fill(databaseUrl: string): Promise<void> {
  const clients = await Promise.all(Array.from({ length: JOBS }, () => connect(databaseUrl)));
  const [main] = clients as [pg.Client];
  try {
    await main.query(BENCH_UUID_SQL);
    const { rows: indexes } = await main.query<{ name: string; def: string }>(
      `select i.indexrelid::regclass::text name, pg_get_indexdef(i.indexrelid) def
       from pg_index i join pg_class t on t.oid = i.indrelid
       where t.relname = any($1) and not i.indisprimary
         and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`,
      [TABLES],
    );
    for (const { name } of indexes) await main.query(`drop index ${name}`);

    for (const step of STEPS) await runStep(clients, step);
    // The rows went in with triggers off: the deals' and LP profiles' search texts are written in one go.
    const texts = Date.now();
    progress('  search texts');
    await main.query('select search_texts_rebuild()');
    finished('  search texts', Date.now() - texts);

    const started = Date.now();
    // Biggest tables first, so the long builds (the full-text index on communications) start at once.
    const order = (def: string) => TABLES.length - TABLES.findIndex((t) => def.includes(` ON public.${t} `));
    let built = 0;
    await inParallel(
      clients,
      [...indexes].sort((a, b) => order(a.def) - order(b.def)),
      async (client, { def }) => {
        await client.query(def);
        progress(`  indexes         ${++built} / ${indexes.length}`);
      },
    );
    finished(`  indexes         ${indexes.length} rebuilt`, Date.now() - started);
    // The rows went in with triggers off: the reports' summary tables are filled from them in one go.
    const summed = Date.now();
    progress('  report summaries');
    await main.query('select report_summaries_rebuild()');
    finished('  report summaries', Date.now() - summed);
    const vacuumed = Date.now();
    progress('  vacuum analyze');
    await main.query('vacuum (analyze)');
    finished('  vacuum analyze', Date.now() - vacuumed);
    const { rows } = await main.query<{ size: string }>(
      'select pg_size_pretty(pg_database_size(current_database())) size',
    );
    say(`  database size   ${rows[0]?.size}`);
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

async function runStep(clients: pg.Client[], step: Step): Promise<void> {
  const started = Date.now();
  const label = `  ${step.label.padEnd(15)}`;
  const total = step.rows.toLocaleString('en-US');
  if (!step.chunk) {
    progress(`${label} ${total} rows`);
    await clients[0].query(step.sql);
  } else {
    const chunks: [number, number][] = [];
    for (let first = 1; first <= step.rows; first += step.chunk) {
      chunks.push([first, Math.min(step.rows, first + step.chunk - 1)]);
    }
    let done = 0;
    await inParallel(clients, chunks, async (client, [first, last]) => {
      await client.query(step.sql, [first, last]);
      done += last - first + 1;
      progress(`${label} ${done.toLocaleString('en-US')} / ${total} rows`, true);
    });
  }
  finished(`${label} ${total} rows`, Date.now() - started);
}
