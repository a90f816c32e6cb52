import {
  ChangeSetType,
  type ChangeSet,
  type Collection,
  type EntityMetadata,
  type EventSubscriber,
  type FlushEventArgs,
} from '@mikro-orm/core';

import type { AuditChanges, AuditLog } from './audit-log.entity.js';
import { buildAuditRow } from './audit-row.js';

/** Entity class → audit entity type. Anything not listed (the audit log itself, pivots, tokens, stage rows) is skipped. */
const AUDITED: Record<string, string> = {
  Contact: 'contact',
  Organization: 'organization',
  Opportunity: 'opportunity',
  LpProfile: 'lp_profile',
  Communication: 'communication',
  Task: 'task',
  Fund: 'fund',
  Tag: 'tag',
  User: 'user',
  CustomFieldDefinition: 'custom_field',
};

/** Never compared: bookkeeping that changes on every write or sign-in. */
const IGNORED = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'version',
  'lastLoginAt',
  'failedLoginCount',
  'lockedUntil',
  'tokenVersion',
  'twoFactorLastStep',
]);

/** Secrets: the log says they changed, never what they are. */
const REDACTED = new Set([
  'passwordHash',
  'twoFactorSecret',
  'twoFactorPendingSecret',
  'recoveryCodeHashes',
  'tokenHash',
]);
const REDACTED_VALUE = '[redacted]';

/**
 * Writes one audit row per changed CRM record in the same flush — so in the same transaction — as the
 * change itself. Registered on the ORM, it sees every write made through entities, whatever the entry point
 * (API, /admin, import, CLI, jobs); the actor and source come from the request context.
 */
export class AuditSubscriber implements EventSubscriber {
  onFlush({ uow }: FlushEventArgs): void {
    const rows = new Map<object, { type: string; id: string; action: string; changes: AuditChanges }>();

    for (const cs of uow.getChangeSets()) {
      const type = AUDITED[cs.meta.className];
      if (!type) continue;
      const entry = describe(cs, type);
      if (entry) rows.set(cs.entity, entry);
    }

    for (const collection of uow.getCollectionUpdates()) {
      const owner = collection.owner as { id?: string };
      const type = AUDITED[(collection.owner.constructor as { name: string }).name];
      if (!type || !owner.id) continue;
      const change = collectionChange(collection);
      if (!change) continue;
      const entry = rows.get(owner) ?? { type, id: owner.id, action: 'update', changes: {} };
      entry.changes[collection.property.name] = change;
      rows.set(owner, entry);
    }

    for (const entry of rows.values()) {
      const row = buildAuditRow({
        action: entry.action,
        entityType: entry.type,
        entityId: entry.id,
        changes: entry.changes,
      });
      uow.computeChangeSet(row);
    }
  }
}

/**
 * The audit row onFlush writes for a record created with `values` (property → value, references as ids), for
 * records written outside the unit of work (the import's bulk inserts, insertAudited): the same row either
 * way. `extra` adds what a collection would have recorded (a contact's tags).
 */
export function creationAuditRow(
  meta: EntityMetadata<object>,
  entityType: string,
  entityId: string,
  values: Record<string, unknown>,
  extra: AuditChanges = {},
): AuditLog {
  return buildAuditRow({
    action: 'create',
    entityType,
    entityId,
    changes: { ...diff(meta, {}, values, Object.keys(values)), ...extra },
  });
}

/**
 * The audit row onFlush writes for the record `entityId` changed from `before` to `after` (property → value,
 * references as ids; the properties the write sets), for updates written outside the unit of work
 * (updateAudited); undefined when nothing changed, as onFlush writes none then.
 */
export function updateAuditRow(
  meta: EntityMetadata<object>,
  entityType: string,
  entityId: string,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): AuditLog | undefined {
  const changes = diff(meta, before, after, Object.keys(after));
  if (Object.keys(changes).length === 0) return undefined;
  return buildAuditRow({ action: actionOf(changes), entityType, entityId, changes });
}

/** Whether a property's value differs, compared as the audit compares it (dates, references, JSON). */
export const changed = (before: unknown, after: unknown): boolean =>
  JSON.stringify(plain(before) ?? null) !== JSON.stringify(plain(after) ?? null);

function describe(
  cs: ChangeSet<object>,
  type: string,
): { type: string; id: string; action: string; changes: AuditChanges } | undefined {
  const id = (cs.entity as { id: string }).id;
  const before = (cs.originalEntity ?? {}) as Record<string, unknown>;
  const after = cs.payload as Record<string, unknown>;
  if (cs.type === ChangeSetType.CREATE) {
    return { type, id, action: 'create', changes: diff(cs.meta, {}, after, Object.keys(after)) };
  }
  if (cs.type === ChangeSetType.DELETE || cs.type === ChangeSetType.DELETE_EARLY) {
    return { type, id, action: 'delete', changes: diff(cs.meta, before, {}, Object.keys(before)) };
  }
  const changes = diff(cs.meta, before, after, Object.keys(after));
  if (Object.keys(changes).length === 0) return undefined;
  return { type, id, action: actionOf(changes), changes };
}

function actionOf(changes: AuditChanges): string {
  const deleted = changes.deletedAt;
  if (deleted && deleted.from === null && deleted.to !== null) return 'soft_delete';
  if (deleted && deleted.from !== null && deleted.to === null) return 'restore';
  if (changes.stage) return 'stage_change';
  return 'update';
}

/** Field-level changes `{ field: { from, to } }`; custom fields are compared key by key. */
function diff(
  meta: EntityMetadata<object>,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  keys: string[],
): AuditChanges {
  const changes: AuditChanges = {};
  for (const key of keys) {
    if (IGNORED.has(key) || !(key in meta.properties)) continue;
    const from = plain(before[key]);
    const to = plain(after[key]);
    if (REDACTED.has(key)) {
      if (JSON.stringify(from) !== JSON.stringify(to))
        changes[key] = { from: REDACTED_VALUE, to: REDACTED_VALUE };
      continue;
    }
    if (key === 'customFields' && isRecord(from ?? {}) && isRecord(to ?? {})) {
      Object.assign(
        changes,
        customFieldChanges((from ?? {}) as Record<string, unknown>, (to ?? {}) as Record<string, unknown>),
      );
      continue;
    }
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    changes[key] = { from: from ?? null, to: to ?? null };
  }
  return changes;
}

function customFieldChanges(from: Record<string, unknown>, to: Record<string, unknown>): AuditChanges {
  const changes: AuditChanges = {};
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
    if (JSON.stringify(from[key] ?? null) !== JSON.stringify(to[key] ?? null)) {
      changes[`customFields.${key}`] = { from: from[key] ?? null, to: to[key] ?? null };
    }
  }
  return changes;
}

function collectionChange(collection: Collection<object>): { from: unknown; to: unknown } | undefined {
  const name = (item: object): string => {
    const e = item as { id?: string; name?: string };
    return e.name ?? e.id ?? '';
  };
  const from = (collection.getSnapshot() ?? []).map((i) => name(i)).sort();
  const to = collection.getItems(false).map(name).sort();
  return JSON.stringify(from) === JSON.stringify(to) ? undefined : { from, to };
}

/** JSON-friendly value: dates as ISO strings, references as ids, JSONB parsed. */
function plain(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' && /^[[{]/.test(value)) {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  if (typeof value === 'object' && !Array.isArray(value) && 'id' in value && Object.keys(value).length <= 2) {
    return value.id;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
