import { type EntityProperty, ReferenceKind } from '@mikro-orm/core';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';

import { validationDetails } from '../../../common/pipes/validation.pipe.js';
import { fieldErrors } from './admin-errors.js';

type Plain = Record<string, unknown>;

/** What the conversion needs to know about the resource: its visible columns by form name. */
export interface FormColumns {
  column(path: string): EntityProperty | undefined;
}

/** A calendar-day column (`date` in PostgreSQL; MikroORM's DateType, a YYYY-MM-DD string). */
export const isDayColumn = (column: EntityProperty): boolean => column.columnTypes?.[0] === 'date';

const isBlank = (value: unknown): boolean => value === '' || value === null || value === undefined;

/** A form value (a string from the browser) of a scalar column as the JSON the API would receive. */
function jsonValue(value: unknown, column: EntityProperty): unknown {
  if (typeof value !== 'string') return value;
  if (column.runtimeType === 'number') {
    // Money typed with group separators ("5,000,000.50"); anything else stays text for the DTO to refuse.
    const n = Number(value.replace(/,/g, '').trim());
    return Number.isFinite(n) ? n : value;
  }
  if (column.runtimeType === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  // A date-only column given a timestamp (the date picker's ISO form): its day.
  if (isDayColumn(column) && /^\d{4}-\d{2}-\d{2}T/.test(value)) return value.slice(0, 10);
  return value;
}

/**
 * One form field under the API's name with the API's value, or undefined to leave it out:
 * - a relation `organization` is `organizationId` (blank: null, "none"); a collection `tags` is `tagIds`;
 * - blank fields are null ("no value"), except where the column has a default (currency USD, status
 *   active): left out, so a new record takes the default and an edited one keeps its value;
 * - numbers, booleans and dates as JSON values (see jsonValue).
 */
function apiField(name: string, raw: unknown, column: EntityProperty): [string, unknown] {
  if (column.kind === ReferenceKind.MANY_TO_ONE) return [`${name}Id`, isBlank(raw) ? null : raw];
  if (column.kind === ReferenceKind.MANY_TO_MANY) {
    const ids = Array.isArray(raw) ? raw : isBlank(raw) ? [] : [raw];
    return [`${name.replace(/s$/, '')}Ids`, ids];
  }
  if (isBlank(raw)) {
    const hasDefault = column.default !== undefined || column.defaultRaw !== undefined;
    return [name, !column.nullable && hasDefault ? undefined : null];
  }
  return [name, jsonValue(raw, column)];
}

/** Browsers send a textarea's line breaks as CRLF (form encoding); the API stores them as clients type them: \n. */
function unixNewlines(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\r\n?/g, '\n');
  if (Array.isArray(value)) return value.map(unixNewlines);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unixNewlines(v)]));
  return value;
}

/**
 * The form's params (always strings from the browser, already unflattened) as the JSON body the API would
 * receive for the same change: "5,000,000.50" → 5000000.5, "" → null, organization → organizationId,
 * CRLF line breaks → \n.
 * Fields that are not columns (a new user's password, a definition's `force`) keep their names and values.
 */
export function apiBody(columns: FormColumns, form: Plain): Plain {
  const body: Plain = {};
  for (const [name, sent] of Object.entries(form)) {
    const raw = unixNewlines(sent);
    const column = columns.column(name);
    const [key, value] = column ? apiField(name, raw, column) : [name, raw];
    if (value !== undefined) body[key] = value;
  }
  return body;
}

/** The properties a DTO class declares (its own and inherited validation rules). */
function dtoKeys(dto: ClassConstructor<object>): Set<string> {
  return new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .map((m) => m.propertyName),
  );
}

/**
 * The body checked by the API's request DTO, as the global ValidationPipe checks it: its rules, its
 * transforms (trimming, blank text as null, upper-case currency codes). Only what the DTO declares is kept:
 * the form also carries read-only params (id, createdAt, version of records without one), and a hand-made
 * POST cannot set what the API would not accept. Problems are field errors under the form's inputs.
 */
export async function validatedDto<T extends object>(dto: ClassConstructor<T>, body: Plain): Promise<T> {
  const keys = dtoKeys(dto);
  const plain = Object.fromEntries(Object.entries(body).filter(([key]) => keys.has(key)));
  const instance = plainToInstance(dto, plain);
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: true },
  });
  if (errors.length > 0) throw fieldErrors(validationDetails(errors), 'The form has errors');
  return instance;
}
