import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export type SortOrder = 'asc' | 'desc';

/** `sort` for a list endpoint: only the named fields are accepted (each must be indexed or cheap). */
export function SortField(fields: readonly string[], defaultField: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: fields, default: defaultField }),
    IsOptional(),
    IsIn(fields as string[], { message: `must be one of: ${fields.join(', ')}` }),
  );
}

export function SortOrderField(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' }),
    IsOptional(),
    IsIn(['asc', 'desc'], { message: 'must be asc or desc' }),
  );
}

/**
 * MikroORM orderBy for a whitelisted `sort`: each API field maps to one or more entity paths; the id is
 * always last so pages are stable when values tie.
 */
export function orderBy(
  sort: string,
  order: SortOrder = 'asc',
  columns: Record<string, string[]>,
): Record<string, SortOrder>[] {
  const paths = columns[sort] ?? [sort];
  return [...paths.map((path) => nested(path, order)), { id: order }];
}

function nested(path: string, order: SortOrder): Record<string, SortOrder> {
  const [head, ...rest] = path.split('.');
  return rest.length === 0 ? { [head]: order } : ({ [head]: nested(rest.join('.'), order) } as never);
}

/**
 * orderBy for lists whose default is not ascending (newest or largest first): without `sort`, the default
 * field and direction apply; with `sort`, `order` defaults to asc. Empty values sort as the largest
 * (PostgreSQL's rule, served by a plain index both ways), except in `nullsSmallest` fields (an amount left
 * empty counts as less than any amount: first ascending, last descending). The id is always last so pages
 * are stable when values tie.
 */
export function listOrder(
  sort: string | undefined,
  order: SortOrder | undefined,
  defaults: { sort: string; order: SortOrder },
  nullsSmallest: readonly string[] = [],
): Record<string, string>[] {
  const field = sort ?? defaults.sort;
  const direction = order ?? (sort ? 'asc' : defaults.order);
  const nulls = direction === 'asc' ? 'nulls first' : 'nulls last';
  return [
    { [field]: nullsSmallest.includes(field) ? `${direction} ${nulls}` : direction },
    { id: direction },
  ];
}
