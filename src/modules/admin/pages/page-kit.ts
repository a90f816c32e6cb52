import type { ArgumentMetadata } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import type { CurrentAdmin } from 'adminjs';

import type { AuthUser } from '../../../common/auth/auth-user.js';
import { type Role, roleAtLeast, rolesFrom } from '../../../common/auth/role.js';
import { AppError, ForbiddenError, ValidationError } from '../../../common/errors/index.js';
import { createValidationPipe } from '../../../common/pipes/validation.pipe.js';
import { adminCaller } from '../admin-access.js';

/** What AdminJS's page controller hands a page handler (admin-pipeline.ts builds it from the request). */
interface PageRequest {
  method?: string;
  query?: Record<string, unknown>;
  payload?: Record<string, unknown>;
}

type Plain = Record<string, unknown>;

const pipe = createValidationPipe();

/**
 * A page's input checked exactly as the API's global ValidationPipe checks the same DTO: its rules, its
 * transforms, unknown fields refused; a 400 naming the field.
 */
export async function pageInput<T extends object>(
  dto: ClassConstructor<T>,
  value: Plain,
  type: ArgumentMetadata['type'],
): Promise<T> {
  return (await pipe.transform(value, { type, metatype: dto })) as T;
}

/** The API's refusal for a route declared `@Auth(minimum)`, for a caller below that role. */
export function assertRole(caller: AuthUser, minimum: Role): void {
  if (!roleAtLeast(caller.role, minimum)) {
    throw new ForbiddenError(`This requires the role ${rolesFrom(minimum).join(' or ')}`);
  }
}

export interface PageSpec {
  /** GET /admin/api/pages/<name>?…: the page's data, from the query string. */
  read: (query: Plain, caller: AuthUser) => Promise<unknown>;
  /** POST /admin/api/pages/<name> with a JSON body `{ action, …fields }`: one of the page's writes. */
  actions?: Record<string, (fields: Plain, caller: AuthUser) => Promise<unknown>>;
}

/**
 * An AdminJS page handler over the API's services: the caller is the signed-in user (roles checked as the
 * API's routes check them), reads come from the query, writes are POSTs naming an action. Errors are the
 * services' own (AppError): the back office's error handler answers them with the API's error contract.
 * Writes reach here only from a page of this back office (the router's same-origin check) and are audited
 * with source `admin`.
 */
/** An AdminJS `PageHandler`, typed by what it reads of the request and the context. */
type Handler = (
  request: PageRequest,
  response: unknown,
  context: { currentAdmin?: CurrentAdmin },
) => Promise<unknown>;

export function pageHandler(spec: PageSpec): Handler {
  return async (request, _response, context) => {
    const caller = adminCaller(context);
    if ((request.method ?? 'get').toLowerCase() !== 'post') return spec.read(request.query ?? {}, caller);
    const { action, ...fields } = request.payload ?? {};
    const run =
      typeof action === 'string' && spec.actions && Object.hasOwn(spec.actions, action)
        ? spec.actions[action]
        : undefined;
    if (!run) {
      const known = Object.keys(spec.actions ?? {});
      throw known.length
        ? ValidationError.field('action', `must be one of: ${known.join(', ')}`)
        : new AppError(405, 'METHOD_NOT_ALLOWED', 'This page takes no writes');
    }
    return run(fields, caller);
  };
}
