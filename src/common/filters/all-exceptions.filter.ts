import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import {
  CheckConstraintViolationException,
  DriverException,
  ForeignKeyConstraintViolationException,
  NotFoundError as OrmNotFoundError,
  NotNullConstraintViolationException,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';

import { RequestContext } from '../context/request-context.js';

import { AppError, constraintMessage, ErrorDetail } from '../errors/index.js';

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  details?: ErrorDetail[] | Record<string, unknown>;
  requestId?: string;
}

const codeByStatus: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The one error contract of the API: `{ statusCode, error, code, message, details? }`.
 * Anything unexpected is logged in full and answered as a masked 500 carrying the request id.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Exceptions');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = this.adapterHost.httpAdapter;
    const ctx = host.switchToHttp();
    const req: unknown = ctx.getRequest();
    const res: unknown = ctx.getResponse();
    const method = http.getRequestMethod(req) as string;
    const url = http.getRequestUrl(req) as string;
    const body = this.toBody(exception, method, url);
    if (body.statusCode >= 500) {
      const requestId = RequestContext.current()?.requestId;
      body.requestId = requestId ?? '';
      this.logger.error({ err: exception, requestId, method, url }, `Unhandled error on ${method} ${url}`);
    }
    if (http.isHeadersSent(res)) {
      http.end(res);
      return;
    }
    http.reply(res, body, body.statusCode);
  }

  private toBody(exception: unknown, method: string, url: string): ErrorBody {
    if (exception instanceof AppError) {
      return errorBody(exception.status, exception.code, exception.message, exception.details);
    }
    if (exception instanceof HttpException) {
      return fromHttpException(exception, method, url);
    }
    if (exception instanceof OptimisticLockError) {
      return errorBody(
        409,
        'STALE_VERSION',
        'The record was changed by someone else; reload it and try again',
      );
    }
    if (exception instanceof OrmNotFoundError) {
      return errorBody(404, 'NOT_FOUND', exception.message);
    }
    if (exception instanceof DriverException) {
      const mapped = fromConstraint(exception);
      if (mapped) return mapped;
    }
    return errorBody(
      500,
      'INTERNAL_ERROR',
      'An unexpected error occurred. Quote the request id when reporting it.',
    );
  }
}

/** The API's error body (see AllExceptionsFilter). */
export function errorBody(
  statusCode: number,
  code: string,
  message: string,
  details?: ErrorDetail[] | Record<string, unknown>,
): ErrorBody {
  const body: ErrorBody = { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message };
  if (details !== undefined) body.details = details;
  return body;
}

/** The `code` of an error body that has none of its own: by its status. */
export const errorCode = (status: number): string =>
  codeByStatus[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR');

function fromHttpException(exception: HttpException, method: string, url: string): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  let message = exception.message;
  if (status === 404 && /^Cannot (GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.test(message)) {
    message = `No route ${method} ${url.split('?')[0]}`;
  } else if (typeof response === 'object' && response !== null) {
    const m = (response as { message?: unknown }).message;
    if (Array.isArray(m)) message = m.join('; ');
    else if (typeof m === 'string') message = m;
  }
  const code = errorCode(status);
  if (status >= 500)
    return errorBody(status, code, 'An unexpected error occurred. Quote the request id when reporting it.');
  return errorBody(status, code, message);
}

function fromConstraint(exception: DriverException): ErrorBody | undefined {
  const pgError = exception as DriverException & { constraint?: string; column?: string; table?: string };
  const known = constraintMessage(pgError.constraint);
  if (known) {
    return errorBody(
      known.status,
      known.code,
      known.message,
      known.field ? [{ field: known.field, message: known.message }] : undefined,
    );
  }
  if (exception instanceof UniqueConstraintViolationException) {
    return errorBody(409, 'CONFLICT', 'A record with the same unique value already exists');
  }
  if (exception instanceof ForeignKeyConstraintViolationException) {
    return errorBody(
      400,
      'INVALID_REFERENCE',
      'The request refers to a record that does not exist, or one that is still referenced',
    );
  }
  if (exception instanceof NotNullConstraintViolationException) {
    const field = pgError.column;
    return errorBody(
      400,
      'VALIDATION_FAILED',
      `${field ?? 'A required field'} is required`,
      field ? [{ field, message: 'is required' }] : undefined,
    );
  }
  if (exception instanceof CheckConstraintViolationException) {
    return errorBody(
      400,
      'VALIDATION_FAILED',
      `The values break the rule ${pgError.constraint ?? 'of the database'}`,
    );
  }
  return undefined;
}
