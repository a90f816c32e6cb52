import { Module } from '@nestjs/common';

import { PipelineAnalyticsRepository } from './pipeline-analytics.repository.js';
import { PipelineAnalyticsService } from './pipeline-analytics.service.js';
import { ReportCache } from './report-cache.js';
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';
import { ReportsService } from './reports.service.js';

@Module({
  controllers: [ReportsController],
  providers: [
    ReportsRepository,
    ReportsService,
    PipelineAnalyticsRepository,
    PipelineAnalyticsService,
    ReportCache,
  ],
  exports: [ReportsService, PipelineAnalyticsService],
})
export class ReportsModule {}
