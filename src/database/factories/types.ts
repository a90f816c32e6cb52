import type { EntityManager, RequiredEntityData } from '@mikro-orm/core';

export type { EntityManager };

/** Any field of the entity, as `em.create` takes it (relations as entities, references or ids). */
export type Overrides<T extends object> = Partial<RequiredEntityData<T>>;
