import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { createUser, signedIn, type SignedInUser } from './helpers/auth.js';
import { buildReportFixture, day, noon, type ReportFixture } from './helpers/report-fixture.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * Every figure below is worked out by hand from test/helpers/report-fixture.ts. Fund II (raising, USD,
 * target 5,000,000) has, live: O1 funded 500,000 USD; O2 due diligence 250,000.50 EUR at 60 %; O3 lost
 * 300,000 USD; O4 lead 33,333.33 USD at 15 %; O5 lost 50,000 USD; O8 committed 200,000 USD at 90 %;
 * O9 lost 10,000 EUR. O6 (meeting, 1,000,000 USD) is deleted; Eve (two LP profiles) is a deleted contact.
 */
describe('reports', () => {
  let t: TestApp;
  let member: SignedInUser;
  let f: ReportFixture;
  let alice: { id: string; username: string };
  let bob: { id: string; username: string };

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    alice = await createUser(t, Role.Member, { username: 'alice' });
    bob = await createUser(t, Role.Member, { username: 'bob' });
    f = await buildReportFixture(t, { alice: alice.id, bob: bob.id });
  });

  afterAll(async () => {
    await t?.close();
  });

  const get = async (path: string) => {
    const res = await t.http.get(path).set(member.auth);
    expect({ status: res.status, body: res.body as unknown }).toMatchObject({ status: 200 });
    return res.body.data;
  };

  describe('dashboard', () => {
    it('reports the raising fund with the latest vintage, its money per currency, and live counts', async () => {
      const d = await get('/api/reports/dashboard');
      expect(d.fund).toMatchObject({
        id: f.funds.fund2,
        name: 'Fund II',
        targetAmount: 5000000,
        currency: 'USD',
      });
      const monthStart = `${day(0).slice(0, 8)}01`;
      expect(d.kpis).toEqual({
        // Ann and Cleo: Eve's profile goes with her deleted contact record.
        lps: 2,
        committed: [
          { currency: 'EUR', amount: 250000.5 },
          { currency: 'USD', amount: 500000 },
        ],
        funded: [
          { currency: 'EUR', amount: 0 },
          { currency: 'USD', amount: 200000 },
        ],
        // Open: O2 (EUR), O4 + O8 (USD); weighted 250,000.50 × 60 % = 150,000.30; 33,333.33 × 15 % = 5,000.00 + 180,000.
        pipeline: [
          { currency: 'EUR', amount: 250000.5 },
          { currency: 'USD', amount: 233333.33 },
        ],
        weightedPipeline: [
          { currency: 'EUR', amount: 150000.3 },
          { currency: 'USD', amount: 185000 },
        ],
        // O2, O4, O8 and Fund I's straggler; the deleted O6 is not counted.
        activeOpportunities: 4,
        prospects: 1,
        lpsAllFunds: 4,
        communicationsThisMonth: f.communications.filter((c) => c.live && c.date >= monthStart).length,
      });
    });

    it('lists every stage of the fund with count, expected and weighted per currency', async () => {
      const d = await get('/api/reports/dashboard');
      const byStage = Object.fromEntries(d.pipelineByStage.map((g: { key: string }) => [g.key, g]));
      expect(d.pipelineByStage.map((g: { key: string }) => g.key)).toEqual([
        'lead',
        'outreach',
        'meeting',
        'due_diligence',
        'committed',
        'funded',
        'lost',
      ]);
      expect(byStage.lead).toEqual({
        key: 'lead',
        label: 'lead',
        count: 1,
        totals: [{ currency: 'USD', count: 1, expected: 33333.33, committed: 0, weighted: 5000 }],
      });
      expect(byStage.outreach).toEqual({ key: 'outreach', label: 'outreach', count: 0, totals: [] });
      // O6 (deleted) would have been here.
      expect(byStage.meeting.count).toBe(0);
      expect(byStage.due_diligence.totals).toEqual([
        { currency: 'EUR', count: 1, expected: 250000.5, committed: 0, weighted: 150000.3 },
      ]);
      expect(byStage.committed.totals).toEqual([
        { currency: 'USD', count: 1, expected: 200000, committed: 200000, weighted: 180000 },
      ]);
      expect(byStage.funded.totals).toEqual([
        { currency: 'USD', count: 1, expected: 500000, committed: 500000, weighted: 500000 },
      ]);
      expect(byStage.lost).toEqual({
        key: 'lost',
        label: 'lost',
        count: 3,
        totals: [
          { currency: 'EUR', count: 1, expected: 10000, committed: 0, weighted: 0 },
          { currency: 'USD', count: 2, expected: 350000, committed: 0, weighted: 0 },
        ],
      });
    });

    it('shows what is due within 14 days, overdue first, and leaves out what is hidden', async () => {
      const d = await get('/api/reports/dashboard');
      expect(
        d.nextActions.map((a: { nextAction: string; dueDate: string; overdue: boolean }) => [
          a.nextAction,
          a.dueDate,
          a.overdue,
        ]),
      ).toEqual([
        ['Follow up', day(-5), true],
        ['Send deck', day(3), false],
      ]);
      expect(d.tasks.map((x: { id: string; overdue: boolean }) => [x.id, x.overdue])).toEqual([
        [f.tasks.overdueTask, true],
        [f.tasks.dueTask, false],
      ]);
      expect(d.tasks[0].assignee).toMatchObject({ id: alice.id, username: 'alice' });
      // Live communications, newest first: the hidden ones (Eve's, the deleted deal's) are not there.
      expect(d.recentCommunications.map((m: { date: string }) => m.date.slice(0, 10))).toEqual([
        day(0),
        day(0),
        day(-2),
        day(-6),
        day(-7),
        day(-40),
      ]);
      expect(d.recentStageChanges).toHaveLength(10);
      expect(
        d.recentStageChanges
          .slice(0, 3)
          .map((h: { opportunity: { name: string }; to: string; at: string }) => [
            h.opportunity.name,
            h.to,
            h.at,
          ]),
      ).toEqual([
        ['Fund I straggler', 'outreach', '2026-03-01T12:00:00.000Z'],
        ['Birch commitment', 'committed', '2026-02-15T12:00:00.000Z'],
        ['Dan second fund', 'lost', '2026-02-10T12:00:00.000Z'],
      ]);
      expect(JSON.stringify(d.recentStageChanges)).not.toContain('Deleted whale');
    });
  });

  describe('pipeline', () => {
    it('groups all funds by stage, owner and priority, money per currency', async () => {
      const p = await get('/api/reports/pipeline');
      expect(p.fund).toBeNull();
      // Alice: O1 500,000 (committed 500,000, 100 %), O3 300,000 (lost), Fund I's 70,000 at 20 % = 14,000.
      expect(p.byOwner.find((g: { key: string }) => g.key === alice.id)).toMatchObject({
        count: 3,
        totals: [{ currency: 'USD', count: 3, expected: 870000, committed: 500000, weighted: 514000 }],
      });
      const bobs = p.byOwner.find((g: { key: string }) => g.key === bob.id);
      expect(bobs).toMatchObject({
        count: 4,
        totals: [
          { currency: 'EUR', count: 2, expected: 260000.5, committed: 0, weighted: 150000.3 },
          { currency: 'USD', count: 2, expected: 250000, committed: 200000, weighted: 180000 },
        ],
      });
      expect(p.byOwner.find((g: { key: string | null }) => g.key === null)).toEqual({
        key: null,
        label: 'Unassigned',
        count: 1,
        totals: [{ currency: 'USD', count: 1, expected: 33333.33, committed: 0, weighted: 5000 }],
      });
      expect(p.byPriority).toEqual([
        {
          key: 'high',
          label: 'high',
          count: 3,
          totals: [{ currency: 'USD', count: 3, expected: 750000, committed: 700000, weighted: 680000 }],
        },
        {
          key: 'medium',
          label: 'medium',
          count: 3,
          totals: [
            { currency: 'EUR', count: 1, expected: 250000.5, committed: 0, weighted: 150000.3 },
            { currency: 'USD', count: 2, expected: 103333.33, committed: 0, weighted: 19000 },
          ],
        },
        {
          key: 'low',
          label: 'low',
          count: 2,
          totals: [
            { currency: 'EUR', count: 1, expected: 10000, committed: 0, weighted: 0 },
            { currency: 'USD', count: 1, expected: 300000, committed: 0, weighted: 0 },
          ],
        },
      ]);
    });

    it('narrows to one fund', async () => {
      const p = await get(`/api/reports/pipeline?fundId=${f.funds.fund1}`);
      expect(p.fund).toEqual({ id: f.funds.fund1, name: 'Fund I' });
      expect(p.byStage.filter((g: { count: number }) => g.count > 0)).toEqual([
        {
          key: 'outreach',
          label: 'outreach',
          count: 1,
          totals: [{ currency: 'USD', count: 1, expected: 70000, committed: 0, weighted: 14000 }],
        },
      ]);
    });
  });

  describe('lp-breakdown', () => {
    it('lists every LP of a fund with funded and unfunded, summed per currency', async () => {
      const b = await get(`/api/reports/lp-breakdown?fundId=${f.funds.fund2}`);
      expect(b.lps).toEqual([
        {
          id: f.lps.annFund2,
          contact: { id: f.contacts.ann, name: 'Ann Lee' },
          organization: { id: f.orgs.orgA, name: 'Alpine Pension' },
          organizationType: 'pension',
          fund: { id: f.funds.fund2, name: 'Fund II' },
          investorType: 'pension',
          currency: 'USD',
          commitment: 500000,
          funded: 200000,
          unfunded: 300000,
          commitmentDate: '2025-06-30',
          legalDocsSigned: true,
          wireReceived: false,
          k1Sent: false,
        },
        {
          id: f.lps.cleoFund2,
          contact: { id: f.contacts.cleo, name: '=Cleo Day' },
          organization: null,
          organizationType: null,
          fund: { id: f.funds.fund2, name: 'Fund II' },
          investorType: 'individual',
          currency: 'EUR',
          commitment: 250000.5,
          funded: 0,
          unfunded: 250000.5,
          commitmentDate: '2025-06-30',
          legalDocsSigned: false,
          wireReceived: false,
          k1Sent: false,
        },
      ]);
      expect(b.summary).toEqual({
        lps: 2,
        legalDocsSigned: 1,
        wireReceived: 0,
        k1Sent: 0,
        totals: [
          { currency: 'EUR', count: 1, committed: 250000.5, funded: 0, unfunded: 250000.5 },
          { currency: 'USD', count: 1, committed: 500000, funded: 200000, unfunded: 300000 },
        ],
      });
      expect(b.byInvestorType.map((g: { key: string; count: number }) => [g.key, g.count])).toEqual([
        ['individual', 1],
        ['pension', 1],
      ]);
      expect(b.byOrganizationType.map((g: { key: string | null }) => g.key)).toEqual(['pension', null]);
    });

    it('over all funds counts an LP of two funds in each, and leaves deleted contacts out', async () => {
      const b = await get('/api/reports/lp-breakdown');
      expect(b.summary).toEqual({
        lps: 5,
        legalDocsSigned: 4,
        wireReceived: 2,
        k1Sent: 1,
        totals: [
          { currency: 'EUR', count: 2, committed: 550000.5, funded: 150000, unfunded: 400000.5 },
          { currency: 'USD', count: 3, committed: 1900000, funded: 1600000, unfunded: 300000 },
        ],
      });
      expect(
        b.lps.filter((lp: { contact: { id: string } }) => lp.contact.id === f.contacts.ann),
      ).toHaveLength(2);
      expect(JSON.stringify(b)).not.toContain(f.contacts.eve);
    });
  });

  describe('activity', () => {
    it('counts live communications by author, type and every day of the window', async () => {
      const a = await get('/api/reports/activity?days=7');
      expect(a).toMatchObject({ from: day(-6), to: day(0), days: 7, total: 4 });
      expect(a.byUser[0]).toMatchObject({ key: alice.id, count: 2 });
      expect(a.byUser.map((u: { key: string | null; count: number }) => [u.key, u.count]).sort()).toEqual(
        [
          [alice.id, 2],
          [bob.id, 1],
          [null, 1],
        ].sort(),
      );
      expect(a.byType).toEqual([
        { key: 'email', label: 'email', count: 2 },
        { key: 'call', label: 'call', count: 1 },
        { key: 'meeting', label: 'meeting', count: 1 },
        { key: 'note', label: 'note', count: 0 },
        { key: 'text', label: 'text', count: 0 },
      ]);
      expect(a.byDay).toEqual([
        { date: day(-6), count: 1 },
        { date: day(-5), count: 0 },
        { date: day(-4), count: 0 },
        { date: day(-3), count: 0 },
        { date: day(-2), count: 1 },
        { date: day(-1), count: 0 },
        { date: day(0), count: 2 },
      ]);
    });

    it('defaults to 30 days', async () => {
      const a = await get('/api/reports/activity');
      expect(a.byDay).toHaveLength(30);
      expect(a.total).toBe(5);
    });
  });

  describe('pipeline-analytics', () => {
    it('reads stage history: days per stage, conversion, win rate, velocity, lost reasons', async () => {
      const p = await get(
        `/api/reports/pipeline-analytics?fundId=${f.funds.fund2}&from=2026-01-01&to=2026-12-31`,
      );
      // Finished lead visits: 4, 5, 10, 10, 20, 42 days → median 10, mean 91 / 6.
      expect(p.daysPerStage).toEqual([
        { stage: 'lead', visits: 6, medianDays: 10, meanDays: 15.17 },
        { stage: 'outreach', visits: 2, medianDays: 22.5, meanDays: 22.5 },
        { stage: 'meeting', visits: 2, medianDays: 11, meanDays: 11 },
        { stage: 'due_diligence', visits: 0, medianDays: null, meanDays: null },
        { stage: 'committed', visits: 1, medianDays: 10, meanDays: 10 },
      ]);
      // Furthest stages: funded, due diligence, outreach, lead ×3 (O4, O5, O9), committed.
      expect(p.conversion).toEqual([
        { from: 'lead', to: 'outreach', reached: 7, converted: 4, rate: 0.5714 },
        { from: 'outreach', to: 'meeting', reached: 4, converted: 3, rate: 0.75 },
        { from: 'meeting', to: 'due_diligence', reached: 3, converted: 3, rate: 1 },
        { from: 'due_diligence', to: 'committed', reached: 3, converted: 2, rate: 0.6667 },
        { from: 'committed', to: 'funded', reached: 2, converted: 1, rate: 0.5 },
      ]);
      expect(p).toMatchObject({ won: 1, lost: 3, winRate: 0.25, averageCycleDays: 30 });
      // USD: 2 open deals × 1/4 × 500,000 ÷ 30 days; EUR: no deal won, no velocity.
      expect(p.velocity).toEqual([
        { currency: 'EUR', openDeals: 1, averageWonAmount: null, perDay: null },
        { currency: 'USD', openDeals: 2, averageWonAmount: 500000, perDay: 8333.33 },
      ]);
      expect(p.lostReasons).toEqual([
        { reason: 'Fee terms', count: 2 },
        { reason: 'Timing', count: 1 },
      ]);
    });

    it('limits closes and stage visits to the window', async () => {
      const p = await get(
        `/api/reports/pipeline-analytics?fundId=${f.funds.fund2}&from=2026-02-01&to=2026-02-28`,
      );
      expect(p).toMatchObject({
        from: '2026-02-01',
        to: '2026-02-28',
        won: 0,
        lost: 1,
        winRate: 0,
        averageCycleDays: null,
      });
      expect(p.lostReasons).toEqual([{ reason: 'Fee terms', count: 1 }]);
      expect(p.conversion[0]).toEqual({ from: 'lead', to: 'outreach', reached: 4, converted: 3, rate: 0.75 });
    });
  });

  describe('fund-progress', () => {
    it('shows target, money per currency, the gap in the fund currency, coverage and re-up targets', async () => {
      const p = await get('/api/reports/fund-progress');
      expect(p).toMatchObject({
        fund: { id: f.funds.fund2, name: 'Fund II', targetAmount: 5000000 },
        committed: [
          { currency: 'EUR', amount: 250000.5 },
          { currency: 'USD', amount: 500000 },
        ],
        funded: [
          { currency: 'EUR', amount: 0 },
          { currency: 'USD', amount: 200000 },
        ],
        weightedPipeline: [
          { currency: 'EUR', amount: 150000.3 },
          { currency: 'USD', amount: 185000 },
        ],
        gapToTarget: 4500000,
        // 185,000 ÷ 4,500,000
        coverage: 0.0411,
      });
      // Ben (Fund I, not yet in Fund II); Ann is in Fund II, Dan has a Fund II deal, Eve is deleted.
      expect(p.reUpTargets).toEqual([
        {
          contact: { id: f.contacts.ben, name: 'Ben Kim' },
          organizationName: 'Birch Family Office',
          lastContactDate: `${noon(day(0)).slice(0, 19)}.000Z`,
          earlierCommitments: [
            { fund: { id: f.funds.fund1, name: 'Fund I' }, currency: 'EUR', amount: 300000 },
          ],
        },
      ]);
    });
  });
});
