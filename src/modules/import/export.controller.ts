import {
  applyDecorators,
  Controller,
  Get,
  Param,
  Query,
  Res,
  StreamableFile,
  type Type,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  type ApiResponseOptions,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { ValidationError } from '../../common/errors/index.js';
import { ContactResponseDto } from '../contacts/dto/contact-response.dto.js';
import { OrganizationResponseDto } from '../organizations/dto/organization.dto.js';
import {
  ExportCommunicationsQueryDto,
  ExportContactsQueryDto,
  ExportLpProfilesQueryDto,
  ExportOpportunitiesQueryDto,
  ExportOrganizationsQueryDto,
  ExportTasksQueryDto,
} from './dto/export.dto.js';
import { type ExportFile, ExportService } from './export.service.js';

const EXPORTABLE = ['contacts', 'organizations', 'communications', 'opportunities', 'lp-profiles', 'tasks'];

const DESCRIPTION =
  'Streams every matching record (the list filters apply; limit, offset, count and sort do not) with related names and custom ' +
  "fields. CSV cells that look like formulas get a leading apostrophe (and a value's own leading apostrophe a second one); " +
  'POST /api/import/csv removes exactly those when it reads this export back. Managers and admins; audited.';

/** GET /api/export/<path>: managers and admins, CSV or JSON (items as `rows` when given), streamed. */
function ExportEndpoint(path: string, what: string, columns: string, rows?: Type): MethodDecorator {
  return applyDecorators(
    Get(path),
    Auth(Role.Manager),
    ApiOperation({
      summary: `Export ${what} as CSV or JSON`,
      description: `${DESCRIPTION}\n\nCSV columns: ${columns}`,
    }),
    ApiOkResponse(exportFile(rows)),
  );
}

/** The file, streamed: CSV (default) or, with format=json, a JSON array of `rows` (records as the API shows them). */
function exportFile(rows?: Type): ApiResponseOptions {
  const items = rows ? { $ref: getSchemaPath(rows) } : { type: 'object', additionalProperties: true };
  return {
    description: 'The file, streamed',
    content: {
      'text/csv': { schema: { type: 'string' } },
      'application/json': { schema: { type: 'array', items } },
    },
  };
}

function send(file: ExportFile, res: FastifyReply): StreamableFile {
  res.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
  return new StreamableFile(file.stream, { type: file.contentType });
}

@ApiTags('export')
@ApiExtraModels(ContactResponseDto, OrganizationResponseDto)
@Controller('export')
export class ExportController {
  constructor(private readonly exports: ExportService) {}

  @ExportEndpoint(
    'contacts',
    'contacts',
    'the contact fields, organization (name), owner (username), tags, cf.<key>, id, createdAt, updatedAt',
    ContactResponseDto,
  )
  async contacts(
    @Query() query: ExportContactsQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile> {
    return send(await this.exports.contacts(query, query.format ?? 'csv', caller), res);
  }

  @ExportEndpoint(
    'organizations',
    'organizations',
    'the organization fields, tags, cf.<key>, id, createdAt, updatedAt',
    OrganizationResponseDto,
  )
  async organizations(
    @Query() query: ExportOrganizationsQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile> {
    return send(await this.exports.organizations(query, query.format ?? 'csv', caller), res);
  }

  @ExportEndpoint(
    'communications',
    'communications',
    'the communication fields, contact and opportunity (names), createdBy (username), id, createdAt, updatedAt',
  )
  async communications(
    @Query() query: ExportCommunicationsQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile> {
    return send(await this.exports.communications(query, query.format ?? 'csv', caller), res);
  }

  @ExportEndpoint(
    'opportunities',
    'opportunities',
    'name, contact (email), contactName, organization, fund (names), owner (username), stage, expectedAmount, ' +
      'commitmentAmount, currency, probability, expectedCloseDate, priority, description, nextStep, lostReason, ' +
      'cf.<key>, id, createdAt, updatedAt',
  )
  async opportunities(
    @Query() query: ExportOpportunitiesQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile> {
    return send(await this.exports.opportunities(query, query.format ?? 'csv', caller), res);
  }

  @ExportEndpoint(
    'lp-profiles',
    'LP profiles',
    "contact (email), contactName, organization (the contact's), fund (name), commitmentAmount, fundedAmount, " +
      'currency, commitmentDate, investorType, accredited, legalDocsSigned, signedDate, wireReceived, wireDate, ' +
      'k1Sent, preferredCommunication, notes, cf.<key>, id, createdAt, updatedAt',
  )
  async lpProfiles(
    @Query() query: ExportLpProfilesQueryDto,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile> {
    return send(await this.exports.lpProfiles(query, query.format ?? 'csv'), res);
  }

  @ExportEndpoint(
    'tasks',
    'tasks',
    'title, description, dueDate, status, priority, assignee (username), contact (email), contactName, ' +
      'organization, opportunity (names), completedAt, createdBy (username), id, createdAt, updatedAt',
  )
  async tasks(
    @Query() query: ExportTasksQueryDto,
    @CurrentUser() caller: AuthUser,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<StreamableFile> {
    return send(await this.exports.tasks(query, query.format ?? 'csv', caller), res);
  }

  @Get(':entity')
  @Auth(Role.Manager)
  @ApiOperation({ summary: 'Any other entity: 400 naming `entity`' })
  @ApiBadRequestResponse({ description: `entity must be one of: ${EXPORTABLE.join(', ')}` })
  other(@Param('entity') entity: string): never {
    throw ValidationError.field(
      'entity',
      `"${entity.slice(0, 40)}" cannot be exported; one of: ${EXPORTABLE.join(', ')}`,
    );
  }
}
