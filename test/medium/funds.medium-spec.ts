import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { lpProfileFactory, opportunityFactory } from '../../src/database/factories/index.js';
import { Fund } from '../../src/modules/funds/fund.entity.js';
import { FundsModule } from '../../src/modules/funds/funds.module.js';
import { FundsService } from '../../src/modules/funds/funds.service.js';
import { OpportunityStage } from '../../src/modules/opportunities/opportunity.entity.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

describe('FundsService on PostgreSQL', () => {
  let m: MediumModule;
  let service: FundsService;
  let admin: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(FundsModule);
    service = m.module.get(FundsService);
    admin = await m.user(Role.Admin);
  });
  afterAll(() => m.close());

  const create = (body: Parameters<FundsService['create']>[0]) => m.as(admin, () => service.create(body));

  it('creates a raising USD fund by default, audited; a name is unique ignoring case', async () => {
    const fund = await create({ name: 'Fund II', targetAmount: 120_000_000 });
    expect(fund).toMatchObject({
      name: 'Fund II',
      currency: 'USD',
      status: 'raising',
      targetAmount: 120_000_000,
    });
    expect((await m.auditOf('fund', fund.id)).map((a) => [a.action, a.actorUserId])).toEqual([
      ['create', admin.id],
    ]);
    await expect(create({ name: 'fund ii' })).rejects.toMatchObject({ code: 'FUND_EXISTS' });
    expect(await m.em().count(Fund, { name: { $ilike: 'fund ii' } })).toBe(1);
  });

  it('sums LPs and the open pipeline: weighted by probability, soft-circled = committed stage, other currencies apart', async () => {
    const fund = await create({ name: 'Fund III' });
    await m.seed((em) => {
      const f = em.getReference(Fund, fund.id);
      lpProfileFactory(em, { fund: f, commitmentAmount: 5_000_000, fundedAmount: 2_000_000 });
      lpProfileFactory(em, { fund: f, commitmentAmount: 1_000_000, fundedAmount: 0, currency: 'EUR' });
      // Open: 1M at 35 % and 2M committed (commitment 1.5M) at 90 %; EUR kept apart.
      opportunityFactory(em, { fund: f, stage: OpportunityStage.Meeting, expectedAmount: 1_000_000 });
      opportunityFactory(em, {
        fund: f,
        stage: OpportunityStage.Committed,
        expectedAmount: 2_000_000,
        commitmentAmount: 1_500_000,
      });
      opportunityFactory(em, { fund: f, stage: OpportunityStage.Lead, expectedAmount: 300, currency: 'EUR' });
      // Not pipeline: funded, lost, deleted.
      opportunityFactory(em, { fund: f, stage: OpportunityStage.Funded, expectedAmount: 9_000_000 });
      opportunityFactory(em, { fund: f, stage: OpportunityStage.Lost, expectedAmount: 9_000_000 });
      opportunityFactory(em, { fund: f, expectedAmount: 9_000_000, deletedAt: new Date() });
    });
    const { summary } = await m.as(admin, () => service.get(fund.id));
    expect(summary).toMatchObject({
      lpCount: 2,
      committedTotal: 5_000_000,
      fundedTotal: 2_000_000,
      openOpportunities: 3,
      pipelineExpected: 3_000_000,
      pipelineWeighted: 2_150_000,
      softCircledTotal: 1_500_000,
      softCircledOpportunities: 1,
    });
    expect(summary.otherCurrencies).toEqual([
      {
        currency: 'EUR',
        committed: 1_000_000,
        funded: 0,
        pipelineExpected: 300,
        pipelineWeighted: 30,
        softCircled: 0,
      },
    ]);
  });

  it('refuses to remove a fund still referenced, and removes an unused one for good', async () => {
    const used = await create({ name: 'Fund IV' });
    await m.seed((em) =>
      opportunityFactory(em, { fund: em.getReference(Fund, used.id), deletedAt: new Date() }),
    );
    await expect(m.as(admin, () => service.remove(used.id))).rejects.toMatchObject({ code: 'FUND_IN_USE' });

    const unused = await create({ name: 'Fund V' });
    await m.as(admin, () => service.remove(unused.id));
    expect(await m.em().count(Fund, { id: unused.id })).toBe(0);
    expect((await m.auditOf('fund', unused.id)).map((a) => a.action)).toEqual(['create', 'delete']);
  });
});
