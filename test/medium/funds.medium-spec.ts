import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { lpProfileFactory, opportunityFactory } from '../../src/database/factories/index.js';
import { ListFundsQueryDto } from '../../src/modules/funds/dto/fund.dto.js';
import { Fund, FundStatus } from '../../src/modules/funds/fund.entity.js';
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

  it('a rename to another fund’s name is refused ignoring case; to its own name in another case it is not', async () => {
    const fund = await create({ name: 'Opportunity Fund' });
    const other = await create({ name: 'Other Fund' });
    await expect(
      m.as(admin, () => service.update(other.id, { name: 'opportunity FUND' })),
    ).rejects.toMatchObject({
      code: 'FUND_EXISTS',
      details: [expect.objectContaining({ field: 'name' })],
    });
    const recased = await m.as(admin, () => service.update(fund.id, { name: 'Opportunity FUND' }));
    expect(recased.name).toBe('Opportunity FUND');
  });

  it('PUT replaces the fund (left-out fields back to their defaults), PATCH changes only what is sent', async () => {
    const fund = await create({
      name: 'Venture III',
      targetAmount: 300_000_000,
      vintageYear: 2027,
      currency: 'EUR',
    });
    const put = await m.as(admin, () => service.replace(fund.id, { name: 'Venture 3' }));
    expect(put).toMatchObject({
      name: 'Venture 3',
      targetAmount: null,
      vintageYear: null,
      currency: 'USD',
      status: 'raising',
    });
    const patch = await m.as(admin, () =>
      service.update(fund.id, { targetAmount: 5_000, vintageYear: 2028 }),
    );
    expect(patch).toMatchObject({
      name: 'Venture 3',
      targetAmount: 5_000,
      vintageYear: 2028,
      status: 'raising',
    });
  });

  it('lists by name by default; filters by status, searches the name (LIKE characters literal), sorts and pages', async () => {
    await create({ name: 'Growth Fund 2030', vintageYear: 2030, status: FundStatus.Closed });
    await create({ name: 'Seed Fund 1990', vintageYear: 1990, status: FundStatus.Closed });
    const names = async (values: Partial<ListFundsQueryDto>) =>
      (await m.as(admin, () => service.list(Object.assign(new ListFundsQueryDto(), values)))).data.map(
        (f) => f.name,
      );
    expect(await names({ status: FundStatus.Closed, sort: 'vintageYear' })).toEqual([
      'Seed Fund 1990',
      'Growth Fund 2030',
    ]);
    expect(await names({ status: FundStatus.Closed, sort: 'vintageYear', order: 'desc' })).toEqual([
      'Growth Fund 2030',
      'Seed Fund 1990',
    ]);
    expect(await names({ search: 'OWTH' })).toEqual(['Growth Fund 2030']);
    expect(await names({ search: '%' })).toEqual([]);
    const all = await names({});
    expect(all).toEqual([...all].sort());
    const page = await m.as(admin, () =>
      service.list(Object.assign(new ListFundsQueryDto(), { limit: 2, offset: 1 })),
    );
    expect([page.total, page.data.map((f) => f.name)]).toEqual([all.length, all.slice(1, 3)]);
  });

  it('sums to the cent: amounts with cents, an opportunity without an amount, a deleted one left out; the list alike', async () => {
    const fund = await create({ name: 'Summary Fund' });
    await m.seed((em) => {
      const f = em.getReference(Fund, fund.id);
      lpProfileFactory(em, { fund: f, commitmentAmount: 1_000_000.25, fundedAmount: 250_000 });
      lpProfileFactory(em, { fund: f, commitmentAmount: 500_000, fundedAmount: 500_000 });
      opportunityFactory(em, { fund: f, stage: OpportunityStage.Lead, expectedAmount: 1_000_000 }); // 10 %
      opportunityFactory(em, {
        fund: f,
        stage: OpportunityStage.DueDiligence,
        expectedAmount: 2_000_000.5,
        probability: 75,
      }); // 1,500,000.375
      opportunityFactory(em, { fund: f, stage: OpportunityStage.Meeting, expectedAmount: null });
      opportunityFactory(em, {
        fund: f,
        stage: OpportunityStage.Committed,
        expectedAmount: 3_000_000,
        commitmentAmount: 2_500_000,
      });
      opportunityFactory(em, { fund: f, stage: OpportunityStage.Committed, deletedAt: new Date() });
    });
    const expected = {
      committedTotal: 1_500_000.25,
      fundedTotal: 750_000,
      lpCount: 2,
      openOpportunities: 4,
      pipelineExpected: 6_000_000.5,
      pipelineWeighted: 4_300_000.38,
      softCircledTotal: 2_500_000,
      softCircledOpportunities: 1,
      otherCurrencies: [],
    };
    expect((await m.as(admin, () => service.get(fund.id))).summary).toEqual(expected);
    const listed = await m.as(admin, () =>
      service.list(Object.assign(new ListFundsQueryDto(), { search: 'Summary Fund' })),
    );
    expect(listed.data[0].summary).toEqual(expected);
  });

  it('soft-circles a committed opportunity at its expected amount when it has no commitment, per currency', async () => {
    const fund = await create({ name: 'Sterling Fund' });
    await m.seed((em) =>
      opportunityFactory(em, {
        fund: em.getReference(Fund, fund.id),
        stage: OpportunityStage.Committed,
        currency: 'GBP',
        expectedAmount: 3_000_000,
        probability: 90,
      }),
    );
    const { summary } = await m.as(admin, () => service.get(fund.id));
    expect(summary).toMatchObject({ softCircledTotal: 0, softCircledOpportunities: 1, pipelineExpected: 0 });
    expect(summary.otherCurrencies).toEqual([
      {
        currency: 'GBP',
        committed: 0,
        funded: 0,
        pipelineExpected: 3_000_000,
        pipelineWeighted: 2_700_000,
        softCircled: 3_000_000,
      },
    ]);
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
    // Even a deleted opportunity keeps its fund: it can be restored.
    await expect(m.as(admin, () => service.remove(used.id))).rejects.toMatchObject({
      code: 'FUND_IN_USE',
      details: { opportunities: 1, lpProfiles: 0 },
    });
    expect(await m.em().count(Fund, { id: used.id })).toBe(1);

    const unused = await create({ name: 'Fund V' });
    await m.as(admin, () => service.remove(unused.id));
    expect(await m.em().count(Fund, { id: unused.id })).toBe(0);
    expect((await m.auditOf('fund', unused.id)).map((a) => a.action)).toEqual(['create', 'delete']);
  });
});
