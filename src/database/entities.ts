import type { EntityClass } from '@mikro-orm/core';

/** Every entity of the app, listed explicitly (no folder globbing: works the same from src/ and dist/). */
export const ENTITIES: EntityClass<unknown>[] = [];
