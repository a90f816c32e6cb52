import { Module } from '@nestjs/common';

import { ReportCache } from './report-cache.js';
import { PipelineAnalyticsRepository } from './pipeline-analytics.repository.js';
import { PipelineAnalyticsService } from './pipeline-analytics.service.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({
  controllers: [ReportsController],
  providers: [
    // One cache per app instance; built by hand: its clock parameter is for unit tests, not for injection.
    { provide: ReportCache, useFactory: () => new ReportCache() },
    ReportsRepository,
    ReportsService,
    PipelineAnalyticsRepository,
    PipelineAnalyticsService,
  ],
  exports: [ReportsService, PipelineAnalyticsService],
})
export class ReportsModule {}
