import type { EntityManager, RequiredEntityData } from '@mikro-orm/core';

import { type FactoryOptions, seqOf } from './sequence.js';

export type { EntityManager };

/** Any field of the entity, as `em.create` takes it (relations as entities, references or ids). */
export type Overrides<T extends object> = Partial<RequiredEntityData<T>>;

/** Builds a record from `data` over defaults derived from a sequence number (`options.seq`, or the next one). */
export type Factory<T extends object> = (
  em: EntityManager,
  data?: Overrides<T>,
  options?: FactoryOptions,
) => T;

/** The factory whose `build` makes the record from the overrides and the sequence number. */
export function defineFactory<T extends object>(
  build: (em: EntityManager, data: Overrides<T>, seq: number) => T,
): Factory<T> {
  return (em, data = {}, options) => build(em, data, seqOf(options));
}
