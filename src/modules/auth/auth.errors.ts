import { AppError, ForbiddenError, UnauthorizedError } from '../../common/errors/index.js';

/** One answer for unknown user, wrong password, deactivated or locked account: nothing is revealed. */
export class InvalidCredentialsError extends UnauthorizedError {
  constructor() {
    super(
      'Invalid username or password, or the account is temporarily locked after too many failed attempts',
      'INVALID_CREDENTIALS',
    );
  }
}

export class InvalidTwoFactorCodeError extends UnauthorizedError {
  constructor() {
    super('Invalid or expired two-factor code or challenge', 'INVALID_2FA_CODE');
  }
}

export class TwoFactorRequiredError extends ForbiddenError {
  constructor() {
    super(
      'Two-factor authentication is required: enrol with POST /api/auth/2fa/setup and /api/auth/2fa/enable',
      'TWO_FACTOR_REQUIRED',
    );
  }
}

export class TwoFactorStateError extends AppError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}
