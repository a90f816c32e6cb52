import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

import { IsDateOnly, QueryUuid } from '../../../common/dto/validators.js';

export type ReportFormat = 'json' | 'csv';

/** `?format=`: every report answers JSON, or CSV as a download. */
export class ReportFormatQueryDto {
  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description: 'csv answers a spreadsheet download',
  })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'must be json or csv' })
  format?: ReportFormat;
}

export class FundReportQueryDto extends ReportFormatQueryDto {
  @QueryUuid('a fund')
  fundId?: string;
}

/** Reports about one fund: the one asked for, else the raising fund with the latest vintage. */
export class DefaultFundQueryDto extends ReportFormatQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Default: the raising fund with the latest vintage' })
  @QueryUuid('a fund')
  fundId?: string;
}

export const MAX_ACTIVITY_DAYS = 366;

export class ActivityQueryDto extends ReportFormatQueryDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_ACTIVITY_DAYS,
    default: 30,
    description: 'The last N days (UTC), today included',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number of days' })
  @Min(1, { message: `must be between 1 and ${MAX_ACTIVITY_DAYS}` })
  @Max(MAX_ACTIVITY_DAYS, { message: `must be between 1 and ${MAX_ACTIVITY_DAYS}` })
  days?: number;
}

export class PipelineAnalyticsQueryDto extends FundReportQueryDto {
  @ApiPropertyOptional({
    type: String,
    format: 'date',
    description: 'First day (UTC) of the window; default: all history',
  })
  @IsOptional()
  @IsDateOnly()
  from?: string;

  @ApiPropertyOptional({
    type: String,
    format: 'date',
    description: 'Last day (UTC, included); default: today',
  })
  @IsOptional()
  @IsDateOnly()
  to?: string;
}
