import { randomUUID } from 'node:crypto';

import type { TestApp } from './test-app.js';

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of today (UTC) plus `days`. */
export const day = (days: number, now = new Date()): string =>
  new Date(now.getTime() + days * DAY_MS).toISOString().slice(0, 10);

/** Noon UTC of a date: far from midnight, so a day is the same in every report. */
export const noon = (date: string): string => `${date}T12:00:00Z`;

interface Opp {
  name: string;
  fund: string;
  contact?: string;
  organization?: string;
  owner?: string;
  stage: string;
  expected: string | null;
  commitment?: string;
  currency: string;
  probability: number;
  priority: string;
  lostReason?: string;
  deleted?: boolean;
  /** [stage, ISO time] in order: the last one is the current stage. */
  history: [string, string][];
}

/**
 * A small fund family whose every figure is computed by hand in the report tests (see the comments there):
 * three funds (one closed, two raising), LPs in two funds and two currencies, partial funding, lost deals,
 * deleted contacts and opportunities and the communications hidden with them, days without activity.
 */
export async function buildReportFixture(t: TestApp, users: { alice: string; bob: string }) {
  const db = t.orm.em.getConnection();
  const sql = (text: string, params: unknown[] = []) => db.execute(text, params);
  const id = (): string => randomUUID();

  const fund1 = id();
  const fund2 = id();
  const annex = id();
  await sql(
    `insert into funds (id, name, target_amount, currency, vintage_year, status) values
       (?, 'Fund I', 10000000, 'USD', 2020, 'closed'), (?, 'Fund II', 5000000, 'USD', 2024, 'raising'),
       (?, 'Annex Fund', 2000000, 'USD', 2022, 'raising')`,
    [fund1, fund2, annex],
  );
  const orgA = id();
  const orgB = id();
  await sql(
    `insert into organizations (id, name, type) values (?, 'Alpine Pension', 'pension'), (?, 'Birch Family Office', 'family_office')`,
    [orgA, orgB],
  );

  const contact = async (first: string, last: string, type: string, org: string | null, deleted = false) => {
    const cid = id();
    await sql(
      `insert into contacts (id, first_name, last_name, contact_type, organization_id, deleted_at) values (?, ?, ?, ?, ?, ?)`,
      [cid, first, last, type, org, deleted ? new Date().toISOString() : null],
    );
    return cid;
  };
  const ann = await contact('Ann', 'Lee', 'investor', orgA);
  const ben = await contact('Ben', 'Kim', 'investor', orgB);
  const cleo = await contact('=Cleo', 'Day', 'investor', null);
  const dan = await contact('Dan', 'Roe', 'investor', null);
  const eve = await contact('Eve', 'Gone', 'investor', null, true);
  const fay = await contact('Fay', 'Park', 'prospect', null);
  await contact('Gus', 'Gone', 'prospect', null, true);

  const lp = async (
    contactId: string,
    fundId: string,
    currency: string,
    commitment: string,
    funded: string,
    flags: { investorType?: string; docs?: boolean; wire?: boolean; k1?: boolean } = {},
  ) => {
    const lpId = id();
    await sql(
      `insert into lp_profiles (id, contact_id, fund_id, currency, commitment_amount, funded_amount, investor_type,
                                legal_docs_signed, wire_received, k1_sent, commitment_date)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2025-06-30')`,
      [
        lpId,
        contactId,
        fundId,
        currency,
        commitment,
        funded,
        flags.investorType ?? null,
        flags.docs ?? false,
        flags.wire ?? false,
        flags.k1 ?? false,
      ],
    );
    return lpId;
  };
  await lp(ann, fund1, 'USD', '1000000', '1000000', {
    investorType: 'pension',
    docs: true,
    wire: true,
    k1: true,
  });
  const annFund2 = await lp(ann, fund2, 'USD', '500000', '200000', { investorType: 'pension', docs: true });
  await lp(ben, fund1, 'EUR', '300000', '150000', { investorType: 'family_office', docs: true });
  const cleoFund2 = await lp(cleo, fund2, 'EUR', '250000.50', '0', { investorType: 'individual' });
  await lp(dan, fund1, 'USD', '400000', '400000', { investorType: 'individual', docs: true, wire: true });
  await lp(eve, fund2, 'USD', '999999', '0');
  await lp(eve, fund1, 'USD', '50000', '50000');

  const opp = async (o: Opp) => {
    const oid = id();
    const [stageChangedAt] = o.history[o.history.length - 1].slice(1);
    await sql(
      `insert into opportunities (id, name, fund_id, contact_id, organization_id, owner_id, stage, stage_changed_at,
                                  expected_amount, commitment_amount, currency, probability, priority, lost_reason, deleted_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        oid,
        o.name,
        o.fund,
        o.contact ?? null,
        o.organization ?? null,
        o.owner ?? null,
        o.stage,
        stageChangedAt,
        o.expected,
        o.commitment ?? null,
        o.currency,
        o.probability,
        o.priority,
        o.lostReason ?? null,
        o.deleted ? new Date().toISOString() : null,
      ],
    );
    let from: string | null = null;
    for (const [stage, at] of o.history) {
      await sql(
        `insert into opportunity_stage_history (opportunity_id, from_stage, to_stage, changed_at, changed_by_id)
         values (?, ?, ?, ?, ?)`,
        [oid, from, stage, at, o.owner ?? null],
      );
      from = stage;
    }
    return oid;
  };
  const { alice, bob } = users;
  const o1 = await opp({
    name: 'Ann re-up',
    fund: fund2,
    contact: ann,
    owner: alice,
    stage: 'funded',
    expected: '500000',
    commitment: '500000',
    currency: 'USD',
    probability: 100,
    priority: 'high',
    history: [
      ['lead', noon('2026-01-01')],
      ['meeting', noon('2026-01-11')],
      ['committed', noon('2026-01-21')],
      ['funded', noon('2026-01-31')],
    ],
  });
  const o2 = await opp({
    name: 'Cleo first close',
    fund: fund2,
    contact: cleo,
    owner: bob,
    stage: 'due_diligence',
    expected: '250000.50',
    currency: 'EUR',
    probability: 60,
    priority: 'medium',
    history: [
      ['lead', noon('2026-01-05')],
      ['outreach', noon('2026-01-10')],
      ['meeting', noon('2026-01-20')],
      ['due_diligence', noon('2026-02-01')],
    ],
  });
  const o3 = await opp({
    name: 'Dan second fund',
    fund: fund2,
    contact: dan,
    owner: alice,
    stage: 'lost',
    expected: '300000',
    currency: 'USD',
    probability: 0,
    priority: 'low',
    lostReason: 'Fee terms',
    history: [
      ['lead', noon('2026-01-02')],
      ['outreach', noon('2026-01-06')],
      ['lost', noon('2026-02-10')],
    ],
  });
  const o4 = await opp({
    name: 'Fay intro',
    fund: fund2,
    contact: fay,
    stage: 'lead',
    expected: '33333.33',
    currency: 'USD',
    probability: 15,
    priority: 'medium',
    history: [['lead', '2026-02-01T09:00:00Z']],
  });
  const o5 = await opp({
    name: 'Quick no',
    fund: fund2,
    owner: bob,
    stage: 'lost',
    expected: '50000',
    currency: 'USD',
    probability: 0,
    priority: 'high',
    lostReason: ' Fee terms ',
    history: [
      ['lead', noon('2026-01-03')],
      ['lost', noon('2026-01-13')],
    ],
  });
  const o6 = await opp({
    name: 'Deleted whale',
    fund: fund2,
    contact: ann,
    owner: alice,
    stage: 'meeting',
    expected: '1000000',
    currency: 'USD',
    probability: 35,
    priority: 'high',
    deleted: true,
    history: [
      ['lead', noon('2026-01-01')],
      ['meeting', noon('2026-01-02')],
    ],
  });
  await opp({
    name: 'Fund I straggler',
    fund: fund1,
    owner: alice,
    stage: 'outreach',
    expected: '70000',
    currency: 'USD',
    probability: 20,
    priority: 'medium',
    history: [
      ['lead', noon('2026-01-01')],
      ['outreach', noon('2026-03-01')],
    ],
  });
  const o8 = await opp({
    name: 'Birch commitment',
    fund: fund2,
    organization: orgB,
    owner: bob,
    stage: 'committed',
    expected: '200000',
    commitment: '200000',
    currency: 'USD',
    probability: 90,
    priority: 'high',
    history: [
      ['lead', noon('2026-01-04')],
      ['committed', noon('2026-02-15')],
    ],
  });
  await opp({
    name: 'Euro timing',
    fund: fund2,
    owner: bob,
    stage: 'lost',
    expected: '10000',
    currency: 'EUR',
    probability: 0,
    priority: 'low',
    lostReason: 'Timing',
    history: [
      ['lead', noon('2026-01-05')],
      ['lost', noon('2026-01-25')],
    ],
  });

  const communication = async (
    date: string,
    type: string,
    by: string | null,
    links: { contact?: string; opportunity?: string },
    next?: [string, string],
  ) => {
    await sql(
      `insert into communications (contact_id, opportunity_id, type, subject, communication_date, created_by_id,
                                   next_action, next_action_date)
       values (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        links.contact ?? null,
        links.opportunity ?? null,
        type,
        `${type} on ${date}`,
        noon(date),
        by,
        next?.[0] ?? null,
        next?.[1] ?? null,
      ],
    );
  };
  const communications: { date: string; live: boolean }[] = [
    { date: day(0), live: true },
    { date: day(0), live: true },
    { date: day(-2), live: true },
    { date: day(-2), live: false },
    { date: day(-3), live: false },
    { date: day(-6), live: true },
    { date: day(-7), live: true },
    { date: day(-40), live: true },
  ];
  await communication(day(0), 'email', alice, { contact: ann });
  await communication(day(0), 'call', alice, { contact: ben });
  await communication(day(-2), 'meeting', bob, { opportunity: o2 }, ['Send deck', day(3)]);
  await communication(day(-2), 'email', bob, { contact: eve }, ['Hidden with Eve', day(1)]);
  await communication(day(-3), 'note', alice, { contact: ann, opportunity: o6 });
  await communication(day(-6), 'email', null, { contact: cleo }, ['Follow up', day(-5)]);
  await communication(day(-7), 'email', alice, { contact: ann }, ['Too far ahead', day(20)]);
  await communication(day(-40), 'call', bob, { contact: ben });

  const task = async (title: string, due: string, status: string, assignee: string | null) => {
    const tid = id();
    await sql(
      `insert into tasks (id, title, due_date, status, assignee_id, completed_at) values (?, ?, ?, ?, ?, ?)`,
      [tid, title, due, status, assignee, status === 'done' ? new Date().toISOString() : null],
    );
    return tid;
  };
  const overdueTask = await task('Chase K-1 questions', day(-1), 'open', alice);
  const dueTask = await task('Prepare LPAC deck', day(14), 'open', null);
  await task('Too late for the list', day(15), 'open', alice);
  await task('Already done', day(0), 'done', alice);

  return {
    funds: { fund1, fund2, annex },
    orgs: { orgA, orgB },
    contacts: { ann, ben, cleo, dan, eve, fay },
    lps: { annFund2, cleoFund2 },
    opps: { o1, o2, o3, o4, o5, o6, o8 },
    tasks: { overdueTask, dueTask },
    communications,
  };
}

export type ReportFixture = Awaited<ReturnType<typeof buildReportFixture>>;
