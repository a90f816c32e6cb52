import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { Role } from '../../common/auth/role.js';
import { Auth } from '../../common/decorators/auth.decorator.js';
import { ApiIfMatch, expectedVersion, IfMatchVersion } from '../../common/entities/versioning.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import {
  CreateLpProfileDto,
  ListLpProfilesQueryDto,
  LpProfileEnvelopeDto,
  LpProfileListDto,
  ReplaceLpProfileDto,
  UpdateLpProfileDto,
} from './dto/lp-profile.dto.js';
import { LpProfilesService } from './lp-profiles.service.js';

@ApiTags('lp-profiles')
@Controller('lp-profiles')
export class LpProfilesController {
  constructor(private readonly lpProfiles: LpProfilesService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'List LP profiles (default: largest commitments first)' })
  @ApiOkResponse({ type: LpProfileListDto })
  list(@Query() query: ListLpProfilesQueryDto): Promise<LpProfileListDto> {
    return this.lpProfiles.list(query);
  }

  @Get(':id')
  @Auth()
  @ApiOperation({ summary: 'One LP profile' })
  @ApiOkResponse({ type: LpProfileEnvelopeDto })
  async get(@UuidParam() id: string): Promise<LpProfileEnvelopeDto> {
    return { data: await this.lpProfiles.get(id) };
  }

  @Post()
  @Auth()
  @ApiOperation({
    summary: 'Create an LP profile (one per contact per fund); the contact becomes an investor',
  })
  @ApiCreatedResponse({ type: LpProfileEnvelopeDto })
  @ApiConflictResponse({ description: 'LP_PROFILE_EXISTS' })
  async create(@Body() dto: CreateLpProfileDto): Promise<LpProfileEnvelopeDto> {
    return { data: await this.lpProfiles.create(dto) };
  }

  @Put(':id')
  @Auth()
  @ApiOperation({ summary: 'Replace an LP profile (fields left out are cleared)' })
  @ApiIfMatch()
  @ApiOkResponse({ type: LpProfileEnvelopeDto })
  async replace(
    @UuidParam() id: string,
    @Body() dto: ReplaceLpProfileDto,
    @IfMatchVersion() ifMatch?: number,
  ): Promise<LpProfileEnvelopeDto> {
    return { data: await this.lpProfiles.replace(id, dto, expectedVersion(dto.version, ifMatch)) };
  }

  @Patch(':id')
  @Auth()
  @ApiOperation({ summary: 'Change some fields of an LP profile' })
  @ApiIfMatch()
  @ApiOkResponse({ type: LpProfileEnvelopeDto })
  async update(
    @UuidParam() id: string,
    @Body() dto: UpdateLpProfileDto,
    @IfMatchVersion() ifMatch?: number,
  ): Promise<LpProfileEnvelopeDto> {
    return { data: await this.lpProfiles.update(id, dto, expectedVersion(dto.version, ifMatch)) };
  }

  @Delete(':id')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete an LP profile (for good: LP profiles are not soft-deleted)' })
  @ApiNoContentResponse()
  async remove(@UuidParam() id: string): Promise<void> {
    await this.lpProfiles.remove(id);
  }
}
