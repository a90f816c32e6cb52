import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Public } from '../../common/decorators/auth.decorator.js';
import { HealthReportDto } from './health.dto.js';
import { HealthService } from './health.service.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({
    summary:
      'Liveness and readiness: database reachable, no pending migrations, a verified backup in the last 2 days',
  })
  @ApiOkResponse({ type: HealthReportDto })
  @ApiServiceUnavailableResponse({
    type: HealthReportDto,
    description: 'The database is down or migrations are pending',
  })
  async check(@Res({ passthrough: true }) res: FastifyReply): Promise<HealthReportDto> {
    const report = await this.health.check();
    // degraded still serves: a stale backup is for an admin to fix, not a reason to take the app out of rotation.
    if (report.status === 'error') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return report;
  }
}
