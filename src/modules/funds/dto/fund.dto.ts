import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { ListMetaDto, PagingQueryDto } from '../../../common/dto/paging.dto.js';
import { SortField, SortOrderField, type SortOrder } from '../../../common/dto/sort.js';
import { IsCurrency, IsMoney, RequiredText } from '../../../common/dto/validators.js';
import { oneOf } from '../../../common/entities/enums.js';
import { timestamp, moneyOrNull } from '../../../common/utils/record-rows.js';
import { FundStatus } from '../fund.entity.js';
import type { FundRow } from '../funds.repository.js';

/** The money of a fund's LP profiles and open deals recorded in a currency other than the fund's own. */
export class FundCurrencyTotalsDto {
  @ApiProperty({ example: 'EUR' }) currency!: string;
  @ApiProperty({ description: 'LP commitments in this currency', example: 5000000 }) committed!: number;
  @ApiProperty({ description: 'LP funded amounts in this currency' }) funded!: number;
  @ApiProperty({ description: 'expectedAmount of the open deals in this currency' })
  pipelineExpected!: number;
  @ApiProperty({ description: 'Weighted amount of the open deals in this currency' })
  pipelineWeighted!: number;
  @ApiProperty({ description: 'Soft-circled amount (deals at stage committed) in this currency' })
  softCircled!: number;
}

/**
 * What a fund has raised and what its pipeline promises, computed per request in grouped queries. Money in
 * different currencies is never added: the totals are in the fund's currency, and amounts recorded in any
 * other currency are listed per currency in `otherCurrencies`. Counts cover every currency.
 */
export class FundSummaryDto {
  @ApiProperty({
    description: 'Sum of the LP profiles’ commitments in the fund’s currency',
    example: 83000000,
  })
  committedTotal!: number;

  @ApiProperty({
    description: 'Sum of the LP profiles’ funded amounts in the fund’s currency',
    example: 83000000,
  })
  fundedTotal!: number;

  @ApiProperty({ description: 'Number of LP profiles in this fund (any currency)' })
  lpCount!: number;

  @ApiProperty({ description: 'Live opportunities still open (not funded, not lost), any currency' })
  openOpportunities!: number;

  @ApiProperty({ description: 'Sum of expectedAmount over the open opportunities in the fund’s currency' })
  pipelineExpected!: number;

  @ApiProperty({
    description:
      'Sum of expectedAmount × probability / 100 over the open opportunities in the fund’s currency',
  })
  pipelineWeighted!: number;

  @ApiProperty({
    description:
      'Soft-circled: sum over live opportunities at stage committed of commitmentAmount (else expectedAmount), in the fund’s currency — promised, not yet an LP profile',
    example: 12000000,
  })
  softCircledTotal!: number;

  @ApiProperty({ description: 'Number of live opportunities at stage committed (any currency)' })
  softCircledOpportunities!: number;

  @ApiProperty({
    type: [FundCurrencyTotalsDto],
    description:
      'Amounts recorded in other currencies than the fund’s, per currency (alphabetical); usually empty',
  })
  otherCurrencies!: FundCurrencyTotalsDto[];
}

/** A summary of nothing yet (a new object each time: it is filled in place). */
export const emptySummary = (): FundSummaryDto => ({
  committedTotal: 0,
  fundedTotal: 0,
  lpCount: 0,
  openOpportunities: 0,
  pipelineExpected: 0,
  pipelineWeighted: 0,
  softCircledTotal: 0,
  softCircledOpportunities: 0,
  otherCurrencies: [],
});

export class FundResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Fund II' }) name!: string;
  @ApiProperty({ nullable: true, type: Number, example: 200000000 }) targetAmount!: number | null;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ nullable: true, type: Number, example: 2025 }) vintageYear!: number | null;
  @ApiProperty({ enum: FundStatus }) status!: FundStatus;
  @ApiProperty({ type: FundSummaryDto }) summary!: FundSummaryDto;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;

  /** The response of a row (funds.repository.ts) and its summary: lists, details and the answers of writes. */
  static from(this: void, r: FundRow, summary: FundSummaryDto = emptySummary()): FundResponseDto {
    return {
      id: r.id,
      name: r.name,
      targetAmount: moneyOrNull(r.targetAmount),
      currency: r.currency,
      vintageYear: r.vintageYear,
      status: r.status,
      summary,
      createdAt: timestamp(r.createdAt),
      updatedAt: timestamp(r.updatedAt),
    };
  }
}

export class FundEnvelopeDto {
  @ApiProperty({ type: FundResponseDto }) data!: FundResponseDto;
}

export class FundListDto extends ListMetaDto {
  @ApiProperty({ type: [FundResponseDto] }) data!: FundResponseDto[];
}

export class CreateFundDto {
  @ApiProperty({ example: 'Fund II', maxLength: 100, description: 'Unique, ignoring case' })
  @RequiredText(100)
  name!: string;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 200000000 })
  @IsOptional()
  @IsMoney()
  targetAmount?: number | null;

  @ApiPropertyOptional({ example: 'USD', default: 'USD' })
  @IsOptional()
  @IsCurrency()
  currency?: string;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1900, maximum: 2200, example: 2025 })
  @IsOptional()
  @IsInt({ message: 'must be a whole year such as 2025' })
  @Min(1900, { message: 'must be between 1900 and 2200' })
  @Max(2200, { message: 'must be between 1900 and 2200' })
  vintageYear?: number | null;

  @ApiPropertyOptional({ enum: FundStatus, default: FundStatus.Raising })
  @IsOptional()
  @IsEnum(FundStatus, oneOf(FundStatus))
  status?: FundStatus;
}

/** PUT: the whole fund; optional fields left out are cleared (currency and status back to their defaults). */
export class ReplaceFundDto extends CreateFundDto {}

/** PATCH: only the fields sent change. */
export class UpdateFundDto extends PartialType(CreateFundDto, { skipNullProperties: false }) {}

export const FUND_SORTS = ['name', 'vintageYear', 'createdAt'] as const;

export class ListFundsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ description: 'Matches the name anywhere, case-insensitively' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ enum: FundStatus })
  @IsOptional()
  @IsEnum(FundStatus, oneOf(FundStatus))
  status?: FundStatus;

  @SortField(FUND_SORTS, 'name')
  sort?: (typeof FUND_SORTS)[number];

  @SortOrderField()
  order?: SortOrder;
}
