import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';

import { type AuthUser, CurrentUser } from '../../common/auth/auth-user.js';
import { Auth, SessionOnly } from '../../common/decorators/auth.decorator.js';
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import { ApiTokensService } from './api-tokens.service.js';
import {
  ApiTokenListDto,
  CreateApiTokenDto,
  CreatedApiTokenEnvelopeDto,
  ListApiTokensQueryDto,
} from './dto/api-token.dto.js';

@ApiTags('auth')
@Controller('auth/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Get()
  @Auth()
  @SessionOnly()
  @ApiOperation({
    summary: "Your API tokens (admins: everyone's). The tokens themselves are never shown again.",
  })
  @ApiOkResponse({ type: ApiTokenListDto })
  list(@CurrentUser() caller: AuthUser, @Query() query: ListApiTokensQueryDto): Promise<ApiTokenListDto> {
    return this.tokens.list(caller, query);
  }

  @Post()
  @Auth()
  @SessionOnly()
  @ApiOperation({ summary: 'Create an API token for an integration (role at most your own)' })
  @ApiCreatedResponse({ type: CreatedApiTokenEnvelopeDto })
  async create(
    @CurrentUser() caller: AuthUser,
    @Body() dto: CreateApiTokenDto,
  ): Promise<CreatedApiTokenEnvelopeDto> {
    return { data: await this.tokens.create(caller, dto) };
  }

  @Delete(':id')
  @Auth()
  @SessionOnly()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API token (yours; admins: any)' })
  @ApiNoContentResponse({ description: 'Revoked' })
  async revoke(@CurrentUser() caller: AuthUser, @UuidParam() id: string): Promise<void> {
    await this.tokens.revoke(caller, id);
  }
}
