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
import { UuidParam } from '../../common/pipes/uuid.pipe.js';
import {
  CreateFundDto,
  FundEnvelopeDto,
  FundListDto,
  ListFundsQueryDto,
  ReplaceFundDto,
  UpdateFundDto,
} from './dto/fund.dto.js';
import { FundsService } from './funds.service.js';

@ApiTags('funds')
@Controller('funds')
export class FundsController {
  constructor(private readonly funds: FundsService) {}

  @Get()
  @Auth()
  @ApiOperation({ summary: 'List funds, each with its LP totals and open pipeline' })
  @ApiOkResponse({ type: FundListDto })
  list(@Query() query: ListFundsQueryDto): Promise<FundListDto> {
    return this.funds.list(query);
  }

  @Get(':id')
  @Auth()
  @ApiOperation({ summary: 'One fund with its LP totals and open pipeline' })
  @ApiOkResponse({ type: FundEnvelopeDto })
  async get(@UuidParam() id: string): Promise<FundEnvelopeDto> {
    return { data: await this.funds.get(id) };
  }

  @Post()
  @Auth(Role.Manager)
  @ApiOperation({ summary: 'Create a fund (name unique ignoring case)' })
  @ApiCreatedResponse({ type: FundEnvelopeDto })
  @ApiConflictResponse({ description: 'FUND_EXISTS' })
  async create(@Body() dto: CreateFundDto): Promise<FundEnvelopeDto> {
    return { data: await this.funds.create(dto) };
  }

  @Put(':id')
  @Auth(Role.Manager)
  @ApiOperation({ summary: 'Replace a fund (optional fields left out are cleared)' })
  @ApiOkResponse({ type: FundEnvelopeDto })
  async replace(@UuidParam() id: string, @Body() dto: ReplaceFundDto): Promise<FundEnvelopeDto> {
    return { data: await this.funds.replace(id, dto) };
  }

  @Patch(':id')
  @Auth(Role.Manager)
  @ApiOperation({ summary: 'Change some fields of a fund' })
  @ApiOkResponse({ type: FundEnvelopeDto })
  async update(@UuidParam() id: string, @Body() dto: UpdateFundDto): Promise<FundEnvelopeDto> {
    return { data: await this.funds.update(id, dto) };
  }

  @Delete(':id')
  @Auth(Role.Manager)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete an unused fund (409 FUND_IN_USE while opportunities or LP profiles refer to it)',
  })
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'FUND_IN_USE' })
  async remove(@UuidParam() id: string): Promise<void> {
    await this.funds.remove(id);
  }
}
