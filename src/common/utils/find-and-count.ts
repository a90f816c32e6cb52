import type { EntityManager, EntityName, FilterQuery, FindOptions, Loaded } from '@mikro-orm/postgresql';

import { countLimit, CountMode, totalOf, type Total } from '../dto/paging.dto.js';

/**
 * `findAndCount` of one page (`limit`, `offset`) whose count is the one the caller asked for (`?count=`): by
 * default it stops at COUNT_CAP + 1 rows, so a page of a huge table stays as cheap as the page; `none` runs no
 * count query.
 * `where` is a function called once per query: a MikroORM `raw()` condition can be used in one query only.
 */
export async function findAndCountTotal<T extends object, P extends string = never>(
  em: EntityManager,
  entity: EntityName<T>,
  where: () => FilterQuery<T> | Promise<FilterQuery<T>>,
  paging: { limit: number; offset: number; count?: CountMode },
  options: FindOptions<T, P> = {},
): Promise<[Loaded<T, P>[], Total]> {
  const mode = paging.count ?? CountMode.Capped;
  const count = async (): Promise<Total> => {
    if (mode === CountMode.None) return null;
    const counter = em
      .createQueryBuilder(entity, 'e')
      .select('e.id')
      .where(await where());
    const limit = countLimit(mode);
    if (limit !== undefined) counter.limit(limit);
    const [counted] = await em.getKnex().count({ n: '*' }).from(counter.getKnexQuery().as('counted'));
    return totalOf(Number((counted as { n: string | number }).n), mode);
  };
  const [rows, total] = await Promise.all([
    em.find<T, P>(entity, await where(), { ...options, limit: paging.limit, offset: paging.offset }),
    count(),
  ]);
  return [rows, total];
}
