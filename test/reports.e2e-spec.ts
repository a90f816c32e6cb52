import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { day, type ReportTestApp, reportTestApp } from './helpers/report-fixture.js';

/**
 * Every figure below is worked out by hand from test/helpers/report-fixture.ts. Fund II (raising, USD,
 * target 5,000,000) has, live: O1 funded 500,000 USD; O2 due diligence 250,000.50 EUR at 60 %; O3 lost
 * 300,000 USD; O4 lead 33,333.33 USD at 15 %; O5 lost 50,000 USD; O8 committed 200,000 USD at 90 %;
 * O9 lost 10,000 EUR. O6 (meeting, 1,000,000 USD) is deleted. Eve is a deleted contact: her deals and talks are
 * hidden, but her LP commitments (100,000 USD in Fund II, 50,000 USD funded in Fund I) still count, as in the funds API.
 */
describe('reports: dashboard, pipeline, LP breakdown', () => {
  let r: ReportTestApp;

  beforeAll(async () => {
    r = await reportTestApp();
  });

  afterAll(async () => {
    await r?.t.close();
  });

  describe('dashboard', () => {
    it('reports the raising fund with the latest vintage, its money per currency, and live counts', async () => {
      const d = await r.get('/api/reports/dashboard');
      expect(d.fund).toMatchObject({
        id: r.f.funds.fund2,
        name: 'Fund II',
        targetAmount: 5000000,
        currency: 'USD',
      });
      const monthStart = `${day(0).slice(0, 8)}01`;
      expect(d.kpis).toEqual({
        // Ann, Cleo and Eve: a commitment counts whatever the state of the contact record.
        lps: 3,
        committed: [
          { currency: 'EUR', amount: 250000.5 },
          { currency: 'USD', amount: 600000 },
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
        // Ann (in two funds, once), Ben, Cleo, Dan, Eve.
        lpsAllFunds: 5,
        communicationsThisMonth: r.f.communications.filter((c) => c.live && c.date >= monthStart).length,
      });
    });

    it('lists every stage of the fund with count, expected and weighted per currency', async () => {
      const d = await r.get('/api/reports/dashboard');
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
      const d = await r.get('/api/reports/dashboard');
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
        [r.f.tasks.overdueTask, true],
        [r.f.tasks.dueTask, false],
      ]);
      expect(d.tasks[0].assignee).toMatchObject({ id: r.alice.id, username: 'alice' });
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
      const p = await r.get('/api/reports/pipeline');
      expect(p.fund).toBeNull();
      // Alice: O1 500,000 (committed 500,000, 100 %), O3 300,000 (lost), Fund I's 70,000 at 20 % = 14,000.
      expect(p.byOwner.find((g: { key: string }) => g.key === r.alice.id)).toMatchObject({
        count: 3,
        totals: [{ currency: 'USD', count: 3, expected: 870000, committed: 500000, weighted: 514000 }],
      });
      const bobs = p.byOwner.find((g: { key: string }) => g.key === r.bob.id);
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
      const p = await r.get(`/api/reports/pipeline?fundId=${r.f.funds.fund1}`);
      expect(p.fund).toEqual({ id: r.f.funds.fund1, name: 'Fund I' });
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
      const b = await r.get(`/api/reports/lp-breakdown?fundId=${r.f.funds.fund2}`);
      expect(b.lps).toEqual([
        {
          id: r.f.lps.annFund2,
          contact: { id: r.f.contacts.ann, name: 'Ann Lee' },
          contactDeleted: false,
          organization: { id: r.f.orgs.orgA, name: 'Alpine Pension' },
          organizationType: 'pension',
          fund: { id: r.f.funds.fund2, name: 'Fund II' },
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
          id: r.f.lps.cleoFund2,
          contact: { id: r.f.contacts.cleo, name: '=Cleo Day' },
          contactDeleted: false,
          organization: null,
          organizationType: null,
          fund: { id: r.f.funds.fund2, name: 'Fund II' },
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
        {
          id: r.f.lps.eveFund2,
          contact: { id: r.f.contacts.eve, name: 'Eve Gone' },
          contactDeleted: true,
          organization: null,
          organizationType: null,
          fund: { id: r.f.funds.fund2, name: 'Fund II' },
          investorType: null,
          currency: 'USD',
          commitment: 100000,
          funded: 0,
          unfunded: 100000,
          commitmentDate: '2025-06-30',
          legalDocsSigned: false,
          wireReceived: false,
          k1Sent: false,
        },
      ]);
      expect(b.summary).toEqual({
        lps: 3,
        legalDocsSigned: 1,
        wireReceived: 0,
        k1Sent: 0,
        totals: [
          { currency: 'EUR', count: 1, committed: 250000.5, funded: 0, unfunded: 250000.5 },
          { currency: 'USD', count: 2, committed: 600000, funded: 200000, unfunded: 400000 },
        ],
      });
      expect(b.byInvestorType.map((g: { key: string; count: number }) => [g.key, g.count])).toEqual([
        ['individual', 1],
        ['pension', 1],
        [null, 1],
      ]);
      expect(
        b.byOrganizationType.map((g: { key: string | null; count: number }) => [g.key, g.count]),
      ).toEqual([
        ['pension', 1],
        [null, 2],
      ]);
    });

    it('over all funds counts an LP of two funds in each', async () => {
      const b = await r.get('/api/reports/lp-breakdown');
      expect(b.summary).toEqual({
        lps: 7,
        legalDocsSigned: 4,
        wireReceived: 2,
        k1Sent: 1,
        totals: [
          { currency: 'EUR', count: 2, committed: 550000.5, funded: 150000, unfunded: 400000.5 },
          // Ann 1,000,000 + 500,000, Dan 400,000, Eve 100,000 + 50,000.
          { currency: 'USD', count: 5, committed: 2050000, funded: 1650000, unfunded: 400000 },
        ],
      });
      expect(
        b.lps.filter((lp: { contact: { id: string } }) => lp.contact.id === r.f.contacts.ann),
      ).toHaveLength(2);
      expect(
        b.lps
          .filter((lp: { contactDeleted: boolean }) => lp.contactDeleted)
          .map((lp: { commitment: number }) => lp.commitment),
      ).toEqual([100000, 50000]);
    });
  });
});
