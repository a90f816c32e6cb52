import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { Priority } from '../../src/common/entities/enums.js';
import {
  communicationFactory,
  contactFactory,
  fundFactory,
  lpProfileFactory,
  opportunityFactory,
} from '../../src/database/factories/index.js';
import { FundStatus } from '../../src/modules/funds/fund.entity.js';
import { Opportunity, OpportunityStage } from '../../src/modules/opportunities/opportunity.entity.js';
import { ReportsModule } from '../../src/modules/reports/reports.module.js';
import { ReportsService } from '../../src/modules/reports/reports.service.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

/**
 * A tiny fund, small enough to add up by hand: Fund II (raising, USD) with two LPs (3M USD, 1M funded; 500k
 * EUR, all funded) and four deals: meeting 1M (35 %), committed 2M (90 %, high priority), lost 5M and a
 * deleted meeting 7M; plus an outreach deal in no fund. One prospect with a note this month, and a note on a
 * deleted contact (hidden: not counted).
 */
describe('ReportsService on PostgreSQL', () => {
  let m: MediumModule;
  let service: ReportsService;
  let owner: AuthUser;
  let manager: AuthUser;
  let fixture: { fund: string; meeting: string };

  beforeAll(async () => {
    m = await createMediumModule(ReportsModule);
    service = m.module.get(ReportsService);
    [owner, manager] = await Promise.all([m.user(Role.Member), m.user(Role.Manager)]);
    fixture = await m.seed((em) => {
      const fund = fundFactory(em, {
        name: 'Fund II',
        status: FundStatus.Raising,
        currency: 'USD',
        targetAmount: 10_000_000,
      });
      fundFactory(em, { name: 'Fund I', status: FundStatus.Closed });
      const by = em.getReference(User, owner.id);
      lpProfileFactory(em, { fund, commitmentAmount: 3_000_000, fundedAmount: 1_000_000 });
      lpProfileFactory(em, { fund, commitmentAmount: 500_000, fundedAmount: 500_000, currency: 'EUR' });
      const meeting = opportunityFactory(em, {
        fund,
        owner: by,
        stage: OpportunityStage.Meeting,
        expectedAmount: 1_000_000,
      });
      opportunityFactory(em, {
        fund,
        owner: by,
        stage: OpportunityStage.Committed,
        expectedAmount: 2_000_000,
        priority: Priority.High,
      });
      opportunityFactory(em, { fund, stage: OpportunityStage.Lost, expectedAmount: 5_000_000 });
      opportunityFactory(em, {
        fund,
        stage: OpportunityStage.Meeting,
        expectedAmount: 7_000_000,
        deletedAt: new Date(),
      });
      opportunityFactory(em, { stage: OpportunityStage.Outreach, expectedAmount: 100 });
      communicationFactory(em, { contact: contactFactory(em), subject: 'Intro' });
      communicationFactory(em, { contact: contactFactory(em, { deletedAt: new Date() }), subject: 'Hidden' });
      return { fund: fund.id, meeting: meeting.id };
    });
  });
  afterAll(() => m.close());

  const stage = (
    groups: { key: string | null; count: number; totals: { expected: number }[] }[],
    key: string,
  ) => {
    const g = groups.find((x) => x.key === key)!;
    return [g.count, g.totals.map((t) => t.expected)];
  };

  it('the dashboard is about the raising fund, with its LP totals, open pipeline and the global counts', async () => {
    const d = await m.as(owner, () => service.dashboard(undefined));
    expect(d.fund).toMatchObject({ id: fixture.fund, name: 'Fund II', targetAmount: 10_000_000 });
    expect(d.kpis).toEqual({
      lps: 2,
      committed: [
        { currency: 'EUR', amount: 500_000 },
        { currency: 'USD', amount: 3_000_000 },
      ],
      funded: [
        { currency: 'EUR', amount: 500_000 },
        { currency: 'USD', amount: 1_000_000 },
      ],
      pipeline: [{ currency: 'USD', amount: 3_000_000 }],
      weightedPipeline: [{ currency: 'USD', amount: 2_150_000 }],
      activeOpportunities: 3,
      prospects: 1,
      lpsAllFunds: 2,
      communicationsThisMonth: 1,
    });
    expect(stage(d.pipelineByStage, 'meeting')).toEqual([1, [1_000_000]]);
    expect(stage(d.pipelineByStage, 'lost')).toEqual([1, [5_000_000]]);
    expect(stage(d.pipelineByStage, 'lead')).toEqual([0, []]);
    expect(d.recentCommunications.map((c) => c.subject)).toEqual(['Intro']);
  });

  it('figures follow a soft delete and a restore (totals kept by triggers on opportunities)', async () => {
    const setDeleted = async (deleted: boolean) => {
      const em = m.em();
      const opp = await em.findOneOrFail(Opportunity, fixture.meeting);
      opp.deletedAt = deleted ? new Date() : null;
      await em.flush();
    };
    await setDeleted(true);
    const after = await m.as(owner, () => service.dashboard(fixture.fund));
    expect(after.kpis).toMatchObject({
      pipeline: [{ currency: 'USD', amount: 2_000_000 }],
      weightedPipeline: [{ currency: 'USD', amount: 1_800_000 }],
      activeOpportunities: 2,
    });
    expect(stage(after.pipelineByStage, 'meeting')).toEqual([0, []]);
    await setDeleted(false);
    expect((await m.as(owner, () => service.dashboard(fixture.fund))).kpis.activeOpportunities).toBe(3);
  });

  it('the pipeline report groups the fund’s live deals by stage, owner and priority', async () => {
    const p = await m.as(owner, () => service.pipeline(fixture.fund));
    expect(p.fund).toEqual({ id: fixture.fund, name: 'Fund II' });
    // Owners as found (by id, labelled with the full name); deals without one are "Unassigned".
    expect(p.byOwner).toHaveLength(2);
    expect(p.byOwner.map((g) => [g.key, g.count])).toEqual(
      expect.arrayContaining([
        [owner.id, 2],
        [null, 1],
      ]),
    );
    expect(p.byOwner.find((g) => g.key === null)?.label).toBe('Unassigned');
    expect(p.byPriority.map((g) => [g.key, g.count])).toEqual([
      ['high', 1],
      ['medium', 2],
      ['low', 0],
    ]);
    expect(stage(p.byStage, 'committed')).toEqual([1, [2_000_000]]);
  });

  it('an unknown fund is a 400 naming fundId', async () => {
    await expect(
      m.as(owner, () => service.pipeline('00000000-0000-4000-8000-000000000000')),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'fundId' })],
    });
  });

  it('a CSV download is an export: managers only, recorded in the audit log with its parameters', async () => {
    const compute = () => service.pipeline(fixture.fund);
    await expect(
      m.as(owner, () => service.exportOrAnswer(owner, 'pipeline', { format: 'csv' }, compute)),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // Answering as JSON is not an export.
    await m.as(owner, () => service.exportOrAnswer(owner, 'pipeline', {}, compute));
    await m.as(manager, () =>
      service.exportOrAnswer(manager, 'pipeline', { format: 'csv', fundId: fixture.fund } as never, compute),
    );
    const rows = await m.auditOf('report', null);
    expect(rows.map((r) => [r.action, r.actorUserId, r.meta])).toEqual([
      ['export', manager.id, { report: 'pipeline', format: 'csv', filters: { fundId: fixture.fund } }],
    ]);
  });
});
