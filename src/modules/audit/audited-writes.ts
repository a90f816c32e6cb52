import { randomUUID } from 'node:crypto';

import type { EntityClass, EntityMetadata, EntityProperty, Platform } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

import { columnOf, type ReferencedSql } from '../../common/entities/references.js';
import { preparedRows } from '../../common/utils/prepared.js';
import { NotFoundError, StaleVersionError } from '../../common/errors/index.js';
import { AuditLog } from './audit-log.entity.js';
import { changed, creationAuditRow, updateAuditRow } from './audit.subscriber.js';

/** What insertAudited writes: one record of `entity`, audited as `auditType`. */
export interface AuditedInsert<T extends object> {
  entity: EntityClass<T>;
  auditType: string;
  /** Properties (references as ids), as creationAuditRow() reads them; the timestamps (and an id if none) are added. */
  values: Record<string, unknown>;
  refs: AuditedRefs;
  /** Rows inserted with the record, only if it is written (an opportunity's first stage history row). */
  inserts?: AuditedRows;
}

/** Rows a write inserts with its record (properties by entity), only if the record is written. */
export type AuditedRows = { entity: EntityClass<object>; values: Record<string, unknown> }[];

/**
 * Records read in the same statement as a write, by name: each one with `missing` must be there (live), or nothing
 * is written and its error is thrown (the first, in this order); the others are read for the answer only.
 */
export type AuditedRefs = Record<string, ReferencedSql | Omit<ReferencedSql, 'missing'>>;

/** The record as written (`values` with its id and timestamps) and the JSON objects its refs read. */
export interface AuditedRecord {
  record: Record<string, unknown> & { id: string; createdAt: Date; updatedAt: Date };
  refs: Record<string, Record<string, unknown> | null>;
}

/**
 * Creates a record and its audit row in one statement, one round trip: the checks of the records it links to
 * (referencedSql), the insert, and the audit row the AuditSubscriber would have written for it (same changes,
 * actor, source and request) — a single statement is atomic, so no transaction of its own is needed. For a
 * create that needs none of the unit of work: no entity, no change set, no flush, no read after the write. Sent
 * as a prepared statement with its values as parameters (preparedRows): its text depends only on which columns
 * and refs it has, so PostgreSQL parses and plans it once per connection, and the app does not print the values
 * into it.
 */
export async function insertAudited<T extends object>(
  em: EntityManager,
  spec: AuditedInsert<T>,
): Promise<AuditedRecord> {
  const metadata = em.getMetadata();
  const platform = em.getPlatform();
  const meta = metadata.get<object>(spec.entity.name);
  const now = new Date();
  const record = { id: randomUUID(), createdAt: now, updatedAt: now, ...spec.values };
  const audit = creationAuditRow(meta, spec.auditType, record.id, spec.values);
  const inserted = columnValues(meta, platform, record);
  const write =
    `insert into "${meta.tableName}" (${inserted.columns.join(', ')})` +
    ` select ${inserted.params.map(() => '?').join(', ')} from refs where ${refsFound(spec.refs)} returning 1`;
  const done = await writeAudited(em, spec.refs, write, inserted.params, withAudit(em, spec.inserts, audit));
  if (!done.written) throw missingRef(spec.refs, done.refs)!;
  return { record, refs: done.refs };
}

/** What updateAudited writes: the properties of the record `id` of `entity` (`name` in a 404 or 409) read at `version`. */
export interface AuditedUpdate<T extends object> {
  entity: EntityClass<T>;
  name: string;
  auditType: string;
  id: string;
  /** The version `before` was read at: the update applies to that version only (none: the record has no version). */
  version?: number;
  /** The properties the write may change, as read (references as ids). */
  before: Record<string, unknown>;
  /** The same properties after the write. */
  after: Record<string, unknown>;
  refs: AuditedRefs;
  /** Rows inserted with the change, only if it is written (an opportunity's stage history). */
  inserts?: AuditedRows;
}

/** When the record changed: when it was written, and the JSON objects its refs read. */
export interface AuditedChange {
  updatedAt: Date;
  refs: Record<string, Record<string, unknown> | null>;
}

/**
 * Updates a record and writes its audit row in one statement, as insertAudited creates one: the records it now
 * links to checked (refs), the properties that differ set, the version raised, and the audit row the
 * AuditSubscriber would have written (same changes and action), all only if the record is still live at the
 * version `before` was read at. Undefined, with no statement, when nothing differs (the unit of work writes
 * nothing then either). A missing ref is its 400; a record deleted or changed since it was read is a 404 or a
 * 409 STALE_VERSION, as a flush's optimistic lock refuses a write that raced another.
 */
export async function updateAudited<T extends object>(
  em: EntityManager,
  spec: AuditedUpdate<T>,
): Promise<AuditedChange | undefined> {
  const meta = em.getMetadata().get<object>(spec.entity.name);
  const audit = updateAuditRow(meta, spec.auditType, spec.id, spec.before, spec.after);
  if (!audit) return undefined;
  const updatedAt = new Date();
  const changes = Object.entries(spec.after).filter(([key, value]) => changed(spec.before[key], value));
  const set = columnValues(meta, em.getPlatform(), { ...Object.fromEntries(changes), updatedAt });
  const target = current(meta, spec.id);
  const versioned = spec.version !== undefined && meta.versionProperty;
  const version = versioned ? `"${columnOf(meta, meta.versionProperty)}"` : undefined;
  const write =
    `update "${meta.tableName}" t set ${set.columns.map((name) => `${name} = ?`).join(', ')}` +
    (version ? `, ${version} = t.${version} + 1` : '') +
    ` from refs where ${target.where} ${version ? `and t.${version} = ?` : ''} and ${refsFound(spec.refs)} returning 1`;
  const params = [...set.params, ...target.params, ...(version ? [spec.version] : [])];
  const done = await writeAudited(em, spec.refs, write, params, withAudit(em, spec.inserts, audit));
  if (done.written) return { updatedAt, refs: done.refs };
  throw missingRef(spec.refs, done.refs) ?? (await notWritten(em, meta, spec));
}

/**
 * The refs of an update: for each link of `checks` whose id `after` changed to another record (not to null), that
 * record read by the write's statement (`checks[name]` of the id), in the order of `checks` (that of the 400s). An
 * unchanged link is not checked again: re-sending what was read never fails.
 */
export function newLinks<P extends object>(
  before: P,
  after: P,
  checks: Partial<Record<keyof P & string, (id: string) => ReferencedSql>>,
): AuditedRefs {
  const refs: AuditedRefs = {};
  for (const [name, check] of Object.entries(checks) as [keyof P & string, (id: string) => ReferencedSql][]) {
    const id = after[name] as string | null;
    if (id !== null && id !== before[name]) refs[name] = check(id);
  }
  return refs;
}

/**
 * The record a written record links to as `name`, `id`: as the write's statement read it (`refs`: a new link), else,
 * for a link an update kept (not read again), `current`; null for none.
 */
export function linkedAfter(
  refs: AuditedChange['refs'],
  name: string,
  id: string | null,
  current?: { id: string | null; [field: string]: unknown },
): Record<string, unknown> | null {
  if (id === null) return null;
  return refs[name] ?? (id === current?.id ? current : null);
}

/** Why a live record read at `spec.version` was not updated: deleted since (404), or changed since (409). */
async function notWritten<T extends object>(
  em: EntityManager,
  meta: EntityMetadata<object>,
  spec: AuditedUpdate<T>,
): Promise<Error> {
  const target = current(meta, spec.id);
  const version = meta.versionProperty ? `t."${columnOf(meta, meta.versionProperty)}"` : 'null';
  const [row] = await em
    .getConnection()
    .execute<{ version: number | null }[]>(
      `select ${version} as version from "${meta.tableName}" t where ${target.where}`,
      target.params,
    );
  if (!row || spec.version === undefined || row.version === null)
    return new NotFoundError(spec.name, spec.id);
  return new StaleVersionError(spec.name, row.version, spec.version);
}

/** The record `id` of `meta`'s table aliased `t`, live when it can be deleted. */
function current(meta: EntityMetadata<object>, id: string): { where: string; params: unknown[] } {
  const live = 'deletedAt' in meta.properties ? ` and t."${columnOf(meta, 'deletedAt')}" is null` : '';
  return { where: `t."${columnOf(meta, 'id')}" = ?${live}`, params: [id] };
}

/** The inserts of a write: the rows written with it (`inserts`), then its audit row. */
function withAudit(
  em: EntityManager,
  inserts: AuditedRows | undefined,
  audit: AuditLog,
): { sql: string; params: unknown[] }[] {
  const metadata = em.getMetadata();
  const platform = em.getPlatform();
  return [
    ...(inserts ?? []).map(({ entity, values }) =>
      insertFromWritten(metadata.get<object>(entity.name), platform, values),
    ),
    insertFromWritten(metadata.get<object>(AuditLog.name), platform, { ...audit }),
  ];
}

/** An insert of one row of `meta`'s table per row the CTE `written` returns: an audit row, a history row. */
function insertFromWritten(
  meta: EntityMetadata<object>,
  platform: Platform,
  values: Record<string, unknown>,
): { sql: string; params: unknown[] } {
  const { columns, params } = columnValues(meta, platform, values);
  const placeholders = params.map(() => '?').join(', ');
  return {
    sql: `insert into "${meta.tableName}" (${columns.join(', ')}) select ${placeholders} from written`,
    params,
  };
}

/**
 * Sends `write` (an insert or update reading the CTE `refs` and returning a row per record written) with `inserts`
 * (insertFromWritten's: its audit row, and any row written with it), in one prepared statement: whether it wrote,
 * and what the refs read.
 */
async function writeAudited(
  em: EntityManager,
  specRefs: AuditedRefs,
  write: string,
  writeParams: unknown[],
  inserts: { sql: string; params: unknown[] }[],
): Promise<{ written: boolean; refs: AuditedChange['refs'] }> {
  const names = Object.keys(specRefs);
  const refsRow = names.map((name, i) => `${specRefs[name].sql} as r${i}`).join(', ') || 'null as r';
  const ctes = [`refs as (select ${refsRow})`, `written as (${write})`];
  for (const [i, insert] of inserts.entries()) ctes.push(`inserted${i} as (${insert.sql})`);
  const sql = `with ${ctes.join(', ')} select refs.*, exists (select 1 from written) as written from refs`;
  const params = [
    ...names.flatMap((name) => specRefs[name].params),
    ...writeParams,
    ...inserts.flatMap((insert) => insert.params),
  ];
  const [row] = await preparedRows<Record<string, unknown>>(em, sql, params);
  const refs = Object.fromEntries(
    names.map((name, i) => [name, row[`r${i}`] as Record<string, unknown> | null]),
  );
  return { written: row.written as boolean, refs };
}

/** The condition on the CTE `refs` (writeAudited's) that every required ref was found. */
function refsFound(refs: AuditedRefs): string {
  const names = Object.keys(refs);
  const required = names.filter((name) => 'missing' in refs[name]);
  return required.map((name) => `r${names.indexOf(name)} is not null`).join(' and ') || 'true';
}

/** The error of the first required ref read as missing, if any. */
function missingRef(specRefs: AuditedRefs, read: AuditedChange['refs']): Error | undefined {
  const failed = Object.keys(specRefs).find((name) => 'missing' in specRefs[name] && read[name] === null);
  return failed ? (specRefs[failed] as ReferencedSql).missing() : undefined;
}

/** The quoted columns of `values`' properties and their values, converted as the ORM writes them. */
function columnValues(
  meta: EntityMetadata<object>,
  platform: Platform,
  values: Record<string, unknown>,
): { columns: string[]; params: unknown[] } {
  const columns: string[] = [];
  const params: unknown[] = [];
  for (const [property, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const prop = meta.properties[property as never] as EntityProperty | undefined;
    columns.push(`"${columnOf(meta, property)}"`);
    params.push(
      prop?.customType && value !== null ? prop.customType.convertToDatabaseValue(value, platform) : value,
    );
  }
  return { columns, params };
}
