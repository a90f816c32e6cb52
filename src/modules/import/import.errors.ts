import { ConflictError } from '../../common/errors/index.js';

/** The batch was undone already. */
export class BatchAlreadyUndoneError extends ConflictError {
  constructor(id: string) {
    super('IMPORT_ALREADY_UNDONE', `Import batch ${id} was already undone`);
  }
}

/** Records of the batch changed since the import: undoing would lose those changes. */
export class BatchChangedSinceError extends ConflictError {
  constructor(records: { entityType: string; id: string; name: string; reason: string }[]) {
    const first = records[0];
    super(
      'IMPORT_CHANGED_SINCE',
      `Cannot undo: ${first.entityType} "${first.name}" (${first.id}) ${first.reason}` +
        (records.length > 1 ? ` — and ${records.length - 1} more record(s)` : ''),
      { records },
    );
  }
}
