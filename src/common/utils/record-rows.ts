import type { EntityManager, Knex } from '@mikro-orm/postgresql';

import type { RefDto, TagRefDto, UserRefDto } from '../dto/refs.dto.js';
import { preparedNative, preparedQuery, reusedStatement } from './prepared.js';

/**
 * What a list row of a tagged, versioned, soft-deletable record (contact, organization) ends with, read as a
 * plain row: timestamps as text, as the ORM's driver reads them.
 */
export interface TaggedRecordRow {
  id: string;
  tags: TagRefDto[];
  customFields: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/**
 * The end of the TaggedRecordRow of a record just written without tags in one statement (insertAudited: its
 * `record` holds the timestamps it wrote): no tags, version 1, live.
 */
export function writtenWithoutTags(record: {
  createdAt: Date;
  updatedAt: Date;
}): Omit<TaggedRecordRow, 'id' | 'customFields'> {
  return {
    tags: [],
    version: 1,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    deletedAt: null,
  };
}

/** Whether the tag ids `ids` (as a request sends them) name the same tags as `tags`, ignoring case and order. */
export function sameTags(ids: readonly string[], tags: readonly TagRefDto[]): boolean {
  const sent = new Set(ids.map((id) => id.toLowerCase()));
  return sent.size === tags.length && tags.every((tag) => sent.has(tag.id));
}

/**
 * The TaggedRecordRow `row` after a write set `fields` of it in one statement (updateAudited) at `updatedAt`, or
 * as it was when the write changed nothing: the version is raised once for a change.
 */
export function rowAfterUpdate<R extends TaggedRecordRow>(
  row: R,
  fields: Partial<R>,
  written: { updatedAt: Date } | undefined,
): R {
  if (!written) return row;
  return { ...row, ...fields, version: row.version + 1, updatedAt: written.updatedAt.toISOString() };
}

/** Where a tagged record's tags are: the table aliased `alias`, its pivot table `pivot` keyed by `key`. */
export interface TaggedTable {
  alias: string;
  pivot: string;
  key: string;
}

/** A record's tags as a JSON array `{ id, name, color }` in name order, from the pivot rows `pt` of tags `t`. */
const TAGS_AGGREGATE = `json_agg(json_build_object('id', t.id, 'name', t.name, 'color', t.color) order by lower(t.name), t.id)`;

/**
 * The columns of a TaggedRecordRow from `table`, its tags aggregated in the same statement, not a query per row:
 * by a subquery of the row (one record), or, for `page`, from the join pageTags adds (rows of many records).
 */
export function taggedRecordColumns(table: TaggedTable, page = false): string {
  const { alias, pivot, key } = table;
  const tags = page
    ? 'page_tags.tags'
    : `(select ${TAGS_AGGREGATE} from ${pivot} pt join tags t on t.id = pt.tag_id where pt.${key} = ${alias}.id)`;
  return `coalesce(${tags}, '[]'::json) as tags,
         ${alias}.custom_fields as "customFields", ${alias}.version,
         ${alias}.created_at as "createdAt", ${alias}.updated_at as "updatedAt", ${alias}.deleted_at as "deletedAt"`;
}

/**
 * `rows` (selecting taggedRecordColumns(table, true)) joined to the tags of the records `ids`, read for all of
 * them in one grouped subquery. A subquery per row has PostgreSQL build a hash of the tags table again for each
 * row: on a contact page of 50 that was most of the rows statement's cost (pgbench on the benchmark's data: 1,600
 * statements/s with a subquery per row, 2,600 with this join, 4,700 without tags).
 */
export function pageTags(
  knex: Knex,
  rows: Knex.QueryBuilder,
  table: TaggedTable,
  ids: readonly string[],
): Knex.QueryBuilder {
  const { alias, pivot, key } = table;
  const tags = knex.raw(
    `(select pt.${key} as record_id, ${TAGS_AGGREGATE} as tags from ${pivot} pt join tags t on t.id = pt.tag_id
       where pt.${key} = any(?) group by pt.${key}) as page_tags`,
    [[...ids]],
  );
  return rows.leftJoin(tags, 'page_tags.record_id', `${alias}.id`);
}

/**
 * The rows of `select` as one JSON array (empty when none), in the select's order, keyed by its column names:
 * a list embedded in a JSON document. The aggregate reads a sorted subquery, which keeps its order.
 */
export const jsonRowsSql = (select: string): string =>
  `coalesce((select json_agg(x) from (${select}) x), '[]'::json)`;

/** The lists `include` names, each a jsonRowsSql value for readRecordDocument. */
export function includedLists(
  lists: Record<string, string>,
  include: ReadonlySet<string>,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(lists)
      .filter(([name]) => include.has(name))
      .map(([name, select]) => [name, jsonRowsSql(select)]),
  );
}

/** `rows` (of a soft-deletable table aliased `alias`) narrowed to the record `id`; a deleted one only when asked. */
export function recordRow(
  rows: Knex.QueryBuilder,
  alias: string,
  id: string,
  includeDeleted: boolean,
): Knex.QueryBuilder {
  return includeDeleted
    ? rows.where(`${alias}.id`, id)
    : rows.where(`${alias}.id`, id).whereNull(`${alias}.deleted_at`);
}

/** The row `rows` selects for the record `id` (see recordRow), sent prepared like readRecordDocument; undefined when none. */
export async function readRecordRow<T>(
  em: EntityManager,
  rows: Knex.QueryBuilder,
  alias: string,
  id: string,
  includeDeleted: boolean,
): Promise<T | undefined> {
  const [found] = await preparedQuery<T>(em, recordRow(rows, alias, id, includeDeleted));
  return found;
}

/** readRecordDocument's `shape` of a `kind` of record's detail: the lists it includes, deleted records or not. */
export const documentShape = (kind: string, include: ReadonlySet<string>, includeDeleted: boolean): string =>
  `${kind} ${includeDeleted ? 'with' : 'without'} deleted: ${[...include].sort().join(',')}`;

/**
 * One record as a JSON document `{ record, ...values }`, read in one statement: `record` is the row `row`
 * selects (keyed by its column names), each value an SQL expression on that row as `r` (e.g. from
 * includedLists). Undefined when `row` finds none. The statement of each `shape` (the caller's name for what
 * `build` makes of an id: which lists, deleted records or not) is built by knex once, then reused with each id
 * (reusedStatement); it is sent prepared: planning it costs PostgreSQL several times what running it does, and its
 * text is the same for every record.
 */
export async function readRecordDocument<T>(
  em: EntityManager,
  shape: string,
  id: string,
  build: (id: string) => { row: Knex.QueryBuilder; values: Record<string, string> },
): Promise<T | undefined> {
  const statement = reusedStatement(`document of ${shape}`, id, (standIn) => {
    const { row, values } = build(standIn);
    const knex = em.getKnex();
    const parts = Object.entries(values).map(([key, value]) => `, '${key}', ${value}`);
    return knex
      .select(knex.raw(`json_build_object('record', to_json(r)${parts.join('')}) as document`))
      .from(row.as('r'))
      .toSQL()
      .toNative();
  });
  const [found] = await preparedNative<{ document: T }>(em, statement);
  return found?.document;
}

/** A timestamp in UTC as PostgreSQL writes it: as text (`2026-12-07 04:36:54.123456+00`) or in JSON (`…T…+00:00`). */
const UTC_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:\+00(?::00)?|Z)$/;

/**
 * Plain rows arrive with text timestamps; the API answers them as a Date's JSON does (`2026-12-07T04:36:54.123Z`:
 * UTC, milliseconds, the rest cut off). One in UTC (the sessions' time zone unless the server is set otherwise)
 * is rewritten as text: making a Date of it and printing it again cost a fifth of the CPU of an opportunity list
 * (four timestamps a row).
 */
export function timestamp(value: string): string {
  const utc = UTC_TIMESTAMP.exec(value);
  if (!utc) return new Date(value).toISOString();
  return `${utc[1]}T${utc[2]}.${(utc[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
}
export const timestampOrNull = (value: string | null): string | null =>
  value === null ? null : timestamp(value);

/** numeric(15,2) arrives as text; the API answers numbers. */
export const money = (value: string): number => Number(value);
export const moneyOrNull = (value: string | null): number | null => (value === null ? null : Number(value));
/** `{ id, name }` of a left-joined record, or null when the join found none. */
export const refOf = (id: string | null, name: string | null): RefDto | null =>
  id ? { id, name: name! } : null;

/** A user left-joined as `u` onto a plain row: the columns, and the reference they make. */
export interface UserColumns {
  userId: string | null;
  username: string | null;
  userFullName: string | null;
}
export const USER_COLUMNS = `u.id as "userId", u.username, u.full_name as "userFullName"`;
export const userRefOf = (r: UserColumns): UserRefDto | null =>
  r.userId ? { id: r.userId, username: r.username!, fullName: r.userFullName! } : null;
