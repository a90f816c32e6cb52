import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Logger } from '@nestjs/common';
import {
  ForbiddenError as AdminForbiddenError,
  NotFoundError as AdminNotFoundError,
  ValidationError as AdminValidationError,
} from 'adminjs';
import busboy from 'busboy';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';

import { AppError } from '../../common/errors/index.js';
import { escapeHtml } from '../../common/http/html.js';
import { invalidRequestText } from '../../common/http/invalid-text.js';
import { readUpload } from '../import/import-upload.js';

/** The back office's own limits on what a request may ask for (its list pages offer 10 to 100 rows). */
export const ADMIN_LIMITS = {
  perPage: 100,
  page: 100_000,
  queryLength: 4096,
  queryKeys: 60,
  keyLength: 120,
  /** `filters.customFields.check_size` is three levels deep. */
  keyDepth: 4,
  valueLength: 1000,
  recordIds: 500,
  formFields: 2000,
} as const;

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Names that would reach an object's prototype when AdminJS turns `a.b.c` keys into objects. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

const hasForbiddenSegment = (key: string): boolean =>
  key.split(/[.[\]]/).some((segment) => FORBIDDEN_SEGMENTS.has(segment));

export type AdminRequest = Request & { fields?: Record<string, string> };

const badRequest = (field: string, message: string) =>
  new AppError(400, 'INVALID_REQUEST', `${field}: ${message}`, [{ field, message }]);

/** The origin a browser says a request comes from: `Origin`, else the `Referer`'s origin. */
function claimedOrigin(req: Request): string | undefined {
  const origin = req.get('origin');
  if (origin && origin !== 'null') return origin;
  const referer = req.get('referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/** True when the browser says the request comes from a page of this very host (fetch metadata, then Origin). */
export function isSameOrigin(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = claimedOrigin(req);
  if (!origin) return false;
  try {
    return new URL(origin).host === req.host;
  } catch {
    return false;
  }
}

/**
 * CSRF protection: a request that changes anything (any method but GET/HEAD/OPTIONS) must come from a page of
 * this back office, as the browser itself states in `Sec-Fetch-Site` / `Origin` (or `Referer`). A cross-site
 * form or script is refused before its body is read; the session cookie (SameSite=Lax) is never enough.
 */
export const sameOriginWrites: RequestHandler = (req, _res, next) => {
  if (READS.has(req.method) || isSameOrigin(req)) return next();
  next(
    new AppError(
      403,
      'CROSS_SITE_REQUEST',
      'Refused: this change was not sent from a page of this back office (Origin check)',
    ),
  );
};

function positiveInteger(value: unknown, field: string, max: number): void {
  if (value === undefined) return;
  const text = typeof value === 'string' ? value : '';
  if (!/^\d{1,7}$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw badRequest(field, `must be a whole number from 1 to ${max}`);
  }
}

/**
 * Bounds on the query string before AdminJS unflattens it into filters: its size, how many keys and how deep,
 * page sizes and numbers, bulk id lists, and text PostgreSQL cannot store. A 400 naming the parameter.
 */
export const boundedQuery: RequestHandler = (req, _res, next) => {
  const raw = req.originalUrl.split('?')[1] ?? '';
  if (raw.length > ADMIN_LIMITS.queryLength) {
    return next(badRequest('query', `is longer than ${ADMIN_LIMITS.queryLength} characters`));
  }
  const query = req.query as Record<string, unknown>;
  const keys = Object.keys(query);
  try {
    if (keys.length > ADMIN_LIMITS.queryKeys) {
      throw badRequest('query', `has more than ${ADMIN_LIMITS.queryKeys} parameters`);
    }
    for (const key of keys) {
      const depth = key.split(/[.[]/).length;
      if (key.length > ADMIN_LIMITS.keyLength || depth > ADMIN_LIMITS.keyDepth || hasForbiddenSegment(key)) {
        throw badRequest(key.slice(0, 40), 'is not a parameter this back office takes');
      }
      const value = query[key];
      if (Array.isArray(value)) throw badRequest(key, 'is given more than once');
      if (typeof value === 'string' && value.length > ADMIN_LIMITS.valueLength) {
        throw badRequest(key, `is longer than ${ADMIN_LIMITS.valueLength} characters`);
      }
    }
    positiveInteger(query.perPage, 'perPage', ADMIN_LIMITS.perPage);
    positiveInteger(query.page, 'page', ADMIN_LIMITS.page);
    const ids = query.recordIds;
    if (typeof ids === 'string' && ids.split(',').length > ADMIN_LIMITS.recordIds) {
      throw badRequest('recordIds', `lists more than ${ADMIN_LIMITS.recordIds} records`);
    }
  } catch (err) {
    return next(err);
  }
  next(invalidRequestText({ query }));
};

/** Multipart form fields (AdminJS's forms are FormData) in memory: no file is accepted, nothing is written. */
function multipartFields(req: AdminRequest, limit: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    let failed: AppError | undefined;
    const fail = (err: AppError) => {
      failed ??= err;
      req.unpipe(parser);
      req.resume();
      reject(failed);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          fieldSize: limit,
          fieldNameSize: ADMIN_LIMITS.keyLength,
          fields: ADMIN_LIMITS.formFields,
          files: 0,
          parts: ADMIN_LIMITS.formFields,
        },
      });
    } catch {
      return reject(badRequest('body', 'is not a valid multipart form'));
    }
    let size = 0;
    parser.on('field', (name, value, info) => {
      size += name.length + value.length;
      if (info.valueTruncated || info.nameTruncated || size > limit) {
        return fail(new AppError(413, 'PAYLOAD_TOO_LARGE', 'The form is larger than this server accepts'));
      }
      if (hasForbiddenSegment(name))
        return fail(badRequest(name.slice(0, 40), 'is not a field of this form'));
      fields[name] = value;
    });
    parser.on('file', (_name, stream) => {
      stream.resume();
      fail(badRequest('body', 'files cannot be uploaded here'));
    });
    parser.on('filesLimit', () => fail(badRequest('body', 'files cannot be uploaded here')));
    parser.on('fieldsLimit', () =>
      fail(badRequest('body', `has more than ${ADMIN_LIMITS.formFields} fields`)),
    );
    parser.on('partsLimit', () => fail(badRequest('body', `has more than ${ADMIN_LIMITS.formFields} parts`)));
    parser.on('error', () => fail(badRequest('body', 'is not a valid multipart form')));
    parser.on('close', () => {
      if (!failed) resolve(fields);
    });
    req.pipe(parser);
  });
}

/** A field name that would reach an object's prototype, or text PostgreSQL cannot store: a 400 naming it. */
function fieldProblem(fields: Record<string, string>): AppError | undefined {
  const forbidden = Object.keys(fields).find(hasForbiddenSegment);
  if (forbidden) return badRequest(forbidden.slice(0, 40), 'is not a field of this form');
  return invalidRequestText({ fields });
}

/**
 * A page write that carries one CSV file (the import wizard's, multipart): read exactly as POST
 * /api/import/upload reads it (readUpload: in memory, one `file` within IMPORT_FILE_LIMIT, UTF-8) into
 * `req.fields` — its text fields, `fileName` and `file` (the file's text, which the import itself checks).
 * Other bodies are left to adminBody. Mounted after the sign-in check, like adminBody.
 */
export const adminUpload: RequestHandler = (req: AdminRequest, _res, next) => {
  if (!req.is('multipart/form-data')) return next();
  readUpload(req).then(({ fields, fileName, text }) => {
    const problem = fieldProblem({ ...fields, fileName });
    if (problem) return next(problem);
    req.fields = { ...fields, fileName, file: text };
    next();
  }, next);
};

/**
 * The body of a signed-in user's write as `req.fields` (what AdminJS's handlers read): multipart form fields
 * (in memory, within `limit` bytes, no files), a URL-encoded form or JSON. Only mounted after the sign-in check,
 * so nobody's upload is read before they are known.
 */
export function adminBody(limit: number): RequestHandler {
  const json = express.json({ limit });
  const form = express.urlencoded({ limit, extended: false, parameterLimit: ADMIN_LIMITS.formFields });
  return (req: AdminRequest, res, next) => {
    if (READS.has(req.method) || req.fields) return next();
    const done = (err?: unknown) => {
      if (err) return next(err);
      req.fields ??= (req.body as Record<string, string> | undefined) ?? {};
      next(fieldProblem(req.fields));
    };
    if (req.is('multipart/form-data')) {
      multipartFields(req, limit).then((fields) => {
        req.fields = fields;
        done();
      }, done);
    } else if (req.is('application/json')) json(req, res, done);
    else if (req.is('application/x-www-form-urlencoded')) form(req, res, done);
    else done();
  };
}

interface Described {
  status: number;
  code: string;
  message: string;
}

interface ParserError {
  type?: string;
  status?: number;
}

/** What an error means for the person or the script that sent the request. */
function describe(err: unknown): Described {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message };
  if (err instanceof AdminNotFoundError) return { status: 404, code: 'NOT_FOUND', message: 'No such record' };
  if (err instanceof AdminForbiddenError) {
    return { status: 403, code: 'FORBIDDEN', message: 'You do not have permission to do this' };
  }
  if (err instanceof AdminValidationError) {
    // "Please correct: Job must be one of backup, digest, reminders" — the fields and why (admin-errors.ts).
    const message = err.baseError?.message ?? 'The request is not valid';
    return { status: 400, code: 'VALIDATION_FAILED', message };
  }
  const type = (err as ParserError | undefined)?.type;
  if (type === 'entity.too.large') {
    return {
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is larger than this server accepts',
    };
  }
  if (type === 'entity.parse.failed' || type === 'parameters.too.many') {
    return { status: 400, code: 'INVALID_REQUEST', message: 'The request body could not be read' };
  }
  return {
    status: 500,
    code: 'INTERNAL_ERROR',
    message: 'An unexpected error occurred. Quote the request id when reporting it.',
  };
}

const logger = new Logger('BackOffice');

/**
 * Streams `source` as the answer (a backup, a CSV). A client that goes away before the end (a cancelled download, a
 * closed tab) is not a failure of the server: the source is closed and the answer ends there, logged at debug. A
 * source that fails is an error as any other.
 */
export async function streamAnswer(source: Readable, res: Response): Promise<void> {
  try {
    await pipeline(source, res);
  } catch (err) {
    const gone = res.destroyed && !res.writableFinished;
    if (!gone || (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw err;
    logger.debug({ url: res.req.originalUrl }, 'The client closed the connection before the end');
  }
}

/**
 * The last stop of the back office: every error becomes an answer with the API's error contract (JSON for its
 * /api routes, a short page otherwise); unexpected ones are logged in full and masked, never a stack trace.
 */
export function adminErrors(): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const { status, code, message } = describe(err);
    const requestId = String((req as Request & { id?: string }).id ?? '');
    if (status >= 500) {
      logger.error(
        { err, requestId, method: req.method, url: req.originalUrl },
        'Back office request failed',
      );
    }
    if (res.headersSent) return void res.end();
    const body = {
      statusCode: status,
      error: STATUS_CODES[status] ?? 'Error',
      code,
      message,
      ...(err instanceof AppError && err.details ? { details: err.details } : {}),
      ...(status >= 500 ? { requestId } : {}),
    };
    if (req.path.startsWith('/api/') || !req.accepts('html')) {
      res.status(status).json(body);
      return;
    }
    res
      .status(status)
      .type('html')
      .send(
        `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${status} · venture-crm</title>` +
          `<link rel="stylesheet" href="/admin/brand/admin.css"></head><body style="font-family: Roboto, sans-serif; padding: 48px">` +
          `<h1 style="font-size: 22px; margin-bottom: 16px">${escapeHtml(body.error)}</h1><p>${escapeHtml(message)}</p>` +
          `<p style="margin-top: 24px"><a href="/admin">Back to the back office</a></p></body></html>`,
      );
  };
}
