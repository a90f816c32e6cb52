import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, raw } from '@mikro-orm/postgresql';

import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';
import { orderBy } from '../../common/dto/sort.js';
import { assignFields } from '../../common/entities/fields.js';
import { NotFoundError } from '../../common/errors/index.js';
import { escapeLike, runQuery } from '../../common/utils/sql.js';
import { LpProfile } from '../lp-profiles/lp-profile.entity.js';
import { Opportunity, OpportunityStage } from '../opportunities/opportunity.entity.js';
import {
  type CreateFundDto,
  emptySummary,
  type FundCurrencyTotalsDto,
  FundResponseDto,
  type FundSummaryDto,
  type ListFundsQueryDto,
  type UpdateFundDto,
} from './dto/fund.dto.js';
import { Fund, FundStatus } from './fund.entity.js';
import { FundExistsError, FundInUseError } from './funds.errors.js';

/** Stages whose opportunities are no longer pipeline: the money is in (funded) or will not come (lost). */
const CLOSED_STAGES = [OpportunityStage.Funded, OpportunityStage.Lost];

/** Fields a PUT replaces (absent ones are cleared to these) and a PATCH may set; null clears. */
const OPTIONAL_FIELDS = {
  targetAmount: null,
  currency: 'USD',
  vintageYear: null,
  status: FundStatus.Raising,
};

@Injectable()
export class FundsService {
  constructor(private readonly em: EntityManager) {}

  async list(query: ListFundsQueryDto): Promise<ListResponse<FundResponseDto>> {
    const where: FilterQuery<Fund> = {};
    if (query.status) where.status = query.status;
    if (query.search) where.name = { $ilike: `%${escapeLike(query.search)}%` };
    // A fund table holds a handful of rows: no index is worth more than the scan here.
    const [funds, total] = await findAndCountTotal(this.em, Fund, () => where, query, {
      orderBy: orderBy(query.sort ?? 'name', query.order, {}),
    });
    const summaries = await this.summaries(funds);
    return listResponse(
      funds.map((f) => FundResponseDto.from(f, summaries.get(f.id))),
      total,
      query,
    );
  }

  async get(id: string): Promise<FundResponseDto> {
    const fund = await this.find(id);
    return FundResponseDto.from(fund, (await this.summaries([fund])).get(id));
  }

  async create(dto: CreateFundDto): Promise<FundResponseDto> {
    await this.assertNameFree(dto.name);
    const fund = this.em.create(Fund, {
      name: dto.name,
      targetAmount: dto.targetAmount ?? null,
      currency: dto.currency ?? 'USD',
      vintageYear: dto.vintageYear ?? null,
      status: dto.status ?? FundStatus.Raising,
    });
    await this.em.flush();
    return FundResponseDto.from(fund);
  }

  async replace(id: string, dto: CreateFundDto): Promise<FundResponseDto> {
    const fund = await this.find(id);
    await this.assertNameFree(dto.name, id);
    fund.name = dto.name;
    assignFields(fund, dto, OPTIONAL_FIELDS, true);
    await this.em.flush();
    return this.get(id);
  }

  async update(id: string, dto: UpdateFundDto): Promise<FundResponseDto> {
    const fund = await this.find(id);
    if (dto.name !== undefined) {
      await this.assertNameFree(dto.name, id);
      fund.name = dto.name;
    }
    assignFields(fund, dto, OPTIONAL_FIELDS, false);
    await this.em.flush();
    return this.get(id);
  }

  /** Only an unused fund can go: opportunities (even deleted ones) and LP profiles keep it. */
  async remove(id: string): Promise<void> {
    const fund = await this.find(id);
    const [opportunities, lpProfiles] = await Promise.all([
      this.em.count(Opportunity, { fund: id }),
      this.em.count(LpProfile, { fund: id }),
    ]);
    if (opportunities > 0 || lpProfiles > 0) throw new FundInUseError(fund.name, opportunities, lpProfiles);
    this.em.remove(fund);
    await this.em.flush();
  }

  async find(id: string): Promise<Fund> {
    const fund = await this.em.findOne(Fund, id);
    if (!fund) throw new NotFoundError('Fund', id);
    return fund;
  }

  private async assertNameFree(name: string, exceptId?: string): Promise<void> {
    const where: FilterQuery<Fund> = { [raw('lower(name)')]: name.toLowerCase() };
    if (exceptId) where.id = { $ne: exceptId };
    if (await this.em.findOne(Fund, where)) throw new FundExistsError();
  }

  /**
   * LP totals and open pipeline per fund and currency: two grouped queries, whatever the number of funds.
   * Amounts in the fund's currency make the totals; any other currency is kept apart (never added).
   */
  private async summaries(funds: Fund[]): Promise<Map<string, FundSummaryDto>> {
    const result = new Map<string, FundSummaryDto>(funds.map((f) => [f.id, emptySummary()]));
    if (funds.length === 0) return result;
    const ids = funds.map((f) => f.id);
    const currencyOf = new Map(funds.map((f) => [f.id, f.currency]));
    const knex = this.em.getKnex();
    const [lps, pipeline] = await Promise.all([
      runQuery<{ fund_id: string; currency: string; committed: string; funded: string; n: string }>(
        this.em,
        knex('lp_profiles')
          .select(
            'fund_id',
            'currency',
            knex.raw('sum(commitment_amount) as committed, sum(funded_amount) as funded, count(*) as n'),
          )
          .whereIn('fund_id', ids)
          .groupBy('fund_id', 'currency')
          .orderBy('currency'),
      ),
      runQuery<{
        fund_id: string;
        currency: string;
        expected: string | null;
        weighted: string | null;
        n: string;
        soft: string;
        soft_n: string;
      }>(
        this.em,
        knex('opportunities')
          .select(
            'fund_id',
            'currency',
            knex.raw(
              `coalesce(sum(expected_amount), 0) as expected,
               round(coalesce(sum(expected_amount * probability), 0) / 100, 2) as weighted, count(*) as n,
               coalesce(sum(coalesce(commitment_amount, expected_amount)) filter (where stage = ?), 0) as soft,
               count(*) filter (where stage = ?) as soft_n`,
              [OpportunityStage.Committed, OpportunityStage.Committed],
            ),
          )
          .whereIn('fund_id', ids)
          .whereNull('deleted_at')
          .whereNotIn('stage', CLOSED_STAGES)
          .groupBy('fund_id', 'currency')
          .orderBy('currency'),
      ),
    ]);
    /** The totals of `currency` in a fund's summary: its own currency's, or an entry of otherCurrencies. */
    const totalsOf = (fundId: string, currency: string): FundCurrencyTotalsDto | undefined => {
      if (currency === currencyOf.get(fundId)) return undefined;
      const others = result.get(fundId)!.otherCurrencies;
      let totals = others.find((o) => o.currency === currency);
      if (!totals) {
        totals = {
          currency,
          committed: 0,
          funded: 0,
          pipelineExpected: 0,
          pipelineWeighted: 0,
          softCircled: 0,
        };
        others.push(totals);
        others.sort((a, b) => a.currency.localeCompare(b.currency));
      }
      return totals;
    };
    for (const row of lps) {
      const s = result.get(row.fund_id)!;
      s.lpCount += Number(row.n);
      const other = totalsOf(row.fund_id, row.currency);
      if (other) Object.assign(other, { committed: Number(row.committed), funded: Number(row.funded) });
      else Object.assign(s, { committedTotal: Number(row.committed), fundedTotal: Number(row.funded) });
    }
    for (const row of pipeline) {
      const s = result.get(row.fund_id)!;
      s.openOpportunities += Number(row.n);
      s.softCircledOpportunities += Number(row.soft_n);
      const amounts = {
        expected: Number(row.expected),
        weighted: Number(row.weighted),
        soft: Number(row.soft),
      };
      const other = totalsOf(row.fund_id, row.currency);
      if (other) {
        Object.assign(other, {
          pipelineExpected: amounts.expected,
          pipelineWeighted: amounts.weighted,
          softCircled: amounts.soft,
        });
      } else {
        Object.assign(s, {
          pipelineExpected: amounts.expected,
          pipelineWeighted: amounts.weighted,
          softCircledTotal: amounts.soft,
        });
      }
    }
    return result;
  }
}
