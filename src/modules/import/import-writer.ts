import { randomUUID } from 'node:crypto';

import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

import type { AuditChanges, AuditLog } from '../audit/audit-log.entity.js';
import { creationAuditRow } from '../audit/audit.subscriber.js';

/** Rows per multi-row insert of the records created in bulk. */
const INSERT_CHUNK = 1000;

/**
 * Writes an import run's rows in its transaction: what the importers did through the unit of work (linked
 * records created, updates), and the records they created in bulk — plain rows of multi-row inserts with the
 * audit rows the AuditSubscriber would have written for them.
 */
export class BulkWriter {
  /** Records created in bulk, by entity, in the order they must be inserted. */
  private readonly bulk = new Map<EntityClass<object>, Record<string, unknown>[]>();
  private bulkAudit: AuditLog[] = [];
  private inserting: Promise<void> = Promise.resolve();

  constructor(private readonly em: EntityManager) {}

  /**
   * A record created as a plain row of a multi-row insert rather than as an entity of the unit of work (an
   * entity, a change set and a diff per row is most of the cost of a 50k-row file). write() inserts it, with
   * the audit row the AuditSubscriber would have written (same changes, same actor and source `import`).
   * `values` are properties (references as ids); `changes` adds what a collection would have recorded.
   */
  create(
    entity: EntityClass<object>,
    auditType: string,
    values: Record<string, unknown>,
    changes: AuditChanges = {},
  ): string {
    const id = randomUUID();
    const now = new Date();
    this.insertLater(entity, [{ id, createdAt: now, updatedAt: now, ...values }]);
    const meta = this.em.getMetadata().get<object>(entity.name);
    this.bulkAudit.push(creationAuditRow(meta, auditType, id, values, changes));
    return id;
  }

  /** Rows inserted by write() after those of the entities named before (a contact's tag links after it). */
  insertLater(entity: EntityClass<object>, rows: Record<string, unknown>[]): void {
    const list = this.bulk.get(entity);
    if (list) list.push(...rows);
    else this.bulk.set(entity, [...rows]);
  }

  /**
   * Writes what the rows so far made, in the run's transaction: the unit of work first (linked organizations
   * and tags created, updates — audited by the subscriber), then the records created in bulk and their audit
   * rows, in multi-row inserts. Those inserts are not waited for: PostgreSQL runs them while the next rows are
   * read (the next write, or finish(), waits for them and raises their error).
   */
  async write(): Promise<void> {
    await this.inserting;
    await this.em.flush();
    const bulk = [...this.bulk];
    const audit = this.bulkAudit;
    this.bulk.clear();
    this.bulkAudit = [];
    this.inserting = this.insertBulk(bulk, audit);
    // Handled by the next write() or finish(); until then the rejection is not an unhandled one.
    this.inserting.catch(() => undefined);
  }

  /** The last write done: everything the rows made is in the transaction. */
  async finish(): Promise<void> {
    await this.write();
    await this.inserting;
  }

  private async insertBulk(
    bulk: [EntityClass<object>, Record<string, unknown>[]][],
    audit: AuditLog[],
  ): Promise<void> {
    for (const [entity, rows] of bulk) {
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await this.em.insertMany(entity, rows.slice(i, i + INSERT_CHUNK));
      }
    }
    for (let i = 0; i < audit.length; i += INSERT_CHUNK) {
      await this.em.insertMany(audit.slice(i, i + INSERT_CHUNK));
    }
  }
}
