import { Injectable } from '@nestjs/common';
import { type Collection, EntityManager } from '@mikro-orm/postgresql';

import { NotFoundError } from '../../common/errors/index.js';
import { runQuery } from '../../common/utils/sql.js';
import { AuditService } from '../audit/audit.service.js';
import { Contact } from '../contacts/contact.entity.js';
import { setContactTags } from '../contacts/contact-tags.js';
import { Tag } from '../tags/tag.entity.js';
import { User } from '../users/user.entity.js';
import {
  ImportBatch,
  ImportBatchRecord,
  ImportBatchStatus,
  ImportRecordAction,
} from './import-batch.entity.js';
import { UNDO_TYPES, type UndoRecord, type UndoType } from './import-undo-types.js';
import { BatchAlreadyUndoneError, BatchChangedSinceError } from './import.errors.js';

interface Conflict {
  entityType: string;
  id: string;
  name: string;
  reason: string;
}

/** The records of a batch as they are now, by entity type and id. */
type Loaded = Map<string, Map<string, UndoRecord>>;

/**
 * Undoing a batch: records it created are removed, records it updated get their previous values back — all in
 * one transaction, and only if none of them changed since (its version is still the one the import left — or,
 * for communications and tasks, which have no version, it was not updated after the batch — and nothing created
 * since points at a record to remove). Otherwise 409 naming the records.
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
      const records = (
        await tx.find(ImportBatchRecord, { batch: batchId }, { orderBy: { row: 'desc', id: 'asc' } })
      ).filter((r) => r.entityType !== 'tag');
      const tags = await tx.find(ImportBatchRecord, { batch: batchId, entityType: 'tag' });
      const loaded = await this.load(tx, records);
      const conflicts = this.changedSince(records, loaded, batch.createdAt);
      conflicts.push(...(await this.referenced(tx, records, loaded)));
      if (conflicts.length > 0) throw new BatchChangedSinceError(conflicts);

      for (const record of records) {
        const entity = loaded.get(record.entityType)?.get(record.entityId);
        if (!entity) continue;
        if (record.action === ImportRecordAction.Created) tx.remove(entity);
        else await this.restore(tx, UNDO_TYPES[record.entityType], entity, record.previous ?? {});
      }
      await tx.flush();
      await this.removeUnusedTags(tx, tags);
      const created = records.filter((r) => r.action === ImportRecordAction.Created).length + tags.length;
      batch.status = ImportBatchStatus.Undone;
      batch.undoneAt = new Date();
      batch.undoneBy = tx.getReference(User, userId, { wrapped: true });
      this.audit.persist(tx, {
        action: 'import.undo',
        entityType: 'import_batch',
        entityId: batch.id,
        meta: { removed: created, restored: records.length + tags.length - created },
      });
      await tx.flush();
    });
  }

  private async load(tx: EntityManager, records: ImportBatchRecord[]): Promise<Loaded> {
    const loaded: Loaded = new Map();
    for (const [type, undo] of Object.entries(UNDO_TYPES)) {
      const ids = records.filter((r) => r.entityType === type).map((r) => r.entityId);
      const found = new Map<string, UndoRecord>();
      for (let i = 0; i < ids.length; i += 5000) {
        const chunk = await tx.find(
          undo.entity,
          { id: { $in: ids.slice(i, i + 5000) } },
          {
            populate: (undo.populate ?? []) as never,
          },
        );
        for (const e of chunk) found.set(e.id, e);
      }
      loaded.set(type, found);
    }
    return loaded;
  }

  /** Records changed (or deleted) since the batch: undoing would lose those changes. */
  private changedSince(records: ImportBatchRecord[], loaded: Loaded, batchAt: Date): Conflict[] {
    const conflicts: Conflict[] = [];
    for (const record of records) {
      const undo = UNDO_TYPES[record.entityType];
      const entity = loaded.get(record.entityType)?.get(record.entityId);
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
      const changed =
        (undo.changedBy === 'version' && entity.version !== record.version) ||
        (undo.changedBy === 'updatedAt' && entity.updatedAt!.getTime() > batchAt.getTime()) ||
        (record.action === ImportRecordAction.Created && !!entity.deletedAt);
      if (changed) {
        conflicts.push({
          entityType: record.entityType,
          id: entity.id,
          name: undo.name(entity),
          reason: 'was changed since the import',
        });
      }
    }
    return conflicts;
  }

  /**
   * Created records that rows outside the batch now point at (a communication logged on an imported contact, a
   * task on an imported opportunity, …).
   */
  private async referenced(
    tx: EntityManager,
    records: ImportBatchRecord[],
    loaded: Loaded,
  ): Promise<Conflict[]> {
    const conflicts: Conflict[] = [];
    // Records of the batch itself are removed or restored with it.
    const inBatch = new Set(records.map((r) => r.entityId));
    for (const [type, undo] of Object.entries(UNDO_TYPES)) {
      const ids = records
        .filter((r) => r.entityType === type && r.action === ImportRecordAction.Created)
        .map((r) => r.entityId);
      for (let i = 0; i < ids.length; i += 5000) {
        const chunk = ids.slice(i, i + 5000);
        for (const ref of undo.references) {
          const rows = await runQuery<{ target: string; id: string }>(
            tx,
            tx.getKnex()(ref.table).select({ target: ref.column }, 'id').whereIn(ref.column, chunk),
          );
          for (const row of rows) {
            if (inBatch.has(row.id)) continue;
            const entity = loaded.get(type)?.get(row.target);
            if (!entity || conflicts.some((c) => c.id === row.target)) continue;
            conflicts.push({
              entityType: type,
              id: row.target,
              name: undo.name(entity),
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
    undo: UndoType,
    entity: UndoRecord,
    previous: Record<string, unknown>,
  ): Promise<void> {
    const target = entity as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(previous)) {
      if (field === 'tags') {
        const tags = await tx.find(Tag, { id: { $in: value as string[] } });
        if (entity instanceof Contact) setContactTags(entity, tags);
        else {
          (target.tags as Collection<Tag>).set(tags);
          target.updatedAt = new Date();
        }
      } else if (undo.refs[field]) {
        target[field] = value ? tx.getReference(undo.refs[field], value as never) : null;
      } else if (undo.dates.includes(field)) {
        target[field] = value ? new Date(value as string) : null;
      } else if (field in undo.defaults) {
        target[field] = value ?? undo.defaults[field];
      } else {
        target[field] = value;
      }
    }
  }

  /** Tags the batch created that nothing uses any more. */
  private async removeUnusedTags(tx: EntityManager, records: ImportBatchRecord[]): Promise<void> {
    const ids = records.filter((r) => r.action === ImportRecordAction.Created).map((r) => r.entityId);
    if (ids.length === 0) return;
    const knex = tx.getKnex();
    const usedIn = (pivot: string) => knex(pivot).select(knex.raw('1')).where('tag_id', knex.ref('t.id'));
    const unused = await runQuery<{ id: string }>(
      tx,
      knex({ t: 'tags' })
        .select('t.id')
        .whereIn('t.id', ids)
        .whereNotExists(usedIn('contact_tags'))
        .whereNotExists(usedIn('organization_tags')),
    );
    if (unused.length === 0) return;
    tx.remove(await tx.find(Tag, { id: { $in: unused.map((u) => u.id) } }));
    await tx.flush();
  }
}
