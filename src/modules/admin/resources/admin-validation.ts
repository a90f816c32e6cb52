import { ReferenceKind } from '@mikro-orm/core';
import type { ActionContext, ActionRequest } from 'adminjs';
import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate } from 'class-validator';

import { validationDetails } from '../../../common/pipes/validation.pipe.js';
import { fieldErrors } from './admin-errors.js';
import { flatParams } from './flat-params.js';
import type { CrmResource } from './crm-resource.js';
import { resourceDtos } from './admin-dtos.js';

type Plain = Record<string, unknown>;

/** The properties a DTO class declares (its own and inherited validation rules). */
function dtoKeys(dto: ClassConstructor<object>): Set<string> {
  return new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .map((m) => m.propertyName),
  );
}

/** A form value (always a string from the browser) as the JSON the API would receive. */
function jsonValue(value: unknown, runtimeType: string, columnType: string): unknown {
  if (typeof value !== 'string') return value;
  if (runtimeType === 'number') {
    if (value.trim() === '') return null;
    const n = Number(value.replace(/,/g, ''));
    return Number.isFinite(n) ? n : value;
  }
  if (runtimeType === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  if (columnType === 'date' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return value.slice(0, 10);
  return value;
}

/**
 * Writes from /admin pass the same rules as the API. The form's params (always strings) become the JSON the
 * API would receive ("5000" → 5000, "" → null, "false" → false); where the resource has a DTO class
 * (admin-dtos.ts) relations are renamed to the API's names (organization → organizationId, tags → tagIds),
 * the DTO validates them, and its cleaned values (trimmed, blanks as null) replace the payload. Anything
 * the DTO does not declare is dropped, so a hand-made POST cannot set fields the API would refuse.
 */
export async function validatePayload(
  request: ActionRequest,
  context: ActionContext,
  kind: 'create' | 'update',
): Promise<ActionRequest> {
  if (request.method !== 'post' || !request.payload) return request;
  const resource = context.resource as unknown as CrmResource;
  const form = flatParams.unflatten(request.payload) as Plain;
  const dto = resourceDtos(resource.id())[kind];
  const payload = dto ? await throughDto(resource, form, dto, kind) : coerce(resource, form);
  // Users: a new password is checked against the password policy when it is set (UsersService).
  if (typeof form.password === 'string' && form.password !== '') payload.password = form.password;
  if (form.version !== undefined && form.version !== '') payload.version = Number(form.version);
  return { ...request, payload: flatParams.flatten(payload) };
}

/** Without a DTO: typed values by column, blanks as null. */
function coerce(resource: CrmResource, form: Plain): Plain {
  const out: Plain = {};
  for (const [name, raw] of Object.entries(form)) {
    const column = resource.column(name);
    if (!column) continue;
    // A blank field with a database default (currency USD) takes the default.
    if (raw === '' && !column.nullable && (column.default !== undefined || column.defaultRaw !== undefined))
      continue;
    if (column.kind === ReferenceKind.MANY_TO_MANY) out[name] = manyIds(raw);
    else if (raw === '' && (column.nullable || column.kind !== ReferenceKind.SCALAR)) out[name] = null;
    else out[name] = jsonValue(raw, column.runtimeType, column.type);
  }
  return out;
}

const manyIds = (raw: unknown): unknown =>
  Array.isArray(raw) ? raw : raw === '' || raw === undefined || raw === null ? [] : [raw];

async function throughDto(
  resource: CrmResource,
  form: Plain,
  dto: ClassConstructor<object>,
  kind: 'create' | 'update',
): Promise<Plain> {
  const keys = dtoKeys(dto);
  const plain: Plain = {};
  const toForm = new Map<string, string>();
  const take = (key: string, name: string, value: unknown) => {
    if (!keys.has(key)) return;
    plain[key] = value;
    toForm.set(key, name);
  };
  for (const [name, raw] of Object.entries(form)) {
    const column = resource.column(name);
    // A DTO field that is not a column: a new user's password.
    if (!column) take(name, name, raw);
    else if (column.kind === ReferenceKind.MANY_TO_ONE) take(`${name}Id`, name, raw === '' ? null : raw);
    else if (column.kind === ReferenceKind.MANY_TO_MANY)
      take(`${name.replace(/s$/, '')}Ids`, name, manyIds(raw));
    else take(name, name, jsonValue(raw, column.runtimeType, column.type));
  }
  if (kind === 'update' && keys.has('version') && form.version !== undefined && form.version !== '') {
    plain.version = Number(form.version);
  }
  const instance = plainToInstance(dto, plain) as Plain;
  const errors = await validate(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: true },
  });
  if (errors.length > 0) {
    const details = validationDetails(errors);
    throw fieldErrors(details, `Please correct: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`);
  }
  const payload: Plain = {};
  for (const [key, name] of toForm) payload[name] = instance[key];
  return payload;
}
