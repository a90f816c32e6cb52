import { Controller, Get, Query, Res, type StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import {
  ActivityQueryDto,
  DefaultFundQueryDto,
  FundReportQueryDto,
  PipelineAnalyticsQueryDto,
  type ReportFormat,
} from './dto/report-query.dto.js';
import {
  ActivityEnvelopeDto,
  DashboardEnvelopeDto,
  FundProgressEnvelopeDto,
  LpBreakdownEnvelopeDto,
  PipelineAnalyticsEnvelopeDto,
  PipelineReportEnvelopeDto,
} from './dto/report-response.dto.js';
import { PipelineAnalyticsService } from './pipeline-analytics.service.js';
import {
  activityCsv,
  type CsvTable,
  dashboardCsv,
  fundProgressCsv,
  lpBreakdownCsv,
  pipelineAnalyticsCsv,
  pipelineCsv,
  reportResponse,
} from './report-csv.js';
import { ReportsService } from './reports.service.js';

type Answer<T> = Promise<T | StreamableFile>;

/** Every report answers JSON, or with `?format=csv` (managers and admins: an export) a CSV download. */
@ApiTags('reports')
@ApiProduces('application/json', 'text/csv')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly analytics: PipelineAnalyticsService,
  ) {}

  /** JSON, or for `format=csv` an export (role checked, report computed and validated, then audited). */
  private async answer<T>(
    caller: AuthUser,
    res: FastifyReply,
    q: { format?: ReportFormat },
    name: string,
    compute: () => Promise<T>,
    table: (data: T) => CsvTable,
  ): Answer<{ data: T }> {
    const data = await this.reports.exportOrAnswer(caller, name, q, compute);
    return reportResponse(res, q.format, name, data, table);
  }

  @Get('dashboard')
  @Auth()
  @ApiOperation({
    summary: 'KPIs of the raising fund (or fundId), pipeline by stage, what is due, what changed',
  })
  @ApiOkResponse({ type: DashboardEnvelopeDto })
  async dashboard(
    @Query() q: DefaultFundQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Answer<DashboardEnvelopeDto> {
    return this.answer(caller, res, q, 'dashboard', () => this.reports.dashboard(q.fundId), dashboardCsv);
  }

  @Get('pipeline')
  @Auth()
  @ApiOperation({
    summary: 'Deals by stage, owner and priority: count, expected, committed, weighted per currency',
  })
  @ApiOkResponse({ type: PipelineReportEnvelopeDto })
  async pipeline(
    @Query() q: FundReportQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Answer<PipelineReportEnvelopeDto> {
    return this.answer(caller, res, q, 'pipeline', () => this.reports.pipeline(q.fundId), pipelineCsv);
  }

  @Get('lp-breakdown')
  @Auth()
  @ApiOperation({ summary: 'Every LP with commitment, funded, unfunded, docs/wire/K-1; totals per currency' })
  @ApiOkResponse({ type: LpBreakdownEnvelopeDto })
  async lpBreakdown(
    @Query() q: FundReportQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Answer<LpBreakdownEnvelopeDto> {
    return this.answer(
      caller,
      res,
      q,
      'lp-breakdown',
      () => this.reports.lpBreakdown(q.fundId),
      lpBreakdownCsv,
    );
  }

  @Get('activity')
  @Auth()
  @ApiOperation({
    summary: 'Communications of the last N days by author, by type and by day (zeros included)',
  })
  @ApiOkResponse({ type: ActivityEnvelopeDto })
  async activity(
    @Query() q: ActivityQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Answer<ActivityEnvelopeDto> {
    return this.answer(caller, res, q, 'activity', () => this.reports.activity(q), activityCsv);
  }

  @Get('pipeline-analytics')
  @Auth()
  @ApiOperation({
    summary: 'Days per stage, stage-to-stage conversion, win rate, velocity, lost reasons',
    description:
      'Computed from stage history, then kept in memory by its parameters until deals, stage history or funds ' +
      'change (the database notifies every instance as the change commits): the next answer after a change has it.',
  })
  @ApiOkResponse({ type: PipelineAnalyticsEnvelopeDto })
  async pipelineAnalytics(
    @Query() q: PipelineAnalyticsQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Answer<PipelineAnalyticsEnvelopeDto> {
    const compute = () => this.analytics.pipelineAnalytics(q);
    return this.answer(caller, res, q, 'pipeline-analytics', compute, pipelineAnalyticsCsv);
  }

  @Get('fund-progress')
  @Auth()
  @ApiOperation({ summary: 'Target, committed, funded, weighted pipeline, gap, coverage and re-up targets' })
  @ApiOkResponse({ type: FundProgressEnvelopeDto })
  async fundProgress(
    @Query() q: DefaultFundQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Answer<FundProgressEnvelopeDto> {
    const compute = () => this.analytics.fundProgress(q.fundId);
    return this.answer(caller, res, q, 'fund-progress', compute, fundProgressCsv);
  }
}
