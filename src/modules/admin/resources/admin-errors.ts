import {
  CheckConstraintViolationException,
  DriverException,
  ForeignKeyConstraintViolationException,
  NotNullConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import {
  AppError as AdminAppError,
  ForbiddenError as AdminForbiddenError,
  NotFoundError as AdminNotFoundError,
  ValidationError as AdminValidationError,
  type PropertyErrors,
} from 'adminjs';

import {
  AppError,
  constraintMessage,
  type ErrorDetail,
  NotFoundError,
} from '../../../common/errors/index.js';
import { singular } from '../admin-locale.js';

/**
 * API field names (organizationId, tagIds) back to the form's property names (organization, tags); custom
 * fields keep their key (`customFields.check_size`), where the CustomFields component shows the error.
 */
export function formField(field: string): string {
  if (/^customFields\.[^.]+/.test(field)) return field.split('.').slice(0, 2).join('.');
  const top = field.split('.')[0];
  if (top.endsWith('Ids')) return `${top.slice(0, -3)}s`;
  if (top.endsWith('Id') && top !== 'id') return top.slice(0, -2);
  return top;
}

/** "snake_case" column → camelCase property. */
const camel = (column: string): string => column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * A form field as people read it: the detail's `label` when the writer knows it (a custom field's), else from
 * its name: `lostReason` → "Lost reason", `customFields.check_size` → "Check size".
 */
function fieldLabel(field: string, label?: unknown): string {
  if (typeof label === 'string') return label;
  const words = field
    .replace(/^customFields\./, '')
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Field errors under the inputs, and a notice: `notice`, or one naming the fields as the form does. Without
 * any field, a refusal with `message` only (AdminJS takes a validation error without field errors for a
 * success).
 */
export function fieldErrors(
  details: ErrorDetail[],
  message: string,
  notice?: string,
): AdminValidationError | AdminAppError {
  const errors: PropertyErrors = {};
  const labels: string[] = [];
  for (const d of details) {
    if (!d.field) continue;
    const field = formField(d.field);
    if (errors[field]) continue;
    errors[field] = { message: d.message, type: 'invalid' };
    labels.push(`${fieldLabel(field, d.label)} ${d.message}`);
  }
  if (labels.length === 0) return refusal(message);
  return new AdminValidationError(errors, {
    message: notice ?? `Please correct: ${labels.join('; ')}`,
    type: 'invalid',
  });
}

export function refusal(message: string): AdminAppError {
  return new AdminAppError(message, undefined, { message, type: 'error' });
}

export function staleVersionError(
  resource: string,
  current: number,
  sent?: number,
  changes: string[] = [],
): AdminValidationError {
  const noun = singular(resource);
  const message =
    `Someone else saved this ${noun} while you were editing it` +
    (sent ? ` (you started from version ${sent}, it is now version ${current})` : '') +
    (changes.length > 0 ? `: ${changes.join('; ')}` : '') +
    '. Nothing was saved and what you typed is still in the form: copy what you need, reload the page to see ' +
    'their changes, then make yours again.';
  return new AdminValidationError(
    { version: { message: 'is out of date', type: 'stale' } },
    { message, type: 'stale' },
  );
}

/**
 * Any failure of a write as something AdminJS shows: field errors under the inputs and a notice, a 404, or a
 * refusal. Unknown errors pass through (AdminJS answers 500 and the server logs them).
 */
/** The stale-version refusal's versions (current, sent), or undefined for any other error. */
export function staleVersions(err: unknown): { current: number; sent?: number } | undefined {
  if (err instanceof AppError && err.code === 'STALE_VERSION') {
    const d = (err.details ?? {}) as { currentVersion?: number; sentVersion?: number };
    return { current: d.currentVersion ?? 0, sent: d.sentVersion };
  }
  if (err instanceof OptimisticLockError) {
    return { current: (err.entity as { version?: number } | undefined)?.version ?? 0 };
  }
  return undefined;
}

export function toAdminError(err: unknown, resource = 'record'): unknown {
  if (err instanceof AdminValidationError || err instanceof AdminAppError) return err;
  if (err instanceof AdminNotFoundError || err instanceof AdminForbiddenError) return err;
  const stale = staleVersions(err);
  if (stale) return staleVersionError(resource, stale.current, stale.sent);
  if (err instanceof AppError) {
    if (err instanceof NotFoundError) return new AdminNotFoundError(err.message, 'record');
    if (err.status === 403) return new AdminForbiddenError(err.message);
    const details = Array.isArray(err.details) ? err.details : [];
    // Bad input lists its fields; a refusal of the service (a 409: taken email, definition in use) says why.
    return fieldErrors(details, err.message, err.status === 400 ? undefined : err.message);
  }
  if (err instanceof DriverException) return fromConstraint(err);
  return err;
}

function fromConstraint(err: DriverException): unknown {
  const pg = err as DriverException & { constraint?: string; column?: string; table?: string };
  const known = constraintMessage(pg.constraint);
  if (known) {
    return fieldErrors(known.field ? [{ field: known.field, message: known.message }] : [], known.message);
  }
  // Named by the schema's convention: <table>_<column>_check / _unique / _fkey.
  const column =
    pg.column ??
    (pg.table && pg.constraint?.startsWith(`${pg.table}_`)
      ? pg.constraint
          .slice(pg.table.length + 1)
          .replace(/_(check|unique|fkey|lower_unique|format_check)$/, '')
      : undefined);
  const field = column ? camel(column.replace(/_id$/, '')) : undefined;
  const one = (message: string, summary: string) =>
    fieldErrors(field ? [{ field, message }] : [], field ? `${field} ${message}` : summary);
  if (err instanceof UniqueConstraintViolationException) {
    return one('is already used by another record', 'A record with the same unique value already exists');
  }
  if (err instanceof NotNullConstraintViolationException)
    return one('is required', 'A required field is empty');
  if (err instanceof CheckConstraintViolationException) {
    return one('is not an accepted value', `The values break the rule ${pg.constraint ?? 'of the database'}`);
  }
  if (err instanceof ForeignKeyConstraintViolationException) {
    return fieldErrors(
      [],
      'This record is still referenced by other records (or refers to one that no longer exists); nothing was changed',
    );
  }
  return err;
}
