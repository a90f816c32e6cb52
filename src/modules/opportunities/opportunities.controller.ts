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
  ChangeStageDto,
  CreateOpportunityDto,
  ListOpportunitiesQueryDto,
  OpportunityDetailQueryDto,
  ReplaceOpportunityDto,
  UpdateOpportunityDto,
} from './dto/opportunity.dto.js';
import {
  OpportunityDetailEnvelopeDto,
  OpportunityEnvelopeDto,
  OpportunityListDto,
} from './dto/opportunity-response.dto.js';
import { OpportunitiesService } from './opportunities.service.js';

@ApiTags('opportunities')
@Controller('opportunities')
export class OpportunitiesController {
  constructor(private readonly opportunities: OpportunitiesService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'List the pipeline (default: most recently updated first)' })
  @ApiOkResponse({ type: OpportunityListDto })
  list(
    @Query() query: ListOpportunitiesQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<OpportunityListDto> {
    return this.opportunities.list(query, caller);
  }

  @Get(':id')
  @Auth()
  @ApiOperation({
    summary: 'One opportunity with its stage history, days per stage and latest communications',
    description:
      'Embeds its contact, organization, fund, owner, custom fields, stage history and communications; ' +
      '`include` picks some of them (e.g. `include=contact,stageHistory`) and leaves the others out. An ' +
      'unknown name is a 400. One database statement either way.',
  })
  @ApiOkResponse({ type: OpportunityDetailEnvelopeDto })
  async get(
    @UuidParam() id: string,
    @Query() query: OpportunityDetailQueryDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<OpportunityDetailEnvelopeDto> {
    return { data: await this.opportunities.get(id, caller, query) };
  }

  @Post()
  @Auth()
  @ApiOperation({ summary: 'Create an opportunity (its first stage is recorded in the history)' })
  @ApiCreatedResponse({ type: OpportunityEnvelopeDto })
  async create(
    @Body() dto: CreateOpportunityDto,
    @CurrentUser() caller: AuthUser,
  ): Promise<OpportunityEnvelopeDto> {
    return { data: await this.opportunities.create(dto, caller) };
  }

  @Put(':id')
  @Auth()
  @ApiOperation({ summary: 'Replace an opportunity (fields left out are cleared; the stage is kept)' })
  @ApiIfMatch()
  @ApiOkResponse({ type: OpportunityEnvelopeDto })
  async replace(
    @UuidParam() id: string,
    @Body() dto: ReplaceOpportunityDto,
    @CurrentUser() caller: AuthUser,
    @IfMatchVersion() ifMatch?: number,
  ): Promise<OpportunityEnvelopeDto> {
    const version = expectedVersion(dto.version, ifMatch);
    return { data: await this.opportunities.replace(id, dto, caller, version) };
  }

  @Patch(':id')
  @Auth()
  @ApiOperation({ summary: 'Change some fields of an opportunity (a new stage is recorded as a move)' })
  @ApiIfMatch()
  @ApiOkResponse({ type: OpportunityEnvelopeDto })
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateOpportunityDto,
    @CurrentUser() caller: AuthUser,
    @IfMatchVersion() ifMatch?: number,
  ): Promise<OpportunityEnvelopeDto> {
    const version = expectedVersion(dto.version, ifMatch);
    return { data: await this.opportunities.update(id, dto, caller, version) };
  }

  @Patch(':id/stage')
  @Auth()
  @ApiOperation({
    summary: 'Move an opportunity to another stage',
    description:
      'Records the move in the history; probability follows the new stage unless sent; lost needs a lostReason. ' +
      'Moving to the current stage is a 400.',
  })
  @ApiIfMatch()
  @ApiOkResponse({ type: OpportunityEnvelopeDto })
  async changeStage(
    @UuidParam() id: string,
    @Body() dto: ChangeStageDto,
    @CurrentUser() caller: AuthUser,
    @IfMatchVersion() ifMatch?: number,
  ): Promise<OpportunityEnvelopeDto> {
    const version = expectedVersion(dto.version, ifMatch);
    return { data: await this.opportunities.changeStage(id, dto, caller, version) };
  }

  @Delete(':id')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an opportunity (soft: restorable)' })
  @ApiNoContentResponse()
  async remove(@UuidParam() id: string, @CurrentUser() caller: AuthUser): Promise<void> {
    await this.opportunities.softDelete(id, caller);
  }

  @Post(':id/restore')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Restore a deleted opportunity' })
  @ApiOkResponse({ type: OpportunityEnvelopeDto })
  async restore(@UuidParam() id: string): Promise<OpportunityEnvelopeDto> {
    return { data: await this.opportunities.restore(id) };
  }
}
