import { ConflictError, type ConstraintMessages } from '../../common/errors/index.js';

// The race-safety net: two saves of the same email at once both pass the service check; PostgreSQL refuses one.
export const CONTACT_CONSTRAINTS: ConstraintMessages = {
  contacts_email_lower_unique: {
    code: 'DUPLICATE_EMAIL',
    field: 'email',
    message: 'another live contact already has this email (ignoring case)',
  },
};

/** 409: the email belongs to another live contact; `details` names the field and that contact's id. */
export class DuplicateEmailError extends ConflictError {
  constructor(email: string, existingId: string) {
    super('DUPLICATE_EMAIL', `email: ${email} already belongs to contact ${existingId} (ignoring case)`, [
      {
        field: 'email',
        message: 'already belongs to another live contact (ignoring case)',
        contactId: existingId,
      },
    ]);
  }
}

/** 409: both contacts of a merge have an LP profile in the same fund(s); one of each pair must go first. */
export class MergeConflictError extends ConflictError {
  constructor(funds: { id: string; name: string }[]) {
    const names = funds.map((f) => f.name).join(', ');
    super(
      'MERGE_CONFLICT',
      `Both contacts have an LP profile for ${names}: merge or delete one of those LP profiles first`,
      { funds },
    );
  }
}
