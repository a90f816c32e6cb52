import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../../src/common/auth/role.js';
import {
  communicationFactory,
  contactFactory,
  fundFactory,
  lpProfileFactory,
  opportunityFactory,
} from '../../src/database/factories/index.js';
import { OpportunityStage } from '../../src/modules/opportunities/opportunity.entity.js';
import { createUser } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { adminAgent } from './admin-helpers.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe('back office home page and list orders', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  it('sums the open pipeline per currency, and lists only next actions of live records', async () => {
    const em = t.orm.em.fork();
    const fund = fundFactory(em);
    const deal = (stage: OpportunityStage, expectedAmount: number | null, currency = 'USD') =>
      opportunityFactory(em, { fund, stage, expectedAmount, currency });
    deal(OpportunityStage.Meeting, 10_000_000);
    deal(OpportunityStage.DueDiligence, 2_500_000.5);
    deal(OpportunityStage.Lead, 3_000_000, 'EUR');
    deal(OpportunityStage.Outreach, null);
    deal(OpportunityStage.Funded, 50_000_000);
    deal(OpportunityStage.Lost, 7_000_000);
    const gone = deal(OpportunityStage.Meeting, 1_000_000);
    gone.deletedAt = new Date();
    const live = contactFactory(em);
    const deleted = contactFactory(em, { deletedAt: new Date() });
    communicationFactory(em, { contact: live, nextAction: 'Send the deck', nextActionDate: inDays(2) });
    communicationFactory(em, {
      contact: deleted,
      nextAction: 'Call the deleted one',
      nextActionDate: inDays(1),
    });
    communicationFactory(em, { contact: live, nextAction: 'Already past', nextActionDate: inDays(-1) });
    await em.flush();

    const agent = await adminAgent(t, await createUser(t, Role.Member));
    const res = await agent.get('/admin/api/dashboard').expect(200);
    const pipeline = [...res.body.report.kpis.pipeline].sort((a, b) => b.amount - a.amount);
    expect(pipeline).toEqual([
      { currency: 'USD', amount: 12_500_000.5 },
      { currency: 'EUR', amount: 3_000_000 },
    ]);
    // Overdue first, then what is due; never the next action of a deleted contact.
    expect(
      res.body.report.nextActions.map((a: { nextAction: string; overdue: boolean }) => [
        a.nextAction,
        a.overdue,
      ]),
    ).toEqual([
      ['Already past', true],
      ['Send the deck', false],
    ]);
  });

  it('lists LP profiles largest commitment first, as the API does', async () => {
    const em = t.orm.em.fork();
    const fund = fundFactory(em);
    for (const commitmentAmount of [5_000_000, 20_000_000, 10_000_000])
      lpProfileFactory(em, { fund, commitmentAmount });
    await em.flush();
    const agent = await adminAgent(t, await createUser(t, Role.Member));
    const res = await agent.get('/admin/api/resources/LpProfile/actions/list').expect(200);
    const amounts = (res.body.records as { params: { commitmentAmount: number } }[]).map((r) =>
      Number(r.params.commitmentAmount),
    );
    expect(amounts).toEqual([20_000_000, 10_000_000, 5_000_000]);
  });

  it('shows a fund’s raise on its page: committed against the target, funded, open and weighted pipeline', async () => {
    const em = t.orm.em.fork();
    const fund = fundFactory(em, { targetAmount: 100_000_000 });
    lpProfileFactory(em, { fund, commitmentAmount: 30_000_000, fundedAmount: 10_000_000 });
    lpProfileFactory(em, { fund, commitmentAmount: 20_000_000, fundedAmount: 20_000_000 });
    opportunityFactory(em, {
      fund,
      stage: OpportunityStage.Meeting,
      expectedAmount: 10_000_000,
      probability: 35,
    });
    opportunityFactory(em, { fund, stage: OpportunityStage.Lost, expectedAmount: 5_000_000 });
    await em.flush();
    const agent = await adminAgent(t, await createUser(t, Role.Member));
    const res = await agent.get(`/admin/api/resources/Fund/records/${fund.id}/show`).expect(200);
    expect(JSON.parse(res.body.record.params.summary as string)).toEqual({
      committedTotal: 50_000_000,
      fundedTotal: 30_000_000,
      lpCount: 2,
      openOpportunities: 1,
      pipelineExpected: 10_000_000,
      pipelineWeighted: 3_500_000,
      softCircledTotal: 0,
      softCircledOpportunities: 0,
      otherCurrencies: [],
    });
    // The related-record counts still come with it (both after-hooks run).
    expect(JSON.parse(res.body.record.params.related as string)).toEqual([
      expect.objectContaining({ label: 'Opportunities', count: 2 }),
      expect.objectContaining({ label: 'LP Profiles', count: 2 }),
    ]);
  });
});
