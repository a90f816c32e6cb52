import type { EntityClass, EntityManager, EntityMetadata, FilterQuery, Ref } from '@mikro-orm/core';
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
  if (!found) throw notReferenced(field, what, id);
  return found;
}

/** referenced() read inside a write's own statement (see insertAudited), instead of loaded beforehand. */
export interface ReferencedSql {
  /** A scalar subquery: the record's chosen properties as a JSON object, or NULL when it is missing or not live. */
  sql: string;
  params: unknown[];
  /** The 400 referenced() answers for it. */
  missing: () => ValidationError;
}

/**
 * referenced() as SQL: the same record and the same 400, but read as `properties` (a JSON object keyed by
 * property name) by the statement that writes the link, so the check costs no round trip of its own and
 * holds at the moment of the write. `live` takes the same conditions (property = value, null = IS NULL).
 */
export function referencedSql<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  id: string,
  field: string,
  what: string,
  live: object,
  properties: readonly (keyof T & string)[],
): ReferencedSql {
  const meta = em.getMetadata().get<object>(entity.name);
  const column = (property: string): string => `t."${columnOf(meta, property)}"`;
  const params: unknown[] = [];
  const conditions = Object.entries(live).map(([property, value]) => {
    if (value === null) return `${column(property)} is null`;
    params.push(value);
    return `${column(property)} = ?`;
  });
  params.push(id);
  const fields = properties.map((p) => `'${p}', ${column(p)}`).join(', ');
  return {
    sql: `(select json_build_object(${fields}) from "${meta.tableName}" t where ${[...conditions, `${column('id')} = ?`].join(' and ')})`,
    params,
    missing: () => notReferenced(field, what, id),
  };
}

function notReferenced(field: string, what: string, id: string): ValidationError {
  return ValidationError.field(field, `no ${what} with id ${id}`);
}

/** The column of `meta`'s `property`. */
export function columnOf(meta: EntityMetadata<object>, property: string): string {
  const prop = meta.properties[property as never] as { fieldNames?: string[] } | undefined;
  if (!prop?.fieldNames?.[0]) throw new Error(`${meta.className} has no column for ${property}`);
  return prop.fieldNames[0];
}

/**
 * An id sent for a relation, applied to its current value: undefined keeps it (PATCH) or clears it (PUT,
 * `replaceAll`); null clears it; an id is the new link's (lower-cased).
 */
export function relinkedId(
  current: string | null,
  sent: string | null | undefined,
  replaceAll: boolean,
): string | null {
  if (sent === undefined) return replaceAll ? null : current;
  return sent === null ? null : sent.toLowerCase();
}

/**
 * relinkedId for a loaded relation: a new id is loaded (and checked) by `load`. An unchanged id keeps the current
 * link without a check, even if its record has been deleted since: re-sending what was read never fails.
 */
export async function relink<T extends { id: string }>(
  current: Ref<T> | null | undefined,
  sent: string | null | undefined,
  replaceAll: boolean,
  load: (id: string) => Promise<T>,
): Promise<Ref<T> | null> {
  const id = relinkedId(current?.id ?? null, sent, replaceAll);
  if (id === null) return null;
  if (current?.id === id) return current;
  return toRef(await load(id));
}
