import type { EntityClass, EntityManager, FilterQuery } from '@mikro-orm/core';

import { ValidationError } from '../errors/index.js';

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
