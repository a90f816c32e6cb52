import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import { type Actor, RequestContext } from '../../common/context/request-context.js';
import { AuditLog, AuditSource, type AuditChanges } from './audit-log.entity.js';

export interface AuditEvent {
  action: string;
  entityType?: string;
  entityId?: string;
  changes?: AuditChanges;
  meta?: Record<string, unknown>;
  /** Defaults to the actor of the current request/command. */
  actor?: Actor;
}

/** Builds audit rows from the current request context; writes events that are not entity changes. */
@Injectable()
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  build(event: AuditEvent): AuditLog {
    const ctx = RequestContext.current();
    const actor = event.actor ?? ctx?.actor;
    const row = new AuditLog();
    row.actorUserId = actor?.userId ?? null;
    row.actorTokenId = actor?.tokenId ?? null;
    row.actorLabel = actor?.label ?? (ctx?.source === AuditSource.Cli ? 'cli' : 'system');
    row.source = ctx?.source ?? AuditSource.System;
    row.action = event.action;
    row.entityType = event.entityType ?? null;
    row.entityId = event.entityId ?? null;
    row.changes = event.changes ?? null;
    row.requestId = ctx?.requestId ?? null;
    row.ip = ctx?.ip ?? null;
    row.meta = event.meta ?? null;
    return row;
  }

  /** Writes one event now, on its own (logins, exports): it must stay even if the caller's work fails. */
  async record(event: AuditEvent): Promise<void> {
    await this.em.fork().insert(AuditLog, this.build(event));
  }
}
