import { randomUUID } from 'node:crypto';

import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';

import { AuditSource } from '../../common/context/audit-source.js';

export type AuditChanges = Record<string, { from: unknown; to: unknown }>;

/** Append-only: the database refuses UPDATE and DELETE on this table. */
@Entity({ tableName: 'audit_log' })
@Index({ name: 'audit_log_entity_index', properties: ['entityType', 'entityId', 'createdAt'] })
@Index({ name: 'audit_log_actor_index', properties: ['actorUserId', 'createdAt'] })
@Index({ name: 'audit_log_action_index', properties: ['action', 'createdAt'] })
@Index({ name: 'audit_log_created_at_index', properties: ['createdAt'] })
export class AuditLog {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id: string = randomUUID();

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** The user who acted (also set for API-token requests: the token's owner). */
  @Property({ type: 'uuid', nullable: true })
  actorUserId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  actorTokenId?: string | null;

  /** Who, readable even if the user is renamed later: a username, `token:<name>`, or `system`. */
  @Property({ type: 'string', length: 200 })
  actorLabel!: string;

  @Enum({ items: () => AuditSource, nativeEnumName: 'audit_source' })
  source!: AuditSource;

  /** create, update, delete, soft_delete, restore, merge, stage_change, login.success, export, … */
  @Property({ type: 'string', length: 64 })
  action!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  entityType?: string | null;

  @Property({ type: 'uuid', nullable: true })
  entityId?: string | null;

  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  changes?: Record<string, { from: unknown; to: unknown }> | null;

  @Property({ type: 'string', length: 128, nullable: true })
  requestId?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  ip?: string | null;

  /** Anything else worth keeping: the reason of a failed login, the filters of an export, … */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true })
  meta?: Record<string, unknown> | null;
}
