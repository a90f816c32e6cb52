import { type EntityManager, ManyToOne, Property, type Ref } from '@mikro-orm/core';

import { BaseEntity } from '../common/entities/base.entity.js';
import { User } from '../modules/users/user.entity.js';

export type CustomFieldValues = Record<string, unknown>;

/**
 * A CRM record people edit concurrently: a `version` for optimistic locking (a stale update gets 409) and
 * typed custom field values in JSONB.
 */
export abstract class VersionedEntity<Optional extends string = never> extends BaseEntity<
  'version' | 'customFields' | Optional
> {
  @Property({ type: 'integer', version: true, default: 1 })
  version: number = 1;

  @Property({ type: 'json', columnType: 'jsonb', default: '{}' })
  customFields: CustomFieldValues = {};
}

/** Deleting one of these hides it (restorable by a manager); nothing is lost by a click. */
export abstract class SoftDeletableEntity<Optional extends string = never> extends VersionedEntity<
  'deletedAt' | 'deletedBy' | Optional
> {
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  deletedAt?: Date | null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  deletedBy?: Ref<User> | null;
}

/** What soft-deleting sets (any SoftDeletableEntity, whatever its optional properties). */
type SoftDeletion = Pick<SoftDeletableEntity, 'deletedAt' | 'deletedBy'>;

/** Hides `record` as deleted now by `userId`; the caller flushes. */
export function markDeleted(em: EntityManager, record: SoftDeletion, userId: string): void {
  record.deletedAt = new Date();
  record.deletedBy = em.getReference(User, userId, { wrapped: true });
}

/** Shows a deleted `record` again; false (nothing to flush) when it was not deleted. */
export function markRestored(record: SoftDeletion): boolean {
  if (!record.deletedAt) return false;
  record.deletedAt = null;
  record.deletedBy = null;
  return true;
}
