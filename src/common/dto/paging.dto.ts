import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

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
