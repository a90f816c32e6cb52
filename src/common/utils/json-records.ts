import type { EntityManager, Knex } from '@mikro-orm/postgresql';

import { CountMode, type Total, totalOf } from '../dto/paging.dto.js';
import type { JsonText } from '../http/json-text.js';
import { readRecordRow } from './record-rows.js';
import { countQuery, type OrderColumn, pageQuery, rowsInOrder, runQuery } from './sql.js';

/**
 * Records that PostgreSQL writes as the API's JSON: a response object built by `json_build_object` in the
 * statement that reads the record, so that a list page arrives as one JSON text the app passes on unparsed.
 * Mapping and printing rows in the app cost a list page more CPU than everything else it does (about 20 µs a
 * row). The SQL object is the response's only definition: lists, single records, details and exports read it.
 */

/** `json_build_object('key', value, …)` of SQL expressions. */
export function jsonObject(fields: Record<string, string>): string {
  const pairs = Object.entries(fields).map(([key, value]) => `'${key}', ${value}`);
  return `json_build_object(${pairs.join(', ')})`;
}

/**
 * A timestamptz as a Date's JSON writes it (`2026-12-07T04:36:54.123Z`: UTC, milliseconds, the rest cut off, as
 * `MS` cuts it), whatever the session's time zone; null stays null.
 */
export const jsonTime = (column: string): string =>
  `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A left-joined record (aliased `alias`) as an object of `fields`, or null when the join found none. */
export const jsonRef = (alias: string, fields: Record<string, string>): string =>
  `case when ${alias}.id is null then null else ${jsonObject(fields)} end`;

/** `{ id, name }` of a left-joined record, or null. */
export const jsonNameRef = (alias: string): string =>
  jsonRef(alias, { id: `${alias}.id`, name: `${alias}.name` });

/** `{ id, username, fullName }` of a left-joined user, or null. */
export const jsonUserRef = (alias: string): string =>
  jsonRef(alias, { id: `${alias}.id`, username: `${alias}.username`, fullName: `${alias}.full_name` });

/** A contact's name as personName writes it ("First Last", an empty part left out) from the contact aliased `alias`. */
export const personNameSql = (alias: string): string =>
  `concat_ws(' ', nullif(${alias}.first_name, ''), nullif(${alias}.last_name, ''))`;

/**
 * The fields a tagged, versioned, soft-deletable record (contact, organization) ends with, from the table
 * aliased `alias`: its tags (through the pivot table `pivot`, keyed by `key`) in name order, its custom fields,
 * version and timestamps.
 */
export function taggedRecordFields(
  alias: string,
  pivot: string,
  key: string,
): Record<'tags' | 'customFields' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt', string> {
  return {
    tags: `coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color)
                                   order by lower(t.name), t.id)
                       from ${pivot} pt join tags t on t.id = pt.tag_id
                      where pt.${key} = ${alias}.id), '[]'::json)`,
    customFields: `${alias}.custom_fields`,
    version: `${alias}.version`,
    createdAt: jsonTime(`${alias}.created_at`),
    updatedAt: jsonTime(`${alias}.updated_at`),
    deletedAt: jsonTime(`${alias}.deleted_at`),
  };
}

/**
 * A kind of record as PostgreSQL writes its response: `from` selects from its table aliased `alias` and from the
 * tables its object reads (left joins), `object` is the response object.
 */
export interface JsonRecords {
  alias: string;
  from: (knex: Knex) => Knex.QueryBuilder;
  object: string;
}

/** Each record as a row `{ id, record }`: its id and its response object. */
export function recordRows(knex: Knex, records: JsonRecords): Knex.QueryBuilder {
  return records.from(knex).select(knex.raw(`${records.alias}.id as id, ${records.object} as record`));
}

/**
 * One page of `rows` (a list's filtered rows of the records' table; `id` its id column as `rows` sees it) in `order`, as the
 * JSON text of the array of their response objects, and the total counted as `paging.count` asks: one statement,
 * one round trip. The page's ids are found first (`array(<page>)`, which walks the sort index and stops after a
 * page), then each record is read by its id and the objects are aggregated in the page's order.
 */
export async function pageOfRecords<T>(
  em: EntityManager,
  records: JsonRecords,
  rows: Knex.QueryBuilder,
  order: readonly OrderColumn[],
  paging: { limit: number; offset: number; count?: CountMode },
  id = 'id',
): Promise<{ data: JsonText<T[]>; total: Total }> {
  const knex = em.getKnex();
  const mode = paging.count ?? CountMode.Capped;
  const record = records
    .from(knex)
    .select(knex.raw(`${records.object} as record`))
    .whereRaw(`${records.alias}.id = p.id`);
  const data = knex
    .select(knex.raw(`coalesce(json_agg(x.record order by p.n), '[]')::text`))
    .from(knex.raw('unnest(array(?)) with ordinality as p(id, n)', [pageQuery(rows, order, paging, id)]))
    .crossJoin(knex.raw('lateral ? as x', [record]));
  const columns = [knex.raw('? as data', [data])];
  if (mode !== CountMode.None) columns.push(knex.raw('? as n', [countQuery(em, rows, mode)]));
  const [found] = await runQuery<{ data: string; n?: number }>(em, knex.select(columns));
  return { data: found.data, total: found.n === undefined ? null : totalOf(found.n, mode) };
}

/** The response object of the record `id` (a deleted one only when asked), sent prepared; undefined when none. */
export async function recordObject<T>(
  em: EntityManager,
  records: JsonRecords,
  id: string,
  includeDeleted: boolean,
): Promise<T | undefined> {
  const rows = recordRows(em.getKnex(), records);
  const found = await readRecordRow<{ record: T }>(em, rows, records.alias, id, includeDeleted);
  return found?.record;
}

/** The response objects of the records `ids`, in the order of `ids`; ids without a record are left out. */
export async function recordObjects<T>(
  em: EntityManager,
  records: JsonRecords,
  ids: readonly string[],
): Promise<T[]> {
  const rows = recordRows(em.getKnex(), records);
  const found = await rowsInOrder<{ id: string; record: T }>(em, rows, `${records.alias}.id`, ids);
  return found.map((r) => r.record);
}
