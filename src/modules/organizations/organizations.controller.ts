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
import { ApiIfMatch, expectedVersion, IfMatchVersion } from '../../common/entities/versioning.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import {
  CreateOrganizationDto,
  ListOrganizationsQueryDto,
  OrganizationDetailEnvelopeDto,
  OrganizationDetailQueryDto,
  OrganizationEnvelopeDto,
  OrganizationListDto,
  ReplaceOrganizationDto,
  UpdateOrganizationDto,
} from './dto/organization.dto.js';
import { OrganizationsService } from './organizations.service.js';

@ApiTags('organizations')
@Controller('organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'List organizations' })
  @ApiOkResponse({ type: OrganizationListDto })
  list(
    @Query() query: ListOrganizationsQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<OrganizationListDto> {
    return this.organizations.list(query, caller);
  }

  @Get(':id')
  @Auth()
  @ApiOperation({
    summary: 'One organization with its contacts and opportunities',
    description:
      'Embeds its tags, custom fields, live contacts and live opportunities; `include` picks some of them ' +
      '(e.g. `include=contacts`) and leaves the others out. An unknown name is a 400. One database statement ' +
      'either way.',
  })
  @ApiOkResponse({ type: OrganizationDetailEnvelopeDto })
  async get(
    @UuidParam() id: string,
    @Query() query: OrganizationDetailQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<OrganizationDetailEnvelopeDto> {
    return { data: await this.organizations.get(id, caller, query) };
  }

  @Post()
  @Auth()
  @ApiCreatedResponse({ type: OrganizationEnvelopeDto })
  async create(@Body() dto: CreateOrganizationDto): Promise<OrganizationEnvelopeDto> {
    return { data: await this.organizations.create(dto) };
  }

  @Put(':id')
  @Auth()
  @ApiOperation({ summary: 'Replace an organization (fields left out are cleared)' })
  @ApiIfMatch()
  @ApiOkResponse({ type: OrganizationEnvelopeDto })
  async replace(
    @UuidParam() id: string,
    @Body() dto: ReplaceOrganizationDto,
    @IfMatchVersion() ifMatch?: number,
  ): Promise<OrganizationEnvelopeDto> {
    return { data: await this.organizations.replace(id, dto, expectedVersion(dto.version, ifMatch)) };
  }

  @Patch(':id')
  @Auth()
  @ApiOperation({ summary: 'Change some fields of an organization' })
  @ApiIfMatch()
  @ApiOkResponse({ type: OrganizationEnvelopeDto })
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateOrganizationDto,
    @IfMatchVersion() ifMatch?: number,
  ): Promise<OrganizationEnvelopeDto> {
    return { data: await this.organizations.update(id, dto, expectedVersion(dto.version, ifMatch)) };
  }

  @Delete(':id')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an organization (soft: restorable)' })
  @ApiNoContentResponse()
  async remove(@UuidParam() id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    await this.organizations.softDelete(id, caller);
  }

  @Post(':id/restore')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Restore a deleted organization' })
  @ApiOkResponse({ type: OrganizationEnvelopeDto })
  async restore(@UuidParam() id: string): Promise<OrganizationEnvelopeDto> {
    return { data: await this.organizations.restore(id) };
  }
}
