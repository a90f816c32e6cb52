import { Injectable } from '@nestjs/common';

import { ValidationError } from '../../common/errors/index.js';
import { money } from '../../common/utils/record-rows.js';
import { OpportunityStage, STAGE_ORDER } from '../opportunities/opportunity.entity.js';
import type { PipelineAnalyticsQueryDto } from './dto/report-query.dto.js';
import type { FundProgressDto, PipelineAnalyticsDto } from './dto/report-response.dto.js';
import {
  type ClosedRow,
  type FurthestRow,
  type LostReasonRow,
  type OpenDealsRow,
  PipelineAnalyticsRepository,
  type StageDaysRow,
} from './pipeline-analytics.repository.js';
import { ReportCache } from './report-cache.js';
import { fundSummary, ratio } from './report-rows.js';
import { type FundRow, NO_ROWS, ReportsRepository } from './reports.repository.js';
import { NO_SUCH_FUND, ReportsService, utcDay } from './reports.service.js';

/** The stages a deal moves through to be won, in order (lost is the way out, not a step). */
const FUNNEL: OpportunityStage[] = STAGE_ORDER.filter((s) => s !== OpportunityStage.Lost);
const OPEN_FUNNEL = FUNNEL.filter((s) => s !== OpportunityStage.Funded);

const numberOrNull = (value: string | null | undefined): number | null =>
  value === null || value === undefined ? null : Number(value);

/** Re-up targets listed: the largest earlier commitments first. */
const RE_UP_LIMIT = 100;

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** Analytics read from stage history, and a fund's progress toward its target. */
@Injectable()
export class PipelineAnalyticsService {
  constructor(
    private readonly analytics: PipelineAnalyticsRepository,
    private readonly repository: ReportsRepository,
    private readonly reports: ReportsService,
    private readonly cache: ReportCache,
  ) {}

  /**
   * Kept between changes (ReportCache): computing reads every visit of a stage in the window, and the figures
   * change only when deals, stage history or funds do.
   */
  async pipelineAnalytics(query: PipelineAnalyticsQueryDto, now = new Date()): Promise<PipelineAnalyticsDto> {
    const to = query.to ?? utcDay(now);
    if (query.from && query.from > to) throw ValidationError.field('from', `must not be after to (${to})`);
    const key = JSON.stringify([query.fundId ?? null, query.from ?? null, to]);
    return this.cache.report('pipeline-analytics', key, () => this.computeAnalytics(query, to));
  }

  private async computeAnalytics(
    query: PipelineAnalyticsQueryDto,
    to: string,
  ): Promise<PipelineAnalyticsDto> {
    const window = {
      from: query.from ? `${query.from}T00:00:00Z` : '-infinity',
      to: `${utcDay(new Date(`${to}T00:00:00Z`), 1)}T00:00:00Z`,
    };
    const a = this.analytics;
    const { funds, stageDays, furthest, closed, open, lostReasons } = await this.repository.together<{
      funds: FundRow[];
      stageDays: StageDaysRow[];
      furthest: FurthestRow[];
      closed: ClosedRow[];
      open: OpenDealsRow[];
      lostReasons: LostReasonRow[];
    }>({
      funds: query.fundId ? this.repository.fundSql(query.fundId) : NO_ROWS,
      stageDays: a.stageDaysSql(query.fundId, window),
      furthest: a.furthestStagesSql(query.fundId, window),
      closed: a.closedSql(query.fundId, window),
      open: a.openDealsSql(query.fundId),
      lostReasons: a.lostReasonsSql(query.fundId, window),
    });
    const [fund] = funds;
    if (query.fundId && !fund) throw ValidationError.field('fundId', NO_SUCH_FUND);
    // Deals that reached a stage or any later one: a deal that skipped a stage still passed it.
    const atLeast = (stage: OpportunityStage): number =>
      furthest
        .filter((f) => FUNNEL.indexOf(f.stage as OpportunityStage) >= FUNNEL.indexOf(stage))
        .reduce((n, f) => n + f.deals, 0);
    const won = closed.reduce((n, c) => n + c.won, 0);
    const lost = closed.reduce((n, c) => n + c.lost, 0);
    const winRate = ratio(won, won + lost);
    const wonDays = closed.reduce((n, c) => n + Number(c.wonDays ?? 0), 0);
    const cycleDays = won > 0 ? wonDays / won : null;
    return {
      fund: fund && { id: fund.id, name: fund.name },
      from: query.from ?? null,
      to,
      daysPerStage: OPEN_FUNNEL.map((stage) => {
        const row = stageDays.find((d) => d.stage === (stage as string));
        return {
          stage,
          visits: row?.visits ?? 0,
          medianDays: numberOrNull(row?.medianDays),
          meanDays: numberOrNull(row?.meanDays),
        };
      }),
      conversion: FUNNEL.slice(0, -1).map((from, i) => {
        const reached = atLeast(from);
        const converted = atLeast(FUNNEL[i + 1]);
        return { from, to: FUNNEL[i + 1], reached, converted, rate: ratio(converted, reached) };
      }),
      won,
      lost,
      winRate,
      averageCycleDays: cycleDays === null ? null : round2(cycleDays),
      velocity: open.map(({ currency, deals }) => {
        const c = closed.find((r) => r.currency === currency);
        const averageWonAmount = c && c.won > 0 ? round2(money(c.wonAmount) / c.won) : null;
        // The exact win rate, not the rounded one shown.
        const perDay =
          averageWonAmount !== null && cycleDays
            ? round2((deals * (won / (won + lost)) * averageWonAmount) / cycleDays)
            : null;
        return { currency, openDeals: deals, averageWonAmount, perDay };
      }),
      lostReasons: lostReasons.map((r) => ({ reason: r.reason, count: r.deals })),
    };
  }

  async fundProgress(fundId: string | undefined): Promise<FundProgressDto> {
    const fund = await this.reports.fundOrRaising(fundId);
    if (!fund) throw ValidationError.field('fundId', 'is required: no fund is raising');
    const [lps, weighted, targets] = await Promise.all([
      this.repository.lpTotals(fund.id),
      this.analytics.weightedPipeline(fund.id),
      this.analytics.reUpTargets(fund.id, RE_UP_LIMIT),
    ]);
    const inFundCurrency = (rows: { currency: string; amount: number }[]): number =>
      rows.find((r) => r.currency === fund.currency)?.amount ?? 0;
    const committed = lps.map((r) => ({ currency: r.currency, amount: money(r.committed) }));
    const weightedPipeline = weighted.map((r) => ({ currency: r.currency, amount: money(r.amount) }));
    const target = fund.targetAmount === null ? null : money(fund.targetAmount);
    const gapToTarget = target === null ? null : round2(target - inFundCurrency(committed));
    return {
      fund: fundSummary(fund),
      committed,
      funded: lps.map((r) => ({ currency: r.currency, amount: money(r.funded) })),
      weightedPipeline,
      gapToTarget,
      coverage:
        gapToTarget !== null && gapToTarget > 0 ? ratio(inFundCurrency(weightedPipeline), gapToTarget) : null,
      reUpTargetCount: targets.total,
      reUpTargets: targets.rows.map((t) => ({
        contact: { id: t.contactId, name: t.contactName },
        organizationName: t.organizationName,
        lastContactDate: t.lastContactDate ? new Date(t.lastContactDate) : null,
        earlierCommitments: t.commitments.map((c) => ({
          fund: { id: c.fundId, name: c.fundName },
          currency: c.currency,
          amount: money(c.amount),
        })),
      })),
    };
  }
}
