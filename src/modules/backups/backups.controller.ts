import {
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiInternalServerErrorResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { PagingQueryDto } from '../../common/dto/paging.dto.js';
import { JobTrigger } from '../jobs/job-run.entity.js';
import { BackupsService } from './backups.service.js';
import { BackupEnvelopeDto, BackupListDto } from './dto/backup.dto.js';

@ApiTags('backups')
@Auth(Role.Admin)
@Controller('backups')
export class BackupsController {
  constructor(private readonly backups: BackupsService) {}

  @Get()
  @ApiOperation({ summary: 'The backups in BACKUP_DIR, newest first' })
  @ApiOkResponse({ type: BackupListDto })
  list(@Query() paging: PagingQueryDto): Promise<BackupListDto> {
    return this.backups.list(paging);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary:
      'Make a backup now (as the daily job does: same lock, same record in the job runs); answers when it is verified',
  })
  @ApiCreatedResponse({ type: BackupEnvelopeDto })
  @ApiConflictResponse({ description: 'JOB_RUNNING: a backup is being made already' })
  @ApiInternalServerErrorResponse({
    description: 'BACKUP_FAILED, with the reason (also in GET /api/jobs/runs)',
  })
  async create(): Promise<BackupEnvelopeDto> {
    return { data: await this.backups.runNow(JobTrigger.Api) };
  }

  @Get(':name/download')
  @ApiOperation({ summary: 'Download a backup file (streamed; the download is written to the audit log)' })
  @ApiParam({ name: 'name', example: 'venture-crm-20261207T013000123Z.dump' })
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({
    schema: { type: 'string', format: 'binary' },
    description: 'The file; its SHA-256 is in the X-Backup-SHA256 header (pass it to `restore --sha256`)',
  })
  @ApiBadRequestResponse({ description: 'name is not a backup file name' })
  @ApiNotFoundResponse({ description: 'No such backup' })
  async download(
    @Param('name') name: string,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile> {
    const file = await this.backups.download(name);
    if (file.sha256) res.header('X-Backup-SHA256', file.sha256);
    return new StreamableFile(file.stream, {
      type: 'application/octet-stream',
      length: file.size,
      disposition: `attachment; filename="${name}"`,
    });
  }
}
