import { ConflictError, registerConstraintMessages } from '../../common/errors/index.js';

registerConstraintMessages({
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
});

export class LastAdminError extends ConflictError {
  constructor() {
    super('LAST_ADMIN', 'This is the last active admin: make someone else an admin first');
  }
}
