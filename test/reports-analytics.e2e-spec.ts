import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { day, noon, type ReportTestApp, reportTestApp } from './helpers/report-fixture.js';

/**
 * Every figure below is worked out by hand from test/helpers/report-fixture.ts. Fund II (raising, USD,
 * target 5,000,000) has, live: O1 funded 500,000 USD; O2 due diligence 250,000.50 EUR at 60 %; O3 lost
 * 300,000 USD; O4 lead 33,333.33 USD at 15 %; O5 lost 50,000 USD; O8 committed 200,000 USD at 90 %;
 * O9 lost 10,000 EUR. O6 (meeting, 1,000,000 USD) is deleted. Eve is a deleted contact: her deals and talks are
 * hidden, but her LP commitments (100,000 USD in Fund II, 50,000 USD funded in Fund I) still count, as in the funds API.
 */
describe('reports: activity, pipeline analytics, fund progress', () => {
  let r: ReportTestApp;

  beforeAll(async () => {
    r = await reportTestApp();
  });

  afterAll(async () => {
    await r?.t.close();
  });

  describe('activity', () => {
    it('counts live communications by author, type and every day of the window', async () => {
      const a = await r.get('/api/reports/activity?days=7');
      expect(a).toMatchObject({ from: day(-6), to: day(0), days: 7, total: 4 });
      expect(a.byUser[0]).toMatchObject({ key: r.alice.id, count: 2 });
      expect(a.byUser.map((u: { key: string | null; count: number }) => [u.key, u.count]).sort()).toEqual(
        [
          [r.alice.id, 2],
          [r.bob.id, 1],
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
      const a = await r.get('/api/reports/activity');
      expect(a.byDay).toHaveLength(30);
      expect(a.total).toBe(5);
    });
  });

  describe('pipeline-analytics', () => {
    it('reads stage history: days per stage, conversion, win rate, velocity, lost reasons', async () => {
      const p = await r.get(
        `/api/reports/pipeline-analytics?fundId=${r.f.funds.fund2}&from=2026-01-01&to=2026-12-31`,
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
      const p = await r.get(
        `/api/reports/pipeline-analytics?fundId=${r.f.funds.fund2}&from=2026-02-01&to=2026-02-28`,
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
      const p = await r.get('/api/reports/fund-progress');
      expect(p).toMatchObject({
        fund: { id: r.f.funds.fund2, name: 'Fund II', targetAmount: 5000000 },
        committed: [
          { currency: 'EUR', amount: 250000.5 },
          { currency: 'USD', amount: 600000 },
        ],
        funded: [
          { currency: 'EUR', amount: 0 },
          { currency: 'USD', amount: 200000 },
        ],
        weightedPipeline: [
          { currency: 'EUR', amount: 150000.3 },
          { currency: 'USD', amount: 185000 },
        ],
        // 5,000,000 − 600,000 (USD only: the euros are not converted)
        gapToTarget: 4400000,
        // 185,000 ÷ 4,400,000
        coverage: 0.042,
      });
      // Ben (Fund I, not yet in Fund II); Ann is in Fund II, Dan has a Fund II deal, Eve is deleted.
      expect(p.reUpTargetCount).toBe(1);
      expect(p.reUpTargets).toEqual([
        {
          contact: { id: r.f.contacts.ben, name: 'Ben Kim' },
          organizationName: 'Birch Family Office',
          lastContactDate: `${noon(day(0)).slice(0, 19)}.000Z`,
          earlierCommitments: [
            { fund: { id: r.f.funds.fund1, name: 'Fund I' }, currency: 'EUR', amount: 300000 },
          ],
        },
      ]);
    });
  });
});
