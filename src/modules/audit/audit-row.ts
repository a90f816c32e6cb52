import { type Actor, RequestContext } from '../../common/context/request-context.js';
import { AuditLog, type AuditChanges } from './audit-log.entity.js';
import { AuditSource } from '../../common/context/audit-source.js';

export interface AuditEvent {
  action: string;
  entityType?: string;
  entityId?: string;
  changes?: AuditChanges;
  meta?: Record<string, unknown>;
  /** Defaults to the actor of the current request, command or job. */
  actor?: Actor;
}

/** An audit row for `event`, stamped with who acted, through which entry point, in which request. */
export function buildAuditRow(event: AuditEvent): AuditLog {
  const ctx = RequestContext.current();
  const actor = event.actor ?? ctx?.actor;
  const row = new AuditLog();
  row.actorUserId = actor?.userId ?? null;
  row.actorTokenId = actor?.tokenId ?? null;
  row.actorLabel = actor?.label ?? fallbackLabel(ctx?.source);
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

/** Who acted when no one is signed in: a request (a failed sign-in) is anonymous; a command or job is itself. */
function fallbackLabel(source: AuditSource | undefined): string {
  if (source === AuditSource.Cli) return 'cli';
  if (source === AuditSource.Api || source === AuditSource.Admin) return 'anonymous';
  return 'system';
}
