import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';

import { oneOf } from '../entities/enums.js';

export const MAX_PAGE_SIZE = 200;

/**
 * Counting every match of a broad filter on a big table costs more than the page itself (100k contacts:
 * ~15 ms, a common search term: ~60 ms, 1M communications: ~200 ms). Lists count up to this many and then
 * stop, unless the caller asks for another count (`?count=`); below it the capped total is exact.
 */
export const COUNT_CAP = 1_000;

/** How a list counts its matches (`?count=`): up to COUNT_CAP (the default), all of them, or not at all. */
export enum CountMode {
  Capped = 'capped',
  Exact = 'exact',
  None = 'none',
}

/** `limit` (1–200, default 50), `offset` (default 0) and `count` (default capped), shared by every list endpoint. */
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

  @ApiPropertyOptional({
    enum: CountMode,
    default: CountMode.Capped,
    description:
      `How \`total\` is counted: \`capped\` counts up to ${COUNT_CAP.toLocaleString('en-US')} matches (beyond, total is ` +
      `${COUNT_CAP} and totalCapped is true); \`exact\` counts every match, however many (slower on big tables); ` +
      '`none` runs no count: total is null.',
  })
  @IsOptional()
  @IsEnum(CountMode, oneOf(CountMode))
  count?: CountMode = CountMode.Capped;
}

/** A total that may have stopped at COUNT_CAP, or null when the caller asked for none. */
export type Total = number | { capped: number } | null;

export interface ListResponse<T> {
  data: T[];
  /** null when the caller asked for no count (`count=none`). */
  total: number | null;
  /** Present (true) when `total` stopped at COUNT_CAP: there are more matches than that. */
  totalCapped?: true;
  limit: number;
  offset: number;
}

export function listResponse<T>(data: T[], total: Total, paging: PagingQueryDto): ListResponse<T> {
  const page = { limit: paging.limit, offset: paging.offset };
  if (total === null || typeof total === 'number') return { data, total, ...page };
  return { data, total: total.capped, totalCapped: true, ...page };
}

/**
 * A count query's result as the Total the caller asked for: under `capped` the query counted up to
 * COUNT_CAP + 1 rows (see countLimit). Lists that hold every match anyway pass their length.
 */
export function totalOf(counted: number, mode: CountMode = CountMode.Capped): Total {
  if (mode === CountMode.None) return null;
  return mode === CountMode.Capped && counted > COUNT_CAP ? { capped: COUNT_CAP } : counted;
}

/** The most rows a count query of `mode` needs to read (COUNT_CAP + 1 tells "more than the cap"), if any. */
export function countLimit(mode: CountMode = CountMode.Capped): number | undefined {
  return mode === CountMode.Capped ? COUNT_CAP + 1 : undefined;
}

/** Swagger shape of `{ data, total, limit, offset }`; list endpoints extend it with a typed `data`. */
export class ListMetaDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 134,
    description: `Matching records, counted as \`count\` asks. By default (\`capped\`) up to ${COUNT_CAP.toLocaleString('en-US')}; beyond that, total is ${COUNT_CAP} and totalCapped is true (page on until data comes back empty). \`exact\`: every match. \`none\`: null, nothing counted.`,
  })
  total!: number | null;

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
