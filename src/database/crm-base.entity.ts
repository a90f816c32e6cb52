import {
  type EntityClass,
  type EntityManager,
  type FilterQuery,
  type FindOneOptions,
  ManyToOne,
  Property,
  type Ref,
} from '@mikro-orm/core';

import { NotFoundError } from '../common/errors/index.js';

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

/**
 * The live record `id` (or a deleted one too: `includeDeleted`, for a restore) of `entity`, which a 404 calls
 * `name`, loaded with `options` (its relations to populate).
 */
export async function findRecord<T extends SoftDeletion & { id: string }, P extends string = never>(
  em: EntityManager,
  entity: EntityClass<T>,
  name: string,
  id: string,
  includeDeleted: boolean,
  options?: FindOneOptions<T, P>,
): Promise<T> {
  const where = (includeDeleted ? { id } : { id, deletedAt: null }) as unknown as FilterQuery<T>;
  const record = await em.findOne(entity, where, options);
  if (!record) throw new NotFoundError(name, id);
  return record;
}
