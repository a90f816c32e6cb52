import { ConflictError, type ConstraintMessages } from '../../common/errors/index.js';

/** The race-safety net behind the service's checks: PostgreSQL refuses the second of two equal saves. */
export const USER_CONSTRAINTS: ConstraintMessages = {
  users_username_lower_unique: {
    code: 'USERNAME_TAKEN',
    field: 'username',
    message: 'username is already taken',
  },
  users_email_lower_unique: {
    code: 'EMAIL_TAKEN',
    field: 'email',
    message: 'email is already used by another user',
  },
};

export class LastAdminError extends ConflictError {
  constructor() {
    super('LAST_ADMIN', 'This is the last active admin: make someone else an admin first');
  }
}
