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

/**
 * Counting every match of a broad filter on a big table costs more than the page itself (100k contacts:
 * ~15 ms, a common search term: ~60 ms, 1M communications: ~200 ms). Lists of those tables count up to
 * this many and then stop; below it (a fund's usual lists) the total is exact.
 */
export const COUNT_CAP = 1_000;

/** A total that may have stopped at COUNT_CAP. */
export type Total = number | { capped: number };

export interface ListResponse<T> {
  data: T[];
  total: number;
  /** Present (true) when `total` stopped at COUNT_CAP: there are more matches than that. */
  totalCapped?: true;
  limit: number;
  offset: number;
}

export function listResponse<T>(data: T[], total: Total, paging: PagingQueryDto): ListResponse<T> {
  if (typeof total === 'number') return { data, total, limit: paging.limit, offset: paging.offset };
  return { data, total: total.capped, totalCapped: true, limit: paging.limit, offset: paging.offset };
}

/** A count query's result (rows counted up to COUNT_CAP + 1) as a Total. */
export function cappedTotal(counted: number): Total {
  return counted > COUNT_CAP ? { capped: COUNT_CAP } : counted;
}

/** Swagger shape of `{ data, total, limit, offset }`; list endpoints extend it with a typed `data`. */
export class ListMetaDto {
  @ApiProperty({
    example: 134,
    description: `Matching records. Lists of contacts, organizations, opportunities, LP profiles, funds, communications, tasks and the audit log count up to ${COUNT_CAP.toLocaleString('en-US')}; beyond that, total is ${COUNT_CAP} and totalCapped is true (page on until data comes back empty).`,
  })
  total!: number;

  @ApiPropertyOptional({ enum: [true], description: 'Present when total stopped at the count cap' })
  totalCapped?: true;

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
