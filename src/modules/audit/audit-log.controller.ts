import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { PagingQueryDto } from '../../common/dto/paging.dto.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import { AuditLogService, HISTORY_RESOURCES } from './audit-log.service.js';
import { AuditListDto, AuditLogQueryDto } from './dto/audit-log.dto.js';

@ApiTags('audit')
@Controller()
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get('audit-log')
  @Auth(Role.Admin)
  @ApiOperation({ summary: 'The audit log, newest first; ?format=csv streams all matching rows' })
  @ApiProduces('application/json', 'text/csv')
  @ApiOkResponse({ type: AuditListDto })
  async list(
    @Query() query: AuditLogQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<AuditListDto | StreamableFile> {
    if (query.format !== 'csv') return this.auditLog.list(query);
    res.header(
      'Content-Disposition',
      `attachment; filename="audit-log-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    return new StreamableFile(await this.auditLog.csv(query), { type: 'text/csv; charset=utf-8' });
  }

  @Get(':resource/:id/history')
  @Auth()
  @ApiOperation({ summary: 'Every recorded change of one record (who, when, from where, which fields)' })
  @ApiParam({ name: 'resource', enum: Object.keys(HISTORY_RESOURCES) })
  @ApiOkResponse({ type: AuditListDto })
  history(
    @Param('resource') resource: string,
    @UuidParam() id: string,
    @Query() paging: PagingQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<AuditListDto> {
    return this.auditLog.history(resource, id, caller, paging);
  }
}
