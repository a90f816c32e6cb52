import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';

import { TagRefDto } from './refs.dto.js';

const LEFT_OUT = 'Left out when `include` does not list it.';

/** A property of a record's detail that `include` may leave out: optional in the schema, and said so. */
export function Embedded(options: ApiPropertyOptions = {}): PropertyDecorator {
  const description = options.description ? `${options.description}. ${LEFT_OUT}` : LEFT_OUT;
  return ApiPropertyOptional({ ...options, description });
}

/** `tags` of a detail, as a list item carries them. */
export const EmbeddedTags = (): PropertyDecorator => Embedded({ type: [TagRefDto] });

/** `customFields` of a detail, as a list item carries them. */
export const EmbeddedCustomFields = (): PropertyDecorator =>
  Embedded({ type: 'object', additionalProperties: true, description: 'Custom field values by key' });

/** Those of `values` that `include` names: the embeds a detail answers. */
export function included<T extends object>(values: T, include: ReadonlySet<string>): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => include.has(key))) as Partial<T>;
}
