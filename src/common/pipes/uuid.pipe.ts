import { Injectable, Param, PipeTransform, ArgumentMetadata } from '@nestjs/common';

import { ValidationError } from '../errors/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Refuses a malformed id with a 400 naming the parameter, before any query runs. */
@Injectable()
export class ParseUuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUuid(value)) throw ValidationError.field(metadata.data ?? 'id', 'must be a UUID');
    return value.toLowerCase();
  }
}

/** `@UuidParam()` reads `:id`; `@UuidParam('contactId')` another route parameter. */
export const UuidParam = (name = 'id'): ParameterDecorator => Param(name, ParseUuidPipe);
