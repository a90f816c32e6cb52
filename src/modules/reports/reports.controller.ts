import { Controller, Get, Query, Res, type StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import {
  ActivityQueryDto,
  DefaultFundQueryDto,
  FundReportQueryDto,
  PipelineAnalyticsQueryDto,
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

  @Get('dashboard')
  @Auth()
  @ApiOperation({
    summary: 'KPIs of the raising fund (or fundId), pipeline by stage, what is due, what changed',
  })
  @ApiOkResponse({ type: DashboardEnvelopeDto })
  async dashboard(
    @Query() q: DefaultFundQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Answer<DashboardEnvelopeDto> {
    await this.reports.authorizeExport(caller, 'dashboard', q.format, q);
    return reportResponse(res, q.format, 'dashboard', await this.reports.dashboard(q.fundId), dashboardCsv);
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
    @Res({ passthrough: true }) res: Response,
  ): Answer<PipelineReportEnvelopeDto> {
    await this.reports.authorizeExport(caller, 'pipeline', q.format, q);
    return reportResponse(res, q.format, 'pipeline', await this.reports.pipeline(q.fundId), pipelineCsv);
  }

  @Get('lp-breakdown')
  @Auth()
  @ApiOperation({ summary: 'Every LP with commitment, funded, unfunded, docs/wire/K-1; totals per currency' })
  @ApiOkResponse({ type: LpBreakdownEnvelopeDto })
  async lpBreakdown(
    @Query() q: FundReportQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Answer<LpBreakdownEnvelopeDto> {
    await this.reports.authorizeExport(caller, 'lp-breakdown', q.format, q);
    return reportResponse(
      res,
      q.format,
      'lp-breakdown',
      await this.reports.lpBreakdown(q.fundId),
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
    @Res({ passthrough: true }) res: Response,
  ): Answer<ActivityEnvelopeDto> {
    await this.reports.authorizeExport(caller, 'activity', q.format, q);
    return reportResponse(res, q.format, 'activity', await this.reports.activity(q), activityCsv);
  }

  @Get('pipeline-analytics')
  @Auth()
  @ApiOperation({ summary: 'Days per stage, stage-to-stage conversion, win rate, velocity, lost reasons' })
  @ApiOkResponse({ type: PipelineAnalyticsEnvelopeDto })
  async pipelineAnalytics(
    @Query() q: PipelineAnalyticsQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Answer<PipelineAnalyticsEnvelopeDto> {
    await this.reports.authorizeExport(caller, 'pipeline-analytics', q.format, q);
    const data = await this.analytics.pipelineAnalytics(q);
    return reportResponse(res, q.format, 'pipeline-analytics', data, pipelineAnalyticsCsv);
  }

  @Get('fund-progress')
  @Auth()
  @ApiOperation({ summary: 'Target, committed, funded, weighted pipeline, gap, coverage and re-up targets' })
  @ApiOkResponse({ type: FundProgressEnvelopeDto })
  async fundProgress(
    @Query() q: DefaultFundQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ): Answer<FundProgressEnvelopeDto> {
    await this.reports.authorizeExport(caller, 'fund-progress', q.format, q);
    return reportResponse(
      res,
      q.format,
      'fund-progress',
      await this.analytics.fundProgress(q.fundId),
      fundProgressCsv,
    );
  }
}
