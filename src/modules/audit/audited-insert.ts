import { randomUUID } from 'node:crypto';

import type { EntityClass, EntityMetadata, EntityProperty, Platform } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

import type { ReferencedSql } from '../../common/entities/references.js';
import { preparedRows } from '../../common/utils/prepared.js';
import { AuditLog } from './audit-log.entity.js';
import { creationAuditRow } from './audit.subscriber.js';

/** What insertAudited writes: one record of `entity`, audited as `auditType`. */
export interface AuditedInsert<T extends object> {
  entity: EntityClass<T>;
  auditType: string;
  /** Properties (references as ids), as creationAuditRow() reads them; id and timestamps are added. */
  values: Record<string, unknown>;
  /**
   * Records read in the same statement, by name: each one with `missing` must be there (live), or nothing is
   * written and its error is thrown (the first, in this order); the others are read for the answer only.
   */
  refs: Record<string, ReferencedSql | Omit<ReferencedSql, 'missing'>>;
}

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
  const names = Object.keys(spec.refs);
  const required = names.filter((name) => 'missing' in spec.refs[name]);
  const inserted = insertSql(meta, platform, record);
  const auditInserted = insertSql(metadata.get<object>(AuditLog.name), platform, { ...audit });
  const sql =
    `with refs as (select ${names.map((name, i) => `${spec.refs[name].sql} as r${i}`).join(', ') || 'null as r'}),` +
    ` inserted as (insert into "${meta.tableName}" (${inserted.columns}) select ${inserted.values} from refs` +
    ` where ${required.map((name) => `r${names.indexOf(name)} is not null`).join(' and ') || 'true'} returning 1),` +
    ` audited as (insert into "audit_log" (${auditInserted.columns}) select ${auditInserted.values} from inserted)` +
    ` select refs.*, exists (select 1 from inserted) as inserted from refs`;
  const params = [
    ...names.flatMap((name) => spec.refs[name].params),
    ...inserted.params,
    ...auditInserted.params,
  ];
  const [row] = await preparedRows<Record<string, unknown>>(em, sql, params);
  const refs = Object.fromEntries(
    names.map((name, i) => [name, row[`r${i}`] as Record<string, unknown> | null]),
  );
  if (!row.inserted) {
    const failed = required.find((name) => refs[name] === null);
    throw (spec.refs[failed!] as ReferencedSql).missing();
  }
  return { record, refs };
}

/** The columns and `?` placeholders of one row, its values converted as the ORM writes them. */
function insertSql(
  meta: EntityMetadata<object>,
  platform: Platform,
  values: Record<string, unknown>,
): { columns: string; values: string; params: unknown[] } {
  const columns: string[] = [];
  const params: unknown[] = [];
  for (const [property, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const prop = meta.properties[property as never] as EntityProperty | undefined;
    if (!prop?.fieldNames?.[0]) throw new Error(`${meta.className} has no column for ${property}`);
    columns.push(`"${prop.fieldNames[0]}"`);
    params.push(
      prop.customType && value !== null ? prop.customType.convertToDatabaseValue(value, platform) : value,
    );
  }
  return { columns: columns.join(', '), values: params.map(() => '?').join(', '), params };
}
