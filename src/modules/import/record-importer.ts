import type { EntityClass, FilterQuery } from '@mikro-orm/postgresql';

import { RequestContext } from '../../common/context/request-context.js';
import { ValidationError } from '../../common/errors/index.js';
import { type Organization } from '../organizations/organization.entity.js';
import { type User } from '../users/user.entity.js';
import { ImportRecordAction } from './import-batch.entity.js';
import { type ImportContext, RowRejected, type RowValues } from './import-context.js';
import { RecordLinks } from './import-links.js';
import { OnDuplicate } from './import-types.js';
import {
  changedFields,
  type EntityImporter,
  mappedFields,
  type RowOutcome,
  sameSnapshot,
  snapshotOf,
} from './importer.js';

/** What a row resolved to before anything is written: its dedupe key and the linked ids it names. */
export interface Resolved {
  key: string;
}

/**
 * One importer for the entities that hang off contacts and funds (opportunities, LP profiles, communications,
 * tasks): each row is resolved (links found, dedupe key), compared with the rows above it and with the database,
 * then skipped, created or updated as `onDuplicate` says — an update that changes nothing is `unchanged`, and
 * what a write changed is kept for undo. Subclasses say how a row is resolved, found, created and updated.
 */
export abstract class RecordImporter<E extends { id: string }, R extends Resolved> implements EntityImporter {
  /** Dedupe keys of this file's rows so far: a second row for one record is a duplicate (the first wins). */
  private readonly seen = new Map<string, string>();
  protected readonly links: RecordLinks;

  protected abstract readonly entityType: string;
  protected abstract readonly entity: EntityClass<E>;
  /** The fields an import may change, as undo restores them. */
  protected abstract readonly snapshot: readonly string[];
  /** Fields without which a row cannot be a record (a 400 naming `mapping` when none is mapped). */
  protected abstract readonly required: readonly string[];

  constructor(protected readonly ctx: ImportContext) {
    this.links = new RecordLinks(ctx.em);
  }

  validateMapping(targets: Set<string>): void {
    const missing = this.required.filter((f) => !targets.has(f));
    if (missing.length > 0) {
      throw ValidationError.field('mapping', `no column is mapped to ${missing.join(' and ')}`);
    }
  }

  async prepare(): Promise<void> {}

  /** Links and key of a row; rejects it (RowRejected) when a name is unknown or ambiguous. */
  protected abstract resolve(row: number, values: RowValues): Promise<R>;
  /** The live record in the database this row duplicates. */
  protected abstract existing(resolved: R): Promise<string | null>;
  protected abstract create(row: number, values: RowValues, resolved: R): Promise<E>;
  /** Writes the mapped fields to `record`; throws (rejecting the row) before changing anything. */
  protected abstract update(row: number, values: RowValues, resolved: R, record: E): Promise<void>;

  /** onDuplicate=create with a match: a new record anyway, unless a rule makes the key unique (then a rejection). */
  protected refuseCreate(_values: RowValues, _resolved: R, _existingId: string): void {}

  async importRow(row: number, values: RowValues): Promise<RowOutcome> {
    const resolved = await this.resolve(row, values);
    const earlier = this.seen.get(resolved.key);
    if (earlier) return { kind: 'skipped', reason: 'duplicate', recordId: earlier };
    const id = await this.existing(resolved);
    let outcome: RowOutcome;
    if (id && this.ctx.options.onDuplicate === OnDuplicate.Skip) {
      outcome = { kind: 'skipped', reason: 'duplicate', recordId: id };
    } else if (id && this.ctx.options.onDuplicate === OnDuplicate.Update) {
      outcome = await this.updateRow(row, values, resolved, id);
    } else {
      if (id) this.refuseCreate(values, resolved, id);
      const record = await this.create(row, values, resolved);
      this.ctx.touch(row, this.entityType, record, ImportRecordAction.Created);
      outcome = { kind: 'created', recordId: record.id };
    }
    this.seen.set(resolved.key, outcome.recordId!);
    return outcome;
  }

  private async updateRow(row: number, values: RowValues, resolved: R, id: string): Promise<RowOutcome> {
    const record =
      this.ctx.em.getUnitOfWork().getById<E>(this.entity.name, id as never) ??
      (await this.ctx.em.findOneOrFail(this.entity, { id } as FilterQuery<E>));
    const before = snapshotOf(record, this.snapshot);
    await this.update(row, values, resolved, record);
    const after = snapshotOf(record, this.snapshot);
    if (sameSnapshot(before, after)) return { kind: 'skipped', reason: 'unchanged', recordId: id };
    this.ctx.touch(row, this.entityType, record, ImportRecordAction.Updated, changedFields(before, after));
    return { kind: 'updated', recordId: id };
  }

  /** The user the import runs as (null from the CLI): the default owner, assignee and author, as in the API. */
  protected get actorId(): string | null {
    return RequestContext.current()?.actor?.userId ?? null;
  }

  /** The cell of a linked field: undefined when not mapped, null when empty, else its record found by `find`. */
  protected async link<T>(
    values: RowValues,
    field: string,
    find: (cell: string, column: string) => Promise<T>,
  ): Promise<T | null | undefined> {
    const cell = values.fields.get(field) as string | null | undefined;
    if (cell === undefined || cell === null) return cell;
    return find(cell, values.columns.get(field)!);
  }

  /** A user by username, email or full name (`owner`, `assignee`, `createdBy`). */
  protected user(values: RowValues, field: string): Promise<User | null | undefined> {
    return this.link(values, field, (cell, column) => this.ctx.linkUser(cell, column, field));
  }

  /** An organization by name, found or created (as a contact's). */
  protected organization(row: number, values: RowValues): Promise<Organization | null | undefined> {
    return this.link(values, 'organization', (cell, column) => this.ctx.linkOrganization(row, cell, column));
  }

  protected contactId(values: RowValues): Promise<string | null | undefined> {
    return this.link(values, 'contact', (cell, column) => this.links.contact(cell, column));
  }

  protected fundId(values: RowValues): Promise<string | null | undefined> {
    return this.link(values, 'fund', (cell, column) => this.links.fund(cell, column));
  }

  protected opportunityId(values: RowValues): Promise<string | null | undefined> {
    return this.link(values, 'opportunity', (cell, column) => this.links.opportunity(cell, column));
  }

  /**
   * The row's currency: the one its money cells name (`€…` → EUR) and its currency column, which must agree —
   * a record has one currency. Undefined when the row names none.
   */
  protected currency(values: RowValues): string | undefined {
    const named = new Map<string, string>();
    for (const [field, code] of values.currencies) named.set(code, values.columns.get(field)!);
    const cell = values.fields.get('currency') as string | null | undefined;
    const code = cell?.trim().toUpperCase();
    if (code && !named.has(code)) named.set(code, values.columns.get('currency')!);
    if (named.size > 1) {
      throw new RowRejected([
        {
          column: [...named.values()][1],
          field: 'currency',
          message: `amounts in ${[...named.keys()].join(' and ')}: a record has one currency`,
        },
      ]);
    }
    return named.keys().next().value;
  }

  /**
   * The plain fields `names` the row maps (undefined = not mapped, so a PATCH leaves them); `currency` as the
   * amounts name it.
   */
  protected plain(values: RowValues, names: readonly string[]): Record<string, unknown> {
    const plain = mappedFields(values, names);
    const currency = names.includes('currency') ? this.currency(values) : undefined;
    if (currency) plain.currency = currency;
    return plain;
  }

  /** The id of the first row `sql` selects (the record a row matches), or null. */
  protected async firstId(sql: string, params: unknown[]): Promise<string | null> {
    const [match] = await this.ctx.em.execute<{ id: string }[]>(sql, params);
    return match?.id ?? null;
  }

  /** A text field as dedupe keys compare it: trimmed, case ignored ('' when empty or not mapped). */
  protected textKey(values: RowValues, field: string): string {
    const value = values.fields.get(field);
    return typeof value === 'string' ? value.trim().toLowerCase() : '';
  }

  /** A reference to a record by id (null and undefined passed through). */
  protected ref<T extends object>(
    entity: EntityClass<T>,
    id: string | null | undefined,
  ): T | null | undefined {
    return id ? this.ctx.em.getReference(entity, id as never) : (id as null | undefined);
  }
}
