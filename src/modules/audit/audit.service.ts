import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import { AuditLog } from './audit-log.entity.js';
import { type AuditEvent, buildAuditRow } from './audit-row.js';

export type { AuditEvent } from './audit-row.js';

/**
 * Events that are not entity changes (sign-ins, exports, merges, bulk clean-ups). Entity changes are
 * recorded by AuditSubscriber at flush time, whatever the entry point.
 */
@Injectable()
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  /** Writes one event now, on its own: it stays even if the caller's work fails (e.g. a failed login). */
  async record(event: AuditEvent): Promise<void> {
    await this.em.fork().insert(AuditLog, buildAuditRow(event));
  }

  /** Adds an event to the caller's unit of work: written in the same transaction, or not at all. */
  persist(em: EntityManager, event: AuditEvent): void {
    em.persist(buildAuditRow(event));
  }
}
