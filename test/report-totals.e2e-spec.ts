import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { Role } from '../src/common/auth/role.js';
import { createUser, type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const GROUP = `fund_id, stage::text, currency, owner_id, priority::text`;

/** report_deal_totals (groups with deals, their slots added up) and the same figures computed from the live deals. */
const DEALS_SUMMARY = `select ${GROUP}, sum(deals)::int as deals, sum(expected)::text as expected,
    sum(committed)::text as committed, sum(weighted)::text as weighted
  from report_deal_totals group by ${GROUP} having sum(deals) <> 0 order by ${GROUP}`;
const DEALS_BASE = `select ${GROUP}, count(*)::int as deals, coalesce(sum(expected_amount), 0)::numeric(20,2)::text as expected,
    coalesce(sum(commitment_amount), 0)::numeric(20,2)::text as committed,
    coalesce(sum(round(expected_amount * probability / 100.0, 2)), 0)::numeric(20,2)::text as weighted
  from opportunities where deleted_at is null group by ${GROUP} order by ${GROUP}`;
const COMMUNICATIONS_SUMMARY = `select day::text, created_by_id, type::text, sum(communications)::int as communications
  from report_communication_days group by 1, 2, 3 having sum(communications) <> 0 order by 1, 2, 3`;
const COMMUNICATIONS_BASE = `select (communication_date at time zone 'UTC')::date::text as day, created_by_id, type::text,
    count(*)::int as communications
  from communications group by 1, 2, 3 order by 1, 2, 3`;
const STAGES_SUMMARY = `select opportunity_id, fund_id, live, stage::text, stage_changed_at, currency, amount::text,
    first_at, last_at, furthest_stage::text
  from report_deal_stages order by opportunity_id`;
const STAGES_BASE = `select o.id as opportunity_id, o.fund_id, o.deleted_at is null as live, o.stage::text, o.stage_changed_at,
    o.currency, coalesce(o.commitment_amount, o.expected_amount)::text as amount, min(h.changed_at) as first_at,
    max(h.changed_at) as last_at, (max(h.to_stage) filter (where h.to_stage <> 'lost'))::text as furthest_stage
  from opportunities o left join opportunity_stage_history h on h.opportunity_id = o.id
  group by o.id order by o.id`;
const VISITS_SUMMARY = `select id, opportunity_id, fund_id, live, stage::text, started_at, ended_at, seconds
  from report_stage_visits order by id`;
const VISITS_BASE = `select v.*, date_part('epoch', v.ended_at - v.started_at) as seconds
  from (select h.id, h.opportunity_id, o.fund_id, o.deleted_at is null as live, h.to_stage::text as stage,
               h.changed_at as started_at,
               lead(h.changed_at) over (partition by h.opportunity_id order by h.changed_at, h.id) as ended_at
          from opportunity_stage_history h join opportunities o on o.id = h.opportunity_id) v
  order by v.id`;
const CONTACTS_SUMMARY = `select contact_type::text, sum(contacts)::int as contacts from report_contact_totals
  group by 1 having sum(contacts) <> 0 order by 1`;
const CONTACTS_BASE = `select contact_type::text, count(*)::int as contacts from contacts where deleted_at is null
  group by 1 order by 1`;

/**
 * The summary tables the reports read (migration 20261206350000) are kept by triggers: after any mix of writes
 * through the API — creates, stage moves, amount/currency/fund/owner/priority changes, soft deletes and
 * restores — hard deletes, and concurrent transactions on the same groups, they equal a `group by` over the
 * live rows of their base table.
 */
describe('report summary tables', () => {
  let t: TestApp;
  let manager: SignedInUser;
  let rows: (sql: string, params?: unknown[]) => Promise<unknown[]>;
  const funds = [randomUUID(), randomUUID()];

  beforeAll(async () => {
    t = await createTestApp();
    manager = await signedIn(t, Role.Manager);
    const db = t.orm.em.getConnection();
    rows = (sql, params = []) => db.execute(sql, params);
    await rows(
      `insert into funds (id, name, currency, status) values (?, 'Fund A', 'USD', 'raising'), (?, 'Fund B', 'EUR', 'closed')`,
      funds,
    );
  });

  afterAll(async () => {
    await t?.close();
  });

  const api = async (method: 'post' | 'patch' | 'delete', url: string, body?: object) => {
    const res = await t.http[method](url).set(manager.auth).send(body);
    expect([200, 201, 204]).toContain(res.status);
    return res.body.data as { id: string };
  };

  const expectExact = async () => {
    expect(await rows(DEALS_SUMMARY)).toEqual(await rows(DEALS_BASE));
    expect(await rows(CONTACTS_SUMMARY)).toEqual(await rows(CONTACTS_BASE));
    expect(await rows(COMMUNICATIONS_SUMMARY)).toEqual(await rows(COMMUNICATIONS_BASE));
    expect(await rows(STAGES_SUMMARY)).toEqual(await rows(STAGES_BASE));
    expect(await rows(VISITS_SUMMARY)).toEqual(await rows(VISITS_BASE));
    // A group left with no deal adds up to nothing.
    expect(
      await rows(
        `select ${GROUP} from report_deal_totals group by ${GROUP}
          having sum(deals) = 0 and (sum(expected) <> 0 or sum(committed) <> 0 or sum(weighted) <> 0)`,
      ),
    ).toEqual([]);
  };

  it('follows creates, stage moves, changes of every grouped or added column, soft deletes, restores and deletes', async () => {
    const other = await createUser(t, Role.Member, { username: 'owner2' });
    const deals = [];
    for (let i = 0; i < 12; i++) {
      deals.push(
        await api('post', '/api/opportunities', {
          name: `Deal ${i}`,
          fundId: i % 5 === 4 ? null : funds[i % 2],
          expectedAmount: i % 4 === 3 ? null : 1000 * i + 0.37 * i,
          ...(i % 3 === 0 && { commitmentAmount: 500 * i }),
          currency: i % 3 === 1 ? 'EUR' : 'USD',
          ...(i % 2 === 0 && { ownerId: i % 4 === 0 ? manager.id : other.id }),
          priority: ['low', 'medium', 'high'][i % 3],
          probability: (i * 7) % 101,
        }),
      );
    }
    await expectExact();

    await api('patch', `/api/opportunities/${deals[0].id}/stage`, { stage: 'meeting' });
    await api('patch', `/api/opportunities/${deals[1].id}/stage`, { stage: 'lost', lostReason: 'timing' });
    await api('patch', `/api/opportunities/${deals[2].id}/stage`, { stage: 'committed', probability: 95 });
    await api('patch', `/api/opportunities/${deals[3].id}`, { expectedAmount: 12345.67, probability: 33 });
    await api('patch', `/api/opportunities/${deals[4].id}`, { currency: 'EUR', fundId: funds[1] });
    await api('patch', `/api/opportunities/${deals[5].id}`, {
      ownerId: null,
      priority: 'high',
      commitmentAmount: 99.99,
    });
    await api('patch', `/api/opportunities/${deals[6].id}`, { name: 'Renamed only' });
    await expectExact();

    await api('delete', `/api/opportunities/${deals[7].id}`);
    await api('delete', `/api/opportunities/${deals[8].id}`);
    await api('post', `/api/opportunities/${deals[8].id}/restore`);
    await expectExact();

    // Concurrent writes on the same groups: every delta lands.
    await Promise.all(
      deals
        .slice(9)
        .map((d, i) =>
          api('patch', `/api/opportunities/${d.id}`, { expectedAmount: 777.77 * (i + 1), fundId: funds[0] }),
        ),
    );
    await rows(`delete from opportunities where id = ?`, [deals[11].id]);
    // An owner removed: deals keep their amounts and lose the owner (foreign key: set null).
    await rows(`delete from users where id = ?`, [other.id]);
    await expectExact();
  });

  it('follows contacts created, retyped, soft-deleted and restored', async () => {
    const made = [];
    for (const [i, type] of ['prospect', 'investor', 'prospect', 'advisor', 'prospect'].entries()) {
      made.push(await api('post', '/api/contacts', { firstName: 'C', lastName: `${i}`, contactType: type }));
    }
    await api('patch', `/api/contacts/${made[0].id}`, { contactType: 'investor' });
    await api('delete', `/api/contacts/${made[2].id}`);
    await api('delete', `/api/contacts/${made[4].id}`);
    await api('post', `/api/contacts/${made[4].id}/restore`);
    await expectExact();
  });

  it('counts communications per UTC day, author and type through creates, moves, retypes and deletes', async () => {
    const contact = await api('post', '/api/contacts', { firstName: 'Talk', lastName: 'Ative' });
    const talk = (date: string, type: string) =>
      api('post', '/api/communications', {
        contactId: contact.id,
        type,
        communicationDate: date,
        subject: 'x',
      });
    // Either side of midnight UTC: different days.
    const made = [
      await talk('2026-11-30T23:59:59Z', 'call'),
      await talk('2026-12-01T00:00:00Z', 'call'),
      await talk('2026-12-01T00:00:00Z', 'email'),
      await talk('2026-12-02T10:00:00Z', 'meeting'),
    ];
    await api('patch', `/api/communications/${made[0].id}`, { communicationDate: '2026-12-01T08:00:00Z' });
    await api('patch', `/api/communications/${made[1].id}`, { type: 'email' });
    await api('delete', `/api/communications/${made[2].id}`);
    // Hidden with its contact: still counted here (the reports take hidden ones away).
    await api('delete', `/api/contacts/${contact.id}`);
    await rows(`update communications set created_by_id = null where id = ?`, [made[3].id]);
    await expectExact();
  });

  it('follows stage history written out of order, rows deleted, deals moved between funds and rebuilt', async () => {
    const deal = await api('post', '/api/opportunities', { name: 'History', fundId: funds[0] });
    await api('patch', `/api/opportunities/${deal.id}/stage`, { stage: 'meeting' });
    await api('patch', `/api/opportunities/${deal.id}/stage`, { stage: 'lost', lostReason: 'timing' });
    // Back-dated rows (an import of earlier history), several in one statement, one between existing rows.
    await rows(
      `insert into opportunity_stage_history (opportunity_id, from_stage, to_stage, changed_at)
       values (?, null, 'outreach', now() - interval '30 days'), (?, 'outreach', 'due_diligence', now() - interval '20 days'),
              (?, 'meeting', 'committed', now() - interval '1 second')`,
      [deal.id, deal.id, deal.id],
    );
    await expectExact();
    await rows(
      `delete from opportunity_stage_history where opportunity_id = ? and to_stage = 'due_diligence'`,
      [deal.id],
    );
    await api('patch', `/api/opportunities/${deal.id}`, { fundId: funds[1] });
    await api('delete', `/api/opportunities/${deal.id}`);
    await expectExact();
    await api('post', `/api/opportunities/${deal.id}/restore`);
    await rows(`delete from opportunity_stage_history where opportunity_id = ?`, [deal.id]);
    await expectExact();
    // Data loaded with triggers off (the benchmark's bulk load) is put right by one call.
    await rows(`update report_deal_stages set furthest_stage = null, live = false, amount = null`);
    await rows(`update report_stage_visits set ended_at = null, live = false`);
    await rows(`update report_deal_totals set deals = deals + 5`);
    await rows(`select report_summaries_rebuild()`);
    await expectExact();
    // Stage history emptied: the deals stay in the summary, without history.
    await rows(`truncate opportunity_stage_history`);
    await expectExact();
  });

  it('keeps a group in one row when its writes come one after another', async () => {
    for (const sql of [
      `select contact_type from report_contact_totals group by 1 having count(*) > 1`,
      `select day, created_by_id, type from report_communication_days group by 1, 2, 3 having count(*) > 1`,
    ]) {
      expect(await rows(sql)).toEqual([]);
    }
  });

  it('holds a bounded number of locks in a transaction writing many groups (an import)', async () => {
    const contact = await api('post', '/api/contacts', { firstName: 'Many', lastName: 'Days' });
    const client = new pg.Client(t.databaseUrl);
    await client.connect();
    try {
      await client.query('begin');
      for (let day = 0; day < 200; day++) {
        await client.query(
          `insert into communications (contact_id, type, subject, communication_date)
           values ($1, 'note', 'Imported', timestamptz '2025-01-01' + $2 * interval '1 day')`,
          [contact.id, day],
        );
      }
      const { rows: locks } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()`,
      );
      expect(locks[0].n).toBeLessThanOrEqual(32);
      await client.query('commit');
    } finally {
      await client.end();
    }
    await expectExact();
  });

  it('stays exact when two transactions write the same groups at once, neither waiting for the other', async () => {
    const clients = [new pg.Client(t.databaseUrl), new pg.Client(t.databaseUrl)];
    await Promise.all(clients.map((c) => c.connect()));
    const chf = `select slot, deals from report_deal_totals where currency = 'CHF' and stage = 'outreach' order by slot`;
    try {
      const [a, b] = clients;
      await a.query('begin');
      // Waiting for a's row would fail here instead of hanging the test.
      await b.query(`begin; set local lock_timeout = '2s'`);
      const insert = `insert into opportunities (name, fund_id, stage, expected_amount, probability, currency, priority)
                      values ($1, $2, 'outreach', 1000.01, 20, 'CHF', 'low')`;
      // A new group from both sides: the second writes another slot of it while the first is still open.
      await a.query(insert, ['A', funds[0]]);
      await b.query(insert, ['B', funds[0]]);
      await a.query(`update opportunities set probability = 50 where name = 'A'`);
      await a.query('commit');
      await b.query(`update opportunities set stage = 'meeting' where name = 'B'`);
      await b.query('commit');
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    await expectExact();
    // B's deal came into the group in a slot of its own and left it from slot 0, free by then.
    const slots = (await rows(chf)) as { slot: number; deals: number }[];
    expect(slots).toHaveLength(2);
    expect(slots.map((r) => r.deals)).toEqual([0, 1]);
    expect(
      await rows(
        `select stage::text, sum(deals)::int as deals, sum(expected)::text as expected from report_deal_totals
          where currency = 'CHF' group by stage having sum(deals) <> 0 order by stage`,
      ),
    ).toEqual([
      { stage: 'meeting', deals: 1, expected: '1000.01' },
      { stage: 'outreach', deals: 1, expected: '1000.01' },
    ]);
  });
});
