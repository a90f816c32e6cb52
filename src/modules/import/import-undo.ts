import { Injectable } from '@nestjs/common';
import { EntityManager, type EntityName } from '@mikro-orm/postgresql';

import { NotFoundError } from '../../common/errors/index.js';
import { placeholders } from '../../common/utils/sql.js';
import { AuditService } from '../audit/audit.service.js';
import { Contact, ContactStatus, ContactType } from '../contacts/contact.entity.js';
import { setContactTags } from '../contacts/contact-tags.js';
import { Organization, OrganizationType } from '../organizations/organization.entity.js';
import { Tag } from '../tags/tag.entity.js';
import { User } from '../users/user.entity.js';
import {
  ImportBatch,
  ImportBatchRecord,
  ImportBatchStatus,
  ImportRecordAction,
} from './import-batch.entity.js';
import { BatchAlreadyUndoneError, BatchChangedSinceError } from './import.errors.js';

interface Conflict {
  entityType: string;
  id: string;
  name: string;
  reason: string;
}

type Versioned = (Contact | Organization) & { deletedAt?: Date | null };

/** Rows elsewhere that point at a contact or organization: removing it would drop or orphan them. */
const REFERENCES: Record<'contact' | 'organization', { table: string; column: string; label: string }[]> = {
  contact: [
    { table: 'communications', column: 'contact_id', label: 'communications' },
    { table: 'lp_profiles', column: 'contact_id', label: 'LP profiles' },
    { table: 'opportunities', column: 'contact_id', label: 'opportunities' },
    { table: 'tasks', column: 'contact_id', label: 'tasks' },
  ],
  organization: [
    { table: 'contacts', column: 'organization_id', label: 'contacts' },
    { table: 'opportunities', column: 'organization_id', label: 'opportunities' },
    { table: 'tasks', column: 'organization_id', label: 'tasks' },
  ],
};

const nameOf = (entity: Versioned): string =>
  entity instanceof Contact ? `${entity.firstName} ${entity.lastName}`.trim() : entity.name;

/**
 * Undoing a batch: records it created are removed, records it updated get their previous values back — all in
 * one transaction, and only if none of them changed since (its version is still the one the import left, and
 * nothing created since points at a record to remove). Otherwise 409 naming the records.
 */
@Injectable()
export class ImportUndo {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
  ) {}

  async undo(batchId: string, userId: string): Promise<void> {
    await this.em.fork().transactional(async (tx) => {
      // Two undos of one batch at once: the second waits here, then finds it undone.
      await tx.execute('select id from import_batches where id = ? for update', [batchId]);
      const batch = await tx.findOne(ImportBatch, batchId);
      if (!batch) throw new NotFoundError('Import batch', batchId);
      if (batch.status === ImportBatchStatus.Undone) throw new BatchAlreadyUndoneError(batchId);
      const records = await tx.find(
        ImportBatchRecord,
        { batch: batchId },
        { orderBy: { row: 'desc', id: 'asc' } },
      );
      const conflicts: Conflict[] = [];
      const contacts = await this.load(tx, Contact, records, 'contact');
      const organizations = await this.load(tx, Organization, records, 'organization');
      const created = new Set(
        records.filter((r) => r.action === ImportRecordAction.Created).map((r) => r.entityId),
      );

      for (const record of records) {
        if (record.entityType === 'tag') continue;
        const entity = (record.entityType === 'contact' ? contacts : organizations).get(record.entityId);
        if (!entity) {
          if (record.action === ImportRecordAction.Updated) {
            conflicts.push({
              entityType: record.entityType,
              id: record.entityId,
              name: '?',
              reason: 'was deleted since',
            });
          }
          continue;
        }
        if (
          entity.version !== record.version ||
          (record.action === ImportRecordAction.Created && entity.deletedAt)
        ) {
          conflicts.push({
            entityType: record.entityType,
            id: entity.id,
            name: nameOf(entity),
            reason: 'was changed since the import',
          });
        }
      }
      conflicts.push(...(await this.referenced(tx, records, contacts, organizations)));
      if (conflicts.length > 0) throw new BatchChangedSinceError(conflicts);

      for (const record of records) {
        if (record.entityType === 'tag') continue;
        const entity = (record.entityType === 'contact' ? contacts : organizations).get(record.entityId);
        if (!entity) continue;
        if (record.action === ImportRecordAction.Created) tx.remove(entity);
        else await this.restore(tx, entity, record.previous ?? {});
      }
      await tx.flush();
      await this.removeUnusedTags(tx, records);
      batch.status = ImportBatchStatus.Undone;
      batch.undoneAt = new Date();
      batch.undoneBy = tx.getReference(User, userId, { wrapped: true });
      this.audit.persist(tx, {
        action: 'import.undo',
        entityType: 'import_batch',
        entityId: batch.id,
        meta: { removed: created.size, restored: records.length - created.size },
      });
      await tx.flush();
    });
  }

  private async load<T extends Versioned>(
    tx: EntityManager,
    entity: EntityName<T>,
    records: ImportBatchRecord[],
    type: string,
  ): Promise<Map<string, T>> {
    const ids = records.filter((r) => r.entityType === type).map((r) => r.entityId);
    const found = new Map<string, T>();
    for (let i = 0; i < ids.length; i += 5000) {
      const chunk = await tx.find(entity, { id: { $in: ids.slice(i, i + 5000) } } as never, {
        populate: ['tags'] as never,
      });
      for (const e of chunk) found.set(e.id, e);
    }
    return found;
  }

  /** Created records that rows outside the batch now point at (a communication logged on an imported contact, …). */
  private async referenced(
    tx: EntityManager,
    records: ImportBatchRecord[],
    contacts: Map<string, Contact>,
    organizations: Map<string, Organization>,
  ): Promise<Conflict[]> {
    const conflicts: Conflict[] = [];
    const inBatch = new Set(records.filter((r) => r.entityType === 'contact').map((r) => r.entityId));
    for (const type of ['contact', 'organization'] as const) {
      const ids = records
        .filter((r) => r.entityType === type && r.action === ImportRecordAction.Created)
        .map((r) => r.entityId);
      for (let i = 0; i < ids.length; i += 5000) {
        const chunk = ids.slice(i, i + 5000);
        for (const ref of REFERENCES[type]) {
          const rows = await tx.execute<{ target: string; id: string }[]>(
            `select ${ref.column} as target, id from ${ref.table} where ${ref.column} in (${placeholders(chunk)})`,
            chunk,
          );
          for (const row of rows) {
            // Contacts of the batch itself are removed or restored with it.
            if (ref.table === 'contacts' && inBatch.has(row.id)) continue;
            const entity = (type === 'contact' ? contacts : organizations).get(row.target);
            if (!entity || conflicts.some((c) => c.id === row.target)) continue;
            conflicts.push({
              entityType: type,
              id: row.target,
              name: nameOf(entity),
              reason: `has ${ref.label} added since the import`,
            });
          }
        }
      }
    }
    return conflicts;
  }

  private async restore(
    tx: EntityManager,
    entity: Versioned,
    previous: Record<string, unknown>,
  ): Promise<void> {
    const target = entity as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(previous)) {
      if (field === 'tags') {
        const tags = await tx.find(Tag, { id: { $in: value as string[] } });
        if (entity instanceof Contact) setContactTags(entity, tags);
        else {
          entity.tags.set(tags);
          entity.updatedAt = new Date();
        }
      } else if (field === 'organization') {
        target.organization = value ? tx.getReference(Organization, value as string) : null;
      } else if (field === 'owner') {
        target.owner = value ? tx.getReference(User, value as string) : null;
      } else if (field === 'lastName') {
        target.lastName = value ?? '';
      } else if (field === 'contactType') {
        target.contactType = value ?? ContactType.Prospect;
      } else if (field === 'status') {
        target.status = value ?? ContactStatus.Active;
      } else if (field === 'type') {
        target.type = value ?? OrganizationType.Other;
      } else {
        target[field] = value;
      }
    }
  }

  /** Tags the batch created that nothing uses any more. */
  private async removeUnusedTags(tx: EntityManager, records: ImportBatchRecord[]): Promise<void> {
    const ids = records
      .filter((r) => r.entityType === 'tag' && r.action === ImportRecordAction.Created)
      .map((r) => r.entityId);
    if (ids.length === 0) return;
    const unused = await tx.execute<{ id: string }[]>(
      `select t.id from tags t where t.id in (${placeholders(ids)})
          and not exists (select 1 from contact_tags where tag_id = t.id)
          and not exists (select 1 from organization_tags where tag_id = t.id)`,
      ids,
    );
    if (unused.length === 0) return;
    tx.remove(await tx.find(Tag, { id: { $in: unused.map((u) => u.id) } }));
    await tx.flush();
  }
}
