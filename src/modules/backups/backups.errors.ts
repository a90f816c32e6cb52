import { HttpStatus } from '@nestjs/common';

import { AppError, ConflictError, NotFoundError } from '../../common/errors/index.js';

/** A backup file that is not exactly what was written: wrong checksum, truncated, altered or undecryptable. */
export class BackupIntegrityError extends AppError {
  constructor(reason: string) {
    super(HttpStatus.UNPROCESSABLE_ENTITY, 'BACKUP_INVALID', `The backup cannot be used: ${reason}`);
  }
}

export class BackupNotFoundError extends NotFoundError {
  constructor(name: string) {
    super('Backup', name);
  }
}

export class JobRunningError extends ConflictError {
  constructor(job: string) {
    super(
      'JOB_RUNNING',
      `A ${job} is running already (on this or another instance); try again when it has finished`,
    );
  }
}

/** The backup run failed (its reason is in the job run's record and the log). */
export class BackupFailedError extends AppError {
  constructor(reason: string, runId?: string) {
    super(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'BACKUP_FAILED',
      `The backup failed: ${reason}`,
      runId ? { runId } : undefined,
    );
  }
}
