import type { EntityClass, EntityManager, FilterQuery, Ref } from '@mikro-orm/core';
import { ref as toRef } from '@mikro-orm/core';

import { ValidationError } from '../errors/index.js';

/** What counts as live for a soft-deleted record: not deleted. */
export const NOT_DELETED = { deletedAt: null } as const;

/**
 * The record an id in a request body points to, or a 400 naming the body field. `live` narrows what counts
 * (not soft-deleted, an active user, …) and `what` says it in the message: "no live contact with id …".
 */
export async function referenced<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  id: string,
  field: string,
  what: string,
  live: object = {},
): Promise<T> {
  const found = await em.findOne(entity, { ...live, id } as FilterQuery<T>);
  if (!found) throw ValidationError.field(field, `no ${what} with id ${id}`);
  return found;
}

/**
 * An id sent for a relation, applied to its current value: undefined keeps it (PATCH) or clears it (PUT,
 * `replaceAll`); null clears it; a new id is loaded (and checked) by `load`. An unchanged id keeps the current
 * link without a check, even if its record has been deleted since: re-sending what was read never fails.
 */
export async function relink<T extends { id: string }>(
  current: Ref<T> | null | undefined,
  sent: string | null | undefined,
  replaceAll: boolean,
  load: (id: string) => Promise<T>,
): Promise<Ref<T> | null> {
  if (sent === undefined) return replaceAll ? null : (current ?? null);
  if (sent === null) return null;
  const id = sent.toLowerCase();
  if (current?.id === id) return current;
  return toRef(await load(id));
}
