import { ValidationError } from '../errors/index.js';

/** How deep a request's JSON is searched: deeper values are refused by the DTOs anyway. */
const MAX_DEPTH = 32;

/**
 * Why a string cannot be stored: PostgreSQL refuses NUL in text and jsonb (an error that used to surface as
 * a 500), and a lone UTF-16 surrogate would be stored as U+FFFD — a silent change of what was sent.
 */
export function textProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (!value.isWellFormed()) return 'contains an unpaired UTF-16 surrogate (not valid Unicode text)';
  return undefined;
}

/**
 * The first string (keys included) in `value` that cannot be stored as text, as `{ field, message }` with
 * the field as a dotted path under `root` (`body.contact.email`), or undefined when all of it is fine.
 */
export function findInvalidText(
  value: unknown,
  root: string,
  depth = 0,
): { field: string; message: string } | undefined {
  if (typeof value === 'string') {
    const message = textProblem(value);
    return message ? { field: root, message } : undefined;
  }
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const field = Array.isArray(value) ? `${root}[${key}]` : `${root}.${key}`;
    const keyProblem = textProblem(key);
    if (keyProblem) return { field, message: `has a name that ${keyProblem}` };
    const found = findInvalidText(item, field, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The request's parts that carry text a handler may store or put in SQL. */
export function invalidRequestText(req: {
  body?: unknown;
  query?: unknown;
  fields?: unknown;
}): ValidationError | undefined {
  const found =
    findInvalidText(req.query, 'query') ??
    findInvalidText(req.body, 'body') ??
    findInvalidText(req.fields, 'body');
  if (!found) return undefined;
  const field = found.field.replace(/^(query|body)\./, '');
  return new ValidationError(`${field}: ${found.message}`, [{ field, message: found.message }]);
}
