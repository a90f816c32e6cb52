import type { EntityManager, EntityName, FilterQuery, FindOptions, Loaded } from '@mikro-orm/postgresql';

import { cappedTotal, COUNT_CAP, type Total } from '../dto/paging.dto.js';

/**
 * `findAndCount` whose count stops at COUNT_CAP + 1 rows: a page of a huge table stays as cheap as the page.
 * `where` is a function called once per query: a MikroORM `raw()` condition can be used in one query only.
 */
export async function findAndCountCapped<T extends object, P extends string = never>(
  em: EntityManager,
  entity: EntityName<T>,
  where: () => FilterQuery<T> | Promise<FilterQuery<T>>,
  options: FindOptions<T, P>,
): Promise<[Loaded<T, P>[], Total]> {
  const counter = em
    .createQueryBuilder(entity, 'e')
    .select('e.id')
    .where(await where())
    .limit(COUNT_CAP + 1);
  const filter = await where();
  const [rows, counted] = await Promise.all([
    em.find(entity, filter, options),
    em.getKnex().count({ n: '*' }).from(counter.getKnexQuery().as('capped')),
  ]);
  return [rows, cappedTotal(Number((counted[0] as { n: string | number }).n))];
}
