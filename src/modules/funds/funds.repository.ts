import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';

import type { Total } from '../../common/dto/paging.dto.js';
import { readRecordRow } from '../../common/utils/record-rows.js';
import { escapeLike, rowsWithTotal, runQuery } from '../../common/utils/sql.js';
import { OpportunityStage } from '../opportunities/opportunity.entity.js';
import { emptySummary, type FundCurrencyTotalsDto, type FundSummaryDto } from './dto/fund.dto.js';
import type { FUND_SORTS, ListFundsQueryDto } from './dto/fund.dto.js';
import type { FundStatus } from './fund.entity.js';

/** One fund as every fund response is built from it (the summary is read apart, see summaries). */
export interface FundRow {
  id: string;
  name: string;
  /** numeric(15,2) as text, as the driver reads it. */
  targetAmount: string | null;
  currency: string;
  vintageYear: number | null;
  status: FundStatus;
  createdAt: string;
  updatedAt: string;
}

const FUND_COLUMNS = `f.id, f.name, f.target_amount as "targetAmount", f.currency, f.vintage_year as "vintageYear",
  f.status, f.created_at as "createdAt", f.updated_at as "updatedAt"`;

/** SQL column behind each `sort=`; the id breaks ties. */
const SORT_COLUMNS: Record<(typeof FUND_SORTS)[number], string> = {
  name: 'f.name',
  vintageYear: 'f.vintage_year',
  createdAt: 'f.created_at',
};

/** Stages whose opportunities are no longer pipeline: the money is in (funded) or will not come (lost). */
const CLOSED_STAGES = [OpportunityStage.Funded, OpportunityStage.Lost];

interface LpTotalsRow {
  fund_id: string;
  currency: string;
  committed: string;
  funded: string;
  n: string;
}

interface PipelineTotalsRow {
  fund_id: string;
  currency: string;
  expected: string | null;
  weighted: string | null;
  n: string;
  soft: string;
  soft_n: string;
}

/** The fund list, detail and the answers of writes, read as plain rows; their summaries in grouped queries. */
@Injectable()
export class FundsRepository {
  constructor(private readonly em: EntityManager) {}

  /** One page of rows in the asked order and the total (counted as `count` asks), in one statement. */
  list(query: ListFundsQueryDto): Promise<{ rows: FundRow[]; total: Total }> {
    const direction = query.order ?? 'asc';
    const order = [
      { column: SORT_COLUMNS[query.sort ?? 'name'], order: direction },
      { column: 'f.id', order: direction },
    ];
    // A fund table holds a handful of rows: no index is worth more than the scan here.
    const matching = this.where(query);
    const page = matching
      .clone()
      .select(this.em.getKnex().raw(FUND_COLUMNS))
      .orderBy(order)
      .limit(query.limit)
      .offset(query.offset);
    return rowsWithTotal<FundRow>(this.em, page, matching, query);
  }

  /** The list's filters: the matching rows of `funds` aliased `f`. */
  where(query: Omit<ListFundsQueryDto, 'limit' | 'offset'>): Knex.QueryBuilder {
    const rows = this.em.getKnex()({ f: 'funds' });
    if (query.status) void rows.where('f.status', query.status);
    if (query.search) void rows.whereILike('f.name', `%${escapeLike(query.search)}%`);
    return rows;
  }

  /** One fund's row, or undefined. */
  row(id: string): Promise<FundRow | undefined> {
    // Not soft-deletable: "deleted too" is simply by id.
    return readRecordRow<FundRow>(this.em, this.select(), 'f', id, true);
  }

  /** The id of the fund named `name` (ignoring case), other than `exceptId`, if there is one. */
  async named(name: string, exceptId?: string): Promise<string | undefined> {
    const knex = this.em.getKnex();
    const query = knex('funds').select('id').whereRaw('lower(name) = ?', [name.toLowerCase()]).limit(1);
    if (exceptId) void query.whereNot('id', exceptId);
    const [found] = await runQuery<{ id: string }>(this.em, query);
    return found?.id;
  }

  /**
   * LP totals and open pipeline per fund and currency: two grouped queries, whatever the number of funds.
   * Amounts in the fund's currency make the totals; any other currency is kept apart (never added).
   */
  async summaries(funds: readonly FundRow[]): Promise<Map<string, FundSummaryDto>> {
    if (funds.length === 0) return new Map();
    const ids = funds.map((f) => f.id);
    const knex = this.em.getKnex();
    const [lps, pipeline] = await Promise.all([
      runQuery<LpTotalsRow>(
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
      runQuery<PipelineTotalsRow>(
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
    return summarize(funds, lps, pipeline);
  }

  private select(): Knex.QueryBuilder {
    const knex = this.em.getKnex();
    return knex({ f: 'funds' }).select(knex.raw(FUND_COLUMNS));
  }
}

/** The summaries of `funds` from their grouped LP and pipeline totals (each ordered by currency). */
function summarize(
  funds: readonly FundRow[],
  lps: LpTotalsRow[],
  pipeline: PipelineTotalsRow[],
): Map<string, FundSummaryDto> {
  const result = new Map<string, FundSummaryDto>(funds.map((f) => [f.id, emptySummary()]));
  const currencyOf = new Map(funds.map((f) => [f.id, f.currency]));
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
