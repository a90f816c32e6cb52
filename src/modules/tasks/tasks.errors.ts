import type { ConstraintMessages } from '../../common/errors/index.js';

/** The database ties completedAt to the status; the service sets both, this names a write that slips past. */
export const TASK_CONSTRAINTS: ConstraintMessages = {
  tasks_completed_at_check: {
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'status',
    message: 'completedAt must be set exactly when the task is done',
  },
};
