import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { IncludeDeletedQueryDto } from '../../common/dto/include-deleted.dto.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import { CommunicationsService } from './communications.service.js';
import {
  CommunicationEnvelopeDto,
  CommunicationListDto,
  CreateCommunicationDto,
  ListCommunicationsQueryDto,
  ReplaceCommunicationDto,
  UpdateCommunicationDto,
} from './dto/communication.dto.js';

@ApiTags('communications')
@Controller('communications')
export class CommunicationsController {
  constructor(private readonly communications: CommunicationsService) {}

  @Get()
  @Auth()
  @ApiOperation({
    summary: 'List calls, emails, meetings, notes and texts',
    description:
      'Newest first by default. Communications whose contact or opportunity is deleted are hidden with it.',
  })
  @ApiOkResponse({ type: CommunicationListDto })
  list(
    @Query() query: ListCommunicationsQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<CommunicationListDto> {
    return this.communications.list(query, caller);
  }

  @Get(':id')
  @Auth()
  @ApiOperation({ summary: 'One communication' })
  @ApiOkResponse({ type: CommunicationEnvelopeDto })
  async get(
    @UuidParam() id: string,
    @Query() query: IncludeDeletedQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<CommunicationEnvelopeDto> {
    return { data: await this.communications.get(id, caller, query.includeDeleted) };
  }

  @Post()
  @Auth()
  @ApiOperation({ summary: 'Log a communication (you are recorded as its author)' })
  @ApiCreatedResponse({ type: CommunicationEnvelopeDto })
  async create(
    @Body() dto: CreateCommunicationDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<CommunicationEnvelopeDto> {
    return { data: await this.communications.create(dto, caller) };
  }

  @Put(':id')
  @Auth()
  @ApiOperation({
    summary: 'Replace a communication (optional fields left out are cleared; last write wins)',
  })
  @ApiOkResponse({ type: CommunicationEnvelopeDto })
  async replace(
    @UuidParam() id: string,
    @Body() dto: ReplaceCommunicationDto,
  ): Promise<CommunicationEnvelopeDto> {
    return { data: await this.communications.replace(id, dto) };
  }

  @Patch(':id')
  @Auth()
  @ApiOperation({ summary: 'Change some fields of a communication (last write wins)' })
  @ApiOkResponse({ type: CommunicationEnvelopeDto })
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateCommunicationDto,
  ): Promise<CommunicationEnvelopeDto> {
    return { data: await this.communications.update(id, dto) };
  }

  @Delete(':id')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a communication (permanently: communications are not soft-deleted)' })
  @ApiNoContentResponse()
  async remove(@UuidParam() id: string): Promise<void> {
    await this.communications.remove(id);
  }
}
