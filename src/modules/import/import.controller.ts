import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { PagingQueryDto } from '../../common/dto/paging.dto.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import {
  ImportBatchEnvelopeDto,
  ImportBatchListDto,
  ImportCsvDto,
  ImportReportDto,
  SuggestMappingDto,
  SuggestMappingResponseDto,
} from './dto/import.dto.js';
import { ImportEntityType } from './import-fields.js';
import { ImportRequests } from './import-requests.js';
import { ImportService } from './import.service.js';

@ApiTags('import')
@Controller('import')
export class ImportController {
  constructor(
    private readonly imports: ImportService,
    private readonly requests: ImportRequests,
  ) {}

  @Post('suggest')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Suggest a mapping for a header row (exact, case/spacing-insensitive, common Airtable names)',
  })
  @ApiOkResponse({ type: SuggestMappingResponseDto })
  async suggest(@Body() dto: SuggestMappingDto): Promise<SuggestMappingResponseDto> {
    return { data: { mapping: await this.imports.suggest(dto.entityType, dto.headers) } };
  }

  @Post('csv')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Import CSV text or JSON rows',
    description:
      'Every row is created, updated, skipped (duplicate, blank, unchanged) or rejected with row, column and reason. ' +
      'Contacts, organizations, opportunities, LP profiles, communications and tasks; a contact named in a row is found by ' +
      'email, else by full name (two live contacts with that name: rejected), a fund by name. ' +
      'One transaction: with rejected rows nothing is written (status rolled_back) unless partial=true. A dry run reports exactly what a real run does.',
  })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiBadRequestResponse({ description: 'Bad entityType, mapping (naming the column) or data' })
  run(@Body() dto: ImportCsvDto): Promise<ImportReportDto> {
    return this.requests.fromBody(dto);
  }

  @Post('upload')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Import an uploaded CSV file (multipart: file + the options of POST /api/import/csv as fields)',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'entityType'],
      properties: {
        file: { type: 'string', format: 'binary' },
        entityType: { type: 'string', enum: Object.values(ImportEntityType) },
        mapping: { type: 'string', description: 'JSON object csvColumn → field | cf.<key> | ignore' },
        dryRun: { type: 'boolean' },
        onDuplicate: { type: 'string', enum: ['skip', 'update', 'create'] },
        partial: { type: 'boolean' },
        dayFirst: { type: 'boolean' },
        formulaEscapes: { type: 'string', enum: ['auto', 'undo', 'keep'] },
      },
    },
  })
  @ApiOkResponse({ type: ImportReportDto })
  @ApiBadRequestResponse({ description: 'No file, bad options or unreadable CSV' })
  upload(@Req() req: FastifyRequest): Promise<ImportReportDto> {
    return this.requests.fromUpload(req.raw);
  }

  @Get('batches')
  @Auth(Role.Manager)
  @ApiOperation({ summary: 'Import batches, newest first' })
  @ApiOkResponse({ type: ImportBatchListDto })
  list(@Query() query: PagingQueryDto): Promise<ImportBatchListDto> {
    return this.imports.list(query);
  }

  @Get('batches/:id')
  @Auth(Role.Manager)
  @ApiOperation({ summary: 'One import batch with its report' })
  @ApiOkResponse({ type: ImportBatchEnvelopeDto })
  @ApiNotFoundResponse()
  async get(@UuidParam() id: string): Promise<ImportBatchEnvelopeDto> {
    return { data: await this.imports.get(id) };
  }

  @Delete('batches/:id')
  @Auth(Role.Manager)
  @ApiOperation({
    summary: 'Undo a batch: remove what it created, restore what it updated',
    description: 'Refused with 409 IMPORT_CHANGED_SINCE naming the records changed since the import.',
  })
  @ApiOkResponse({ type: ImportBatchEnvelopeDto })
  @ApiNotFoundResponse()
  @ApiConflictResponse({ description: 'IMPORT_CHANGED_SINCE or IMPORT_ALREADY_UNDONE' })
  async undo(@UuidParam() id: string, @CurrentUser() caller: AuthUser): Promise<ImportBatchEnvelopeDto> {
    return { data: await this.imports.undo(id, caller) };
  }
}
