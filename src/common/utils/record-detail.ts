import type { AuthUser } from '../auth/auth-user.js';
import { assertMayIncludeDeleted } from '../auth/include-deleted.js';
import { NotFoundError } from '../errors/index.js';

/** What reads one record's detail document: the parts `include` names, linked deleted records or not. */
export interface DetailSource<I extends string, D> {
  detail(id: string, include: ReadonlySet<I>, includeDeleted?: boolean): Promise<D | undefined>;
}

/**
 * GET /<records>/:id: the detail of `entity` `id` with the parts `query.include` lists (all of `parts` by
 * default), deleted linked records only for a caller who may see them; 404 when there is no such record.
 */
export async function readDetail<I extends string, D>(
  entity: string,
  id: string,
  caller: AuthUser,
  query: { include?: I[]; includeDeleted?: boolean },
  parts: readonly I[],
  source: DetailSource<I, D>,
): Promise<{ detail: D; include: Set<I> }> {
  assertMayIncludeDeleted(caller, query.includeDeleted);
  const include = new Set(query.include ?? parts);
  const detail = await source.detail(id, include, query.includeDeleted);
  if (!detail) throw new NotFoundError(entity, id);
  return { detail, include };
}
