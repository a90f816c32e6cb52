import { HttpStatus } from '@nestjs/common';

export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

/**
 * Base of every error the API answers on purpose. `code` is a stable, machine-readable string
 * integrators can switch on; `message` is for people; `details` carries per-field reasons or context.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[] | Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, details);
  }

  /** One bad field: the message names it. */
  static field(field: string, reason: string): ValidationError {
    return new ValidationError(`${field}: ${reason}`, [{ field, message: reason }]);
  }
}

export class NotFoundError extends AppError {
  constructor(entity: string, id?: string) {
    super(HttpStatus.NOT_FOUND, 'NOT_FOUND', id ? `${entity} ${id} not found` : `${entity} not found`);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: ErrorDetail[] | Record<string, unknown>) {
    super(HttpStatus.CONFLICT, code, message, details);
  }
}

export class StaleVersionError extends ConflictError {
  constructor(entity: string, currentVersion: number, sentVersion: number) {
    super(
      'STALE_VERSION',
      `${entity} was changed by someone else (you sent version ${sentVersion}, current is ${currentVersion}); reload it and apply your change again`,
      { currentVersion, sentVersion },
    );
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', code = 'UNAUTHORIZED') {
    super(HttpStatus.UNAUTHORIZED, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do this', code = 'FORBIDDEN') {
    super(HttpStatus.FORBIDDEN, code, message);
  }
}
