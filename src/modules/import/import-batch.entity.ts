import {
  Check,
  Entity,
  Enum,
  Index,
  ManyToOne,
  OptionalProps,
  PrimaryKey,
  Property,
  type Ref,
} from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

import { User } from '../users/user.entity.js';

export enum ImportBatchStatus {
  Committed = 'committed',
  Undone = 'undone',
}

export enum ImportRecordAction {
  Created = 'created',
  Updated = 'updated',
}

/** One import run that wrote something: what was asked, what happened, and whether it was undone. */
@Entity({ tableName: 'import_batches' })
@Index({ name: 'import_batches_created_at_index', properties: ['createdAt'] })
@Check({
  name: 'import_batches_undone_check',
  expression: `("status" = 'undone') = ("undone_at" is not null)`,
})
export class ImportBatch {
  [OptionalProps]?: 'createdAt' | 'status';

  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id: string = randomUUID();

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'string', length: 32 })
  entityType!: string;

  @Enum({
    items: () => ImportBatchStatus,
    nativeEnumName: 'import_batch_status',
    default: ImportBatchStatus.Committed,
  })
  status: ImportBatchStatus = ImportBatchStatus.Committed;

  @Property({ type: 'string', length: 255, nullable: true })
  fileName?: string | null;

  /** entityType, mapping, onDuplicate, partial, dayFirst as asked. */
  @Property({ type: 'json', columnType: 'jsonb' })
  options!: Record<string, unknown>;

  /** The report the run answered (counts, errors, warnings, skips). */
  @Property({ type: 'json', columnType: 'jsonb' })
  report!: Record<string, unknown>;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy?: Ref<User> | null;

  @Property({ type: 'string', length: 200 })
  actorLabel!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  undoneAt?: Date | null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  undoneBy?: Ref<User> | null;
}

/** A record a batch created or updated: enough to undo it, and to tell whether it changed since. */
@Entity({ tableName: 'import_batch_records' })
@Index({ name: 'import_batch_records_batch_id_index', properties: ['batch', 'row'] })
@Index({ name: 'import_batch_records_entity_index', properties: ['entityType', 'entityId'] })
export class ImportBatchRecord {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id: string = randomUUID();

  @ManyToOne(() => ImportBatch, { ref: true, deleteRule: 'cascade' })
  batch!: Ref<ImportBatch>;

  /** The data row (1 = first row under the header) that created or updated it. */
  @Property({ type: 'integer' })
  row!: number;

  @Property({ type: 'string', length: 32 })
  entityType!: string;

  @Property({ type: 'uuid' })
  entityId!: string;

  @Enum({ items: () => ImportRecordAction, nativeEnumName: 'import_record_action' })
  action!: ImportRecordAction;

  /** The record's version when the import left it; another version means someone changed it since. */
  @Property({ type: 'integer' })
  version!: number;

  /** For an update: the values it replaced (fields as the entity names them, tags as ids). */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  previous?: Record<string, unknown> | null;
}
