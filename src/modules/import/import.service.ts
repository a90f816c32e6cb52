import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { RequestContext } from '../../common/context/request-context.js';
import { listResponse, type ListResponse, type PagingQueryDto } from '../../common/dto/paging.dto.js';
import { NotFoundError, ValidationError } from '../../common/errors/index.js';
import { countRows, runQuery } from '../../common/utils/sql.js';
import { AuditSource } from '../../common/context/audit-source.js';
import { AuditService } from '../audit/audit.service.js';
import {
  type CustomFieldDefinition,
  CustomFieldEntityType,
} from '../custom-fields/custom-field-definition.entity.js';
import { CustomFieldsService } from '../custom-fields/custom-fields.service.js';
import { User } from '../users/user.entity.js';
import { CommunicationImporter } from './communication-importer.js';
import { ContactImporter } from './contact-importer.js';
import { ImportBatch, ImportBatchRecord } from './import-batch.entity.js';
import { ImportContext, RowRejected } from './import-context.js';
import {
  CUSTOM_FIELD_PREFIX,
  IGNORE,
  IMPORT_FIELDS,
  ImportEntityType,
  suggestMapping,
} from './import-fields.js';
import { withFormulaEscapesUndone } from './import-table.js';
import type { ImportOptions, ImportProgress, ImportReport, ImportTable } from './import-types.js';
import { ImportUndo } from './import-undo.js';
import type { EntityImporter } from './importer.js';
import { LpProfileImporter } from './lp-profile-importer.js';
import { OpportunityImporter } from './opportunity-importer.js';
import { OrganizationImporter } from './organization-importer.js';
import { TaskImporter } from './task-importer.js';

/** Rows written per write (see BulkWriter.write): the unit of work stays small, inserts and audit rows go in batches. */
const FLUSH_EVERY = 1000;

/** The custom fields of each entity type (communications and tasks have none). */
const CUSTOM_FIELD_ENTITY: Record<ImportEntityType, CustomFieldEntityType | null> = {
  [ImportEntityType.Contact]: CustomFieldEntityType.Contact,
  [ImportEntityType.Organization]: CustomFieldEntityType.Organization,
  [ImportEntityType.Opportunity]: CustomFieldEntityType.Opportunity,
  [ImportEntityType.LpProfile]: CustomFieldEntityType.LpProfile,
  [ImportEntityType.Communication]: null,
  [ImportEntityType.Task]: null,
};

const IMPORTERS: Record<ImportEntityType, new (ctx: ImportContext) => EntityImporter> = {
  [ImportEntityType.Contact]: ContactImporter,
  [ImportEntityType.Organization]: OrganizationImporter,
  [ImportEntityType.Opportunity]: OpportunityImporter,
  [ImportEntityType.LpProfile]: LpProfileImporter,
  [ImportEntityType.Communication]: CommunicationImporter,
  [ImportEntityType.Task]: TaskImporter,
};

/** Thrown to roll a run back (dry run, or rejected rows without `partial`) and carry its report out. */
class RollBack extends Error {
  constructor(readonly report: ImportReport) {
    super('rolled back');
  }
}

export interface BatchSummary {
  id: string;
  createdAt: Date;
  entityType: string;
  status: string;
  fileName: string | null;
  actorLabel: string;
  undoneAt: Date | null;
  counts: Pick<ImportReport, 'rows' | 'created' | 'updated' | 'skipped' | 'rejected'>;
}

export interface BatchDetail extends BatchSummary {
  options: Record<string, unknown>;
  report: ImportReport;
}

/**
 * Imports rows of a CSV export into one entity type. Every row ends up created, updated, skipped (duplicate,
 * blank, unchanged) or rejected with its column and reason. A run is one transaction: a dry run and a run with
 * rejected rows (unless `partial`) roll back at the end, so a dry run reports exactly what a real run does.
 * Writes go through the entities (audited by the AuditSubscriber, source `import`) after the API's DTO and
 * custom-field rules; a committed run is a batch that can be undone.
 */
@Injectable()
export class ImportService {
  constructor(
    private readonly em: EntityManager,
    private readonly customFields: CustomFieldsService,
    private readonly audit: AuditService,
    private readonly undoer: ImportUndo,
  ) {}

  /** The mapping suggested for a header row (custom fields of the entity included). */
  async suggest(entityType: ImportEntityType, headers: string[]): Promise<Record<string, string>> {
    return suggestMapping(headers, entityType, await this.definitions(entityType));
  }

  private async definitions(entityType: ImportEntityType): Promise<CustomFieldDefinition[]> {
    const entity = CUSTOM_FIELD_ENTITY[entityType];
    return entity ? this.customFields.definitions(entity) : [];
  }

  /** What a column of a file of this entity type may be mapped to: its fields, `cf.<key>` custom fields, `ignore`. */
  async targets(entityType: ImportEntityType): Promise<string[]> {
    const definitions = await this.definitions(entityType);
    return [
      ...IMPORT_FIELDS[entityType].map((f) => f.name),
      ...definitions.map((d) => `${CUSTOM_FIELD_PREFIX}${d.key}`),
      IGNORE,
    ];
  }

  async run(table: ImportTable, options: ImportOptions, progress?: ImportProgress): Promise<ImportReport> {
    const ctx = RequestContext.current();
    return RequestContext.run(
      { ...ctx, source: AuditSource.Import, actor: ctx?.actor ?? { label: 'system' } },
      () => this.execute(withFormulaEscapesUndone(table, options.formulaEscapes), options, progress),
    );
  }

  private async execute(
    table: ImportTable,
    options: ImportOptions,
    progress?: ImportProgress,
  ): Promise<ImportReport> {
    const mapping = await this.checkedMapping(table.headers, options);
    const report = emptyReport(options.entityType, table.rows.length);
    try {
      await this.em.fork().transactional(async (tx) => {
        const ctx = new ImportContext(
          tx,
          { ...options, mapping },
          report,
          this.customFields,
          CUSTOM_FIELD_ENTITY[options.entityType],
        );
        await ctx.load();
        const importer = this.importer(ctx);
        importer.validateMapping(new Set(Object.values(mapping)));
        await importer.prepare();
        for (const [index, cells] of table.rows.entries()) {
          await this.importRow(ctx, importer, index + 1, table.headers, cells);
          if ((index + 1) % FLUSH_EVERY === 0) {
            await ctx.writer.write();
            ctx.release();
            progress?.(index + 1, table.rows.length);
          }
        }
        await ctx.writer.finish();
        progress?.(table.rows.length, table.rows.length);
        if (options.dryRun || (report.rejected > 0 && !options.partial)) {
          report.status = options.dryRun ? 'dry_run' : 'rolled_back';
          throw new RollBack(report);
        }
        report.status = 'committed';
        await this.saveBatch(tx, ctx, { ...options, mapping });
      });
    } catch (err) {
      if (err instanceof RollBack) return err.report;
      throw err;
    }
    return report;
  }

  private async importRow(
    ctx: ImportContext,
    importer: EntityImporter,
    row: number,
    headers: string[],
    cells: string[],
  ): Promise<void> {
    const report = ctx.report;
    if (cells.every((c) => c.trim() === '')) {
      report.skipped += 1;
      report.skippedBlank += 1;
      report.skips.push({ row, reason: 'blank' });
      return;
    }
    try {
      const outcome = await importer.importRow(row, ctx.read(headers, cells));
      if (outcome.kind === 'created') report.created += 1;
      else if (outcome.kind === 'updated') report.updated += 1;
      else {
        report.skipped += 1;
        if (outcome.reason === 'duplicate') report.skippedDuplicate += 1;
        else if (outcome.reason === 'unchanged') report.skippedUnchanged += 1;
        else report.skippedBlank += 1;
        report.skips.push({ row, reason: outcome.reason, recordId: outcome.recordId });
      }
    } catch (err) {
      if (!(err instanceof RowRejected)) throw err;
      report.rejected += 1;
      for (const issue of err.issues) report.errors.push({ row, ...issue });
    }
  }

  private importer(ctx: ImportContext): EntityImporter {
    return new IMPORTERS[ctx.options.entityType](ctx);
  }

  /**
   * The mapping to use: the one sent (columns it leaves out are ignored) or, without one, the suggestion.
   * A column that is not in the file, a target that is not a field, or a field mapped twice is a 400.
   */
  private async checkedMapping(headers: string[], options: ImportOptions): Promise<Record<string, string>> {
    const definitions = await this.definitions(options.entityType);
    if (Object.keys(options.mapping).length === 0)
      return suggestMapping(headers, options.entityType, definitions);
    const fields = new Set(IMPORT_FIELDS[options.entityType].map((f) => f.name));
    const keys = new Set(definitions.map((d) => d.key));
    const used = new Map<string, string>();
    for (const [column, target] of Object.entries(options.mapping)) {
      const field = `mapping.${column}`;
      if (!headers.includes(column)) throw ValidationError.field(field, 'is not a column of the file');
      if (typeof target !== 'string')
        throw ValidationError.field(field, 'must be a field name, cf.<key> or ignore');
      if (target === IGNORE) continue;
      if (target.startsWith(CUSTOM_FIELD_PREFIX)) {
        if (!keys.has(target.slice(CUSTOM_FIELD_PREFIX.length))) {
          throw ValidationError.field(field, `${target} is not a custom field of ${options.entityType}s`);
        }
      } else if (!fields.has(target)) {
        throw ValidationError.field(
          field,
          `"${target}" is not a field of ${options.entityType}s; one of: ${[...fields].join(', ')}, cf.<key>, ignore`,
        );
      }
      const other = used.get(target);
      if (other !== undefined)
        throw ValidationError.field(field, `${target} is already mapped from column "${other}"`);
      used.set(target, column);
    }
    return Object.fromEntries(headers.map((h) => [h, options.mapping[h] ?? IGNORE]));
  }

  private async saveBatch(tx: EntityManager, ctx: ImportContext, options: ImportOptions): Promise<void> {
    const actor = RequestContext.current()?.actor;
    const batch = tx.create(ImportBatch, {
      entityType: options.entityType,
      fileName: options.fileName ?? null,
      options: {
        entityType: options.entityType,
        mapping: options.mapping,
        onDuplicate: options.onDuplicate,
        partial: options.partial,
        dayFirst: options.dayFirst,
        formulaEscapes: options.formulaEscapes,
      },
      report: {},
      createdBy: actor?.userId ? tx.getReference(User, actor.userId, { wrapped: true }) : null,
      actorLabel: actor?.label ?? 'system',
    });
    ctx.report.batchId = batch.id;
    batch.report = { ...ctx.report };
    await tx.flush();
    const records = ctx.touched.map((t) => ({
      batch: batch.id,
      row: t.row,
      entityType: t.entityType,
      entityId: t.entity.id,
      action: t.action,
      version: t.entity.version ?? 1,
      previous: t.previous,
    }));
    for (let i = 0; i < records.length; i += 5000) {
      await tx.insertMany(ImportBatchRecord, records.slice(i, i + 5000));
    }
    this.audit.persist(tx, {
      action: 'import',
      entityType: 'import_batch',
      entityId: batch.id,
      meta: summaryOf(ctx.report),
    });
    await tx.flush();
  }

  /** Newest first; the counts are read out of each report, not the whole report. */
  async list(query: PagingQueryDto): Promise<ListResponse<BatchSummary>> {
    const knex = this.em.getKnex();
    const batches = knex('import_batches');
    const page = batches
      .clone()
      .select(
        knex.raw(`id, created_at as "createdAt", entity_type as "entityType", status, file_name as "fileName",
                  actor_label as "actorLabel", undone_at as "undoneAt",
                  jsonb_build_object('rows', report->'rows', 'created', report->'created', 'updated', report->'updated',
                                     'skipped', report->'skipped', 'rejected', report->'rejected') as counts`),
      )
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit)
      .offset(query.offset);
    const [rows, total] = await Promise.all([
      runQuery<Omit<BatchSummary, 'counts'> & { counts: BatchSummary['counts'] }>(this.em, page),
      countRows(this.em, batches, query.count),
    ]);
    return listResponse(
      rows.map((r) => ({
        ...r,
        createdAt: new Date(r.createdAt),
        undoneAt: r.undoneAt && new Date(r.undoneAt),
      })),
      total,
      query,
    );
  }

  async get(id: string): Promise<BatchDetail> {
    const batch = await this.em.findOne(ImportBatch, id);
    if (!batch) throw new NotFoundError('Import batch', id);
    return { ...summary(batch), options: batch.options, report: batch.report as unknown as ImportReport };
  }

  /** Undoes a batch (see ImportUndo); audited with source `import`. */
  async undo(id: string, caller: AuthUser): Promise<BatchDetail> {
    const ctx = RequestContext.current();
    await RequestContext.run(
      { ...ctx, source: AuditSource.Import, actor: ctx?.actor ?? { label: 'system' } },
      () => this.undoer.undo(id, caller.id),
    );
    return this.get(id);
  }
}

function emptyReport(entityType: ImportEntityType, rows: number): ImportReport {
  return {
    batchId: null,
    status: 'dry_run',
    entityType,
    rows,
    created: 0,
    updated: 0,
    skipped: 0,
    skippedDuplicate: 0,
    skippedBlank: 0,
    skippedUnchanged: 0,
    rejected: 0,
    linkedCreated: { organizations: 0, tags: 0 },
    errors: [],
    warnings: [],
    skips: [],
  };
}

function summaryOf(report: ImportReport): BatchSummary['counts'] {
  const { rows, created, updated, skipped, rejected } = report;
  return { rows, created, updated, skipped, rejected };
}

function summary(batch: ImportBatch): BatchSummary {
  const report = (batch.report ?? {}) as unknown as ImportReport;
  return {
    id: batch.id,
    createdAt: batch.createdAt,
    entityType: batch.entityType,
    status: batch.status,
    fileName: batch.fileName ?? null,
    actorLabel: batch.actorLabel,
    undoneAt: batch.undoneAt ?? null,
    counts: summaryOf(report),
  };
}
