import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { JobRunListDto, ListJobRunsQueryDto } from './dto/job-run.dto.js';
import { JobRunsService } from './job-runs.service.js';

@ApiTags('jobs')
@Auth(Role.Admin)
@Controller('jobs')
export class JobRunsController {
  constructor(private readonly runs: JobRunsService) {}

  @Get('runs')
  @ApiOperation({ summary: 'Runs of the scheduled jobs (backup, digest, reminders), newest first' })
  @ApiOkResponse({ type: JobRunListDto })
  list(@Query() query: ListJobRunsQueryDto): Promise<JobRunListDto> {
    return this.runs.list(query);
  }
}
