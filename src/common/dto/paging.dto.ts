import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 200;

/** `limit` (1–200, default 50) and `offset` (default 0), shared by every list endpoint. */
export class PagingQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 50;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset: number = 0;
}

export interface ListResponse<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

export function listResponse<T>(data: T[], total: number, paging: PagingQueryDto): ListResponse<T> {
  return { data, total, limit: paging.limit, offset: paging.offset };
}

/** Swagger shape of `{ data, total, limit, offset }`; list endpoints extend it with a typed `data`. */
export class ListMetaDto {
  @ApiProperty({ example: 134 })
  total!: number;

  @ApiProperty({ example: 50 })
  limit!: number;

  @ApiProperty({ example: 0 })
  offset!: number;
}

/** Lists of records with custom fields also take `cf.<key>` filters (parsed into `cf` by the query parser). */
export class CustomFieldFilterQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({
    name: 'cf',
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'Custom field filters, written cf.<key>=value (equality; several values of a multi_select separated by commas match any), ' +
      'cf.<key>[gte]=value and cf.<key>[lte]=value for number, currency and date fields. Example: cf.check_size[gte]=1000000',
  })
  @IsOptional()
  @IsObject({ message: 'must be given as cf.<key>=value' })
  cf?: Record<string, unknown>;
}
