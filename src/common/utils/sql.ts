import type { EntityManager, Knex } from '@mikro-orm/postgresql';

import { COUNT_CAP, countLimit, CountMode, totalOf, type Total } from '../dto/paging.dto.js';
import { preparedNative, reusedStatement, runQuery } from './prepared.js';

/**
 * The list kit: a list's filters are a knex query builder of the rows that match (`knex('contacts').where(…)`,
 * from `em.getKnex()`), and these helpers turn it into a page of ids, a total, or rows in a page's order, as
 * plain rows. Values are bound through knex (`where(column, value)`, `whereIn`, `whereRaw(sql, bindings)`),
 * never spliced into SQL.
 *
 * A page's rows come as text columns and the app writes their JSON: having PostgreSQL (15) build the page's JSON
 * itself (`json_build_object`, `json_agg`) was tried and measured with its CPU beside the app's (`npm run bench --
 * compare`): it cost PostgreSQL 25–35 µs a record, more than the app's mapping and printing saved (about 15–20),
 * and on one machine the list lost throughput (bench/results/compare-pg-json.md; reverted in 00a2099).
 */

/** Escapes LIKE/ILIKE wildcards so user input matches literally. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** runQuery (prepared.ts) belongs to the kit: list code imports it from here with the rest. */
export { runQuery };

/**
 * The count query of `rows` (filtered rows: a from and wheres, no select list or order) as `mode` asks: over a
 * subquery stopped at COUNT_CAP + 1 rows (`select count(*) from (select 1 … limit 1001) counted`), or over all.
 */
export function countQuery(em: EntityManager, rows: Knex.QueryBuilder, mode: CountMode): Knex.QueryBuilder {
  const knex = em.getKnex();
  const counted = rows.clone().select(knex.raw('1'));
  const limit = countLimit(mode);
  if (limit !== undefined) void counted.limit(limit);
  return knex.select(knex.raw('count(*)::int as n')).from(counted.as('counted'));
}

/** The total of `rows` counted as `mode` asks (see countQuery), or null without a query when `none`. */
export async function countRows(
  em: EntityManager,
  rows: Knex.QueryBuilder,
  mode: CountMode = CountMode.Capped,
): Promise<Total> {
  if (mode === CountMode.None) return null;
  const [count] = await runQuery<{ n: number }>(em, countQuery(em, rows, mode));
  return totalOf(count.n, mode);
}

/**
 * Whether a list's `query` sets no parameter but `keys` (or includeDeleted=false) and `extra` holds no condition (the
 * custom-field filters): which lists a summary total or matchesInOrder serves.
 */
export function onlyParameters(query: object, extra: readonly unknown[], keys: ReadonlySet<string>): boolean {
  return (
    extra.length === 0 &&
    Object.entries(query).every(
      ([key, value]) => value === undefined || keys.has(key) || (key === 'includeDeleted' && value === false),
    )
  );
}

/** A list's parameters when its search is its only filter (for onlyParameters). */
export const SEARCH_ALONE: ReadonlySet<string> = new Set([
  'search',
  'sort',
  'order',
  'limit',
  'offset',
  'count',
]);

/** One column of a list's order; the last one must be unique (the id) so that pages are stable. */
export interface OrderColumn {
  column: string;
  order: 'asc' | 'desc';
  nulls?: 'first' | 'last';
}

/** The page of `rows` (filtered rows, no select list) in `order`: `select <id> … order by … limit ? offset ?`. */
export function pageQuery(
  rows: Knex.QueryBuilder,
  order: readonly OrderColumn[],
  paging: { limit: number; offset: number },
  id = 'id',
): Knex.QueryBuilder {
  return rows
    .clone()
    .select({ id })
    .orderBy(order.map((o) => ({ ...o })))
    .limit(paging.limit)
    .offset(paging.offset);
}

/**
 * The ids of one page of `rows` (the filtered rows of a table) in `order`, and the total counted as
 * `paging.count` asks, in one statement (`select array(<page>) ids, (<count>) n`): one round trip, one
 * connection. `id` is the id column (a uuid) as `rows` sees it. The ids come as one comma-separated text: a
 * uuid has no comma, and splitting it costs the driver far less than parsing an array literal. `search`: the
 * filters hold a search, read as searchPage says.
 */
export async function pageOfIds(
  em: EntityManager,
  rows: Knex.QueryBuilder,
  order: readonly OrderColumn[],
  paging: PageOfIds,
  id = 'id',
  search = false,
): Promise<{ ids: string[]; total: Total }> {
  const knex = em.getKnex();
  const mode = paging.count ?? CountMode.Capped;
  if (search) return idsAndTotal(em, searchPage(em, rows, order, { ...paging, count: mode }, id), mode);
  const page = pageQuery(rows, order, paging, id);
  const columns = [knex.raw(`array_to_string(array(?), ',') as ids`, [page])];
  if (mode !== CountMode.None)
    columns.push(knex.raw('? as n', [paging.summarized ?? countQuery(em, rows, mode)]));
  return idsAndTotal(em, knex.select(columns), mode);
}

/**
 * The page pageOfIds reads: its place, how to count, where the count may be read instead of counted, and whether the
 * matches a total is capped at are read in the page's order.
 */
export interface PageOfIds {
  limit: number;
  offset: number;
  count?: CountMode;
  /**
   * A query answering how many rows `rows` holds without reading them (`select sum(…)` of a summary table the
   * database's triggers keep in the same transactions as the rows, so always equal to counting them), for
   * filters it covers: then the total costs a few rows however long the list, and `count=exact` no longer counts
   * every row (100,000 contacts: about 2.5 ms of PostgreSQL CPU a page). Capped is applied to it as to a count.
   */
  summarized?: Knex.QueryBuilder;
  /**
   * Read a search's matches (those its total is capped at) in the page's order, for filters the sort index carries:
   * PostgreSQL then finds the first COUNT_CAP + 1 as it finds the page, walking that index for a common term, or
   * through the term's own index and a sort of the few matches of a rare one. Left to itself it scanned the table
   * until it had them: "son" among 100,000 contacts 6.5 ms, against 1.0 ms along the name index, which carries the
   * search text; among 50,000 deals, 27 ms against 4 ms. The page then comes from those matches whenever it lies
   * within them. With a filter the index does not carry, ordering costs more (it may read every match to sort them):
   * leave it unset. Read by searches only.
   */
  matchesInOrder?: boolean;
}

/**
 * pageOfIds's statement for a search, whose matches PostgreSQL cannot place: left to choose, it may walk the sort
 * index for a page, testing the term row by row far past where its matches are (an organization search matching
 * 556 of 10,000 names read 2,830 rows through the name index, the names starting with it sitting together, where
 * the trigram index finds all 556 at once). So the matches are read once, up to COUNT_CAP + 1, through whatever
 * index finds them; when there are no more than COUNT_CAP, the page is cut from them, sorted in memory, and the
 * capped count is theirs. Only a term matching more than that walks the sort index, where a page comes quickly.
 * With `matchesInOrder`, the matches are the first COUNT_CAP + 1 in the page's order, and a page within them is cut
 * from them whatever their number.
 */
function searchPage(
  em: EntityManager,
  rows: Knex.QueryBuilder,
  order: readonly OrderColumn[],
  paging: { limit: number; offset: number; count: CountMode; matchesInOrder?: boolean },
  id: string,
): Knex.QueryBuilder {
  const knex = em.getKnex();
  // Each sort column as s0, s1, … (columns are the code's, never the caller's).
  const sortColumns = order.map((o, i) => knex.raw(`${o.column} as s${i}`));
  const matches = rows
    .clone()
    .select([knex.raw(`${id} as id`), ...sortColumns])
    .limit(COUNT_CAP + 1);
  if (paging.matchesInOrder) void matches.orderBy(order.map((o) => ({ ...o })));
  const fromMatches = knex('matches')
    .select('id')
    .orderBy(order.map((o, i) => ({ ...o, column: `s${i}` })))
    .limit(paging.limit)
    .offset(paging.offset);
  const columns = [
    paging.matchesInOrder && paging.offset + paging.limit <= COUNT_CAP + 1
      ? knex.raw(`array_to_string(array(?), ',') as ids`, [fromMatches])
      : knex.raw(
          `case when (select count(*) from matches) <= ${COUNT_CAP} then array_to_string(array(?), ',') ` +
            `else array_to_string(array(?), ',') end as ids`,
          [fromMatches, pageQuery(rows, order, paging, id)],
        ),
  ];
  if (paging.count === CountMode.Capped) columns.push(knex.raw('(select count(*)::int from matches) as n'));
  if (paging.count === CountMode.Exact)
    columns.push(knex.raw('? as n', [countQuery(em, rows, paging.count)]));
  return knex.withMaterialized('matches', matches).select(columns);
}

/** The answer of a page statement: its ids (one comma-separated text) and its total, as `mode` counted it. */
async function idsAndTotal(
  em: EntityManager,
  statement: Knex.QueryBuilder,
  mode: CountMode,
): Promise<{ ids: string[]; total: Total }> {
  const [found] = await runQuery<{ ids: string; n?: number }>(em, statement);
  return {
    ids: found.ids === '' ? [] : found.ids.split(','),
    total: found.n === undefined ? null : totalOf(found.n, mode),
  };
}

/**
 * The rows of `select` (a page of joined rows) and the total of `rows` (its filtered rows) counted as
 * `paging.count` asks, in one statement: the count rides along as one more column (`list_total`, an uncorrelated
 * subquery PostgreSQL runs once). A page past the end has no row to carry it: then, and only then, the total is
 * counted on its own.
 */
export async function rowsWithTotal<T extends object>(
  em: EntityManager,
  select: Knex.QueryBuilder,
  rows: Knex.QueryBuilder,
  paging: { offset: number; count?: CountMode },
): Promise<{ rows: T[]; total: Total }> {
  const mode = paging.count ?? CountMode.Capped;
  if (mode === CountMode.None) return { rows: await runQuery<T>(em, select), total: null };
  const counted = em.getKnex().raw('? as list_total', [countQuery(em, rows, mode)]);
  const found = await runQuery<T & { list_total: number }>(em, select.clone().select(counted));
  if (found.length === 0 && paging.offset > 0) return { rows: [], total: await countRows(em, rows, mode) };
  return { rows: found, total: totalOf(found[0]?.list_total ?? 0, mode) };
}

/**
 * The rows `select` reads for `ids` (`id` is the id column as `select` sees it), in the order of `ids` (a
 * page's order), in one query; ids without a row are left out. `select(ids)` builds the query for any ids (binding
 * them, never splicing them): it is built once per `shape` (see reusedStatement). Sent prepared (`= any(?)`: one
 * text whatever the number of ids): PostgreSQL plans it once per connection.
 */
export async function rowsInOrder<T extends { id: string }>(
  em: EntityManager,
  shape: string,
  select: (ids: readonly string[]) => Knex.QueryBuilder,
  id: string,
  ids: readonly string[],
): Promise<T[]> {
  if (ids.length === 0) return [];
  const statement = reusedStatement(`rows of ${shape}`, ids, (standIn) =>
    select(standIn)
      .whereRaw(`${id} = any(?)`, [[...standIn]])
      .toSQL()
      .toNative(),
  );
  const rows = await preparedNative<T>(em, statement);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((i) => byId.get(i) ?? []);
}
