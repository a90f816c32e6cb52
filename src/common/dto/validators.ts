import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';

/** Largest value numeric(15,2) holds. */
export const MAX_MONEY = 9_999_999_999_999.99;

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
/** Optional text: surrounding spaces removed, and an empty string means "no value" (null). */
const trimToNull = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

/** Required text of at most `max` characters, trimmed; blank is refused. */
export function RequiredText(max: number): PropertyDecorator {
  return applyDecorators(
    Transform(trim),
    IsString(),
    Length(1, max, { message: `must be 1–${max} characters` }),
  );
}

/**
 * Optional text of at most `max` characters; null or "" clears it. Longer text is refused, never cut.
 * Declares itself to OpenAPI as a nullable string (a `string | null` property has no design type to read).
 */
export function OptionalText(max: number): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, maxLength: max }),
    Transform(trimToNull),
    IsOptional(),
    IsString(),
    MaxLength(max, { message: `must be at most ${max} characters` }),
  );
}

/** A JSON number ≥ 0 with at most 2 decimals that fits numeric(15,2). */
export function IsMoney(): PropertyDecorator {
  return applyDecorators(
    IsNumber(
      { allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 },
      { message: 'must be a number with at most 2 decimals (a JSON number, not a string)' },
    ),
    Min(0, { message: 'must not be negative' }),
    Max(MAX_MONEY, { message: `must be at most ${MAX_MONEY}` }),
  );
}

/** A calendar date as YYYY-MM-DD (no time, no time zone). */
export function IsDateOnly(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isDateOnly',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => isDateOnly(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be a date as YYYY-MM-DD`,
      },
    });
}

export function isDateOnly(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** ISO 4217 code such as USD or EUR. */
export function IsCurrency(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim().toUpperCase() : value,
    ),
    Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter currency code such as USD' }),
  );
}

/** An http(s) URL; `example.com` is accepted and stored as typed. */
export function IsWebUrl(): PropertyDecorator {
  return applyDecorators(
    IsUrl(
      { protocols: ['http', 'https'], require_protocol: false },
      { message: 'must be a web address such as https://example.com' },
    ),
  );
}

/** For optional relations: a uuid, or null to clear it (to OpenAPI: a nullable uuid string). */
export function OptionalUuid(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: String, format: 'uuid', nullable: true }),
    IsOptional(),
    Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'must be a UUID' }),
  );
}

/** Applies the rules only when the field is present (also to null, so a required field cannot be nulled). */
export const WhenPresent = (): PropertyDecorator => ValidateIf((_object, value) => value !== undefined);

export function IsOneOf(values: readonly string[]): PropertyDecorator {
  return IsIn(values as string[], { message: `must be one of: ${values.join(', ')}` });
}

/** A query-string boolean: `true` or `false`. */
export function QueryBoolean(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      value === 'true' ? true : value === 'false' ? false : value,
    ),
    IsBoolean({ message: 'must be true or false' }),
  );
}

/** OpenAPI's `a,b` form of an array parameter: @nestjs/swagger copies it over, though its types omit it. */
const COMMA_SEPARATED = { style: 'form', explode: false } as const;

/**
 * A comma-separated list in a query string, each item one of `values` (`include=organization,tasks`; the key
 * repeated works too). Arrives as an array without blanks or repeats; an unknown item is refused by name.
 */
export function QueryList(values: readonly string[], description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      description: `${description} Comma-separated, any of: ${values.join(', ')}.`,
      enum: values,
      isArray: true,
      ...COMMA_SEPARATED,
    }),
    Transform(({ value }: { value: unknown }) => {
      const items = (Array.isArray(value) ? value : [value]).flatMap((v: unknown) =>
        typeof v === 'string' ? v.split(',') : [v],
      );
      return [...new Set(items.map((v) => (typeof v === 'string' ? v.trim() : v)).filter((v) => v !== ''))];
    }),
    IsOptional(),
    IsIn(values as string[], {
      each: true,
      message: ({ property, value }: ValidationArguments) => {
        const unknown = (value as unknown[]).filter((v) => !values.includes(v as string));
        return `${property} has unknown value ${unknown.map((v) => `"${String(v)}"`).join(', ')} (allowed: ${values.join(', ')})`;
      },
    }),
  );
}

/** `customFields` in a create or update body: values by key, stored as sent (definitions are checked centrally). */
export function CustomFieldsInput(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'object',
      additionalProperties: true,
      description: 'Custom field values by key',
    }),
    IsOptional(),
    IsObject(),
  );
}

/** `tagIds` in a create or update body: the record's tags, replacing the ones it had. */
export function TagIdsInput(): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Replaces the tags' }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(100),
    IsUUID('all', { each: true, message: 'must be an array of tag ids (UUIDs)' }),
  );
}

/** An optional id filter in a query string, e.g. `fundId=<uuid>`; `what` names the record: "a fund". */
export function QueryUuid(what: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ format: 'uuid' }),
    IsOptional(),
    IsUUID('all', { message: `must be ${what} id (UUID)` }),
  );
}

/** A required record id in a body, e.g. `id: <uuid>`; `what` names the record: "an opportunity". */
export function BodyUuid(what: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'uuid' }),
    IsUUID('all', { message: `must be ${what} id (UUID)` }),
  );
}
