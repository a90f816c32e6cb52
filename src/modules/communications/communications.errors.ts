import type { ConstraintMessages } from '../../common/errors/index.js';

/** The service checks these first; the database names them when a write slips past (races, other paths). */
export const COMMUNICATION_CONSTRAINTS: ConstraintMessages = {
  communications_link_check: {
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'contactId',
    message: 'a communication needs a contactId or an opportunityId',
  },
  communications_duration_check: {
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'durationMinutes',
    message: 'must not be negative',
  },
};
