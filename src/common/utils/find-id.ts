import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';

/**
 * The id of the first row matching `where`, or null — read as a plain row, never as a managed entity: a
 * partially loaded entity in the identity map would stand in for the full record when a later query of the
 * same request populates it.
 */
export async function findIdOf<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
): Promise<string | null> {
  const row = await em
    .createQueryBuilder(entity, 'e')
    .select('e.id')
    .where(where)
    .limit(1)
    .execute<{ id: string } | undefined>('get');
  return row?.id ?? null;
}
