import type { EntityManager } from '@mikro-orm/postgresql';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { type ErrorDetail, ValidationError } from '../../common/errors/index.js';
import { validationDetails } from '../../common/pipes/validation.pipe.js';
import type {
  CustomFieldDefinition,
  CustomFieldEntityType,
} from '../custom-fields/custom-field-definition.entity.js';
import { CustomFieldType } from '../custom-fields/custom-field-definition.entity.js';
import type { CustomFieldsService } from '../custom-fields/custom-fields.service.js';
import { Organization, OrganizationType } from '../organizations/organization.entity.js';
import { Tag } from '../tags/tag.entity.js';
import { User } from '../users/user.entity.js';
import { ImportRecordAction } from './import-batch.entity.js';
import { readValueCell } from './import-cells.js';
import { BulkWriter } from './import-writer.js';
import { CUSTOM_FIELD_PREFIX, IGNORE, IMPORT_FIELDS, type ImportField } from './import-fields.js';
import type { ImportOptions, ImportReport, RowIssue } from './import-types.js';
import {
  isValidEmail,
  nameKey,
  normaliseEmail,
  parseDate,
  parseEnum,
  parseMoney,
  splitList,
} from './import-values.js';

/** Longest tag and organization names the database takes. */
const TAG_NAME_MAX = 60;
const ORGANIZATION_NAME_MAX = 200;

/** A record the run created or updated, kept for the batch (undo) once the last flush has given its version. */
export interface TouchedRecord {
  row: number;
  entityType: string;
  entity: { id: string; version?: number };
  action: ImportRecordAction;
  previous: Record<string, unknown> | null;
}

/** Raised while reading a row: the row is rejected with these reasons, nothing of it is written. */
export class RowRejected extends Error {
  constructor(readonly issues: Omit<RowIssue, 'row'>[]) {
    super(issues.map((i) => i.message).join('; '));
  }
}

/** What the mapped cells of one row say, read by field kind; `sent` fields only (a mapped column). */
export interface RowValues {
  /** Field → text (trimmed, '' → null), enum value, email, list of names. */
  fields: Map<string, unknown>;
  /** Custom field key → raw value (lists already split). */
  customFields: Record<string, unknown> | undefined;
  /** Field or `customFields.<key>` → the column it came from. */
  columns: Map<string, string>;
  /** Money field → the currency its cell named (`€…` → EUR). */
  currencies: Map<string, string>;
}

/**
 * Everything one import run shares: the transaction, the options, the report being built, the records
 * touched, and the indexes rows are linked through (organizations, tags and users by name).
 */
export class ImportContext {
  readonly touched: TouchedRecord[] = [];
  private readonly touchedIds = new Set<string>();
  private organizations?: Map<string, Organization | string>;
  private tags?: Map<string, Tag>;
  private users?: Map<string, string[]>;
  definitions: CustomFieldDefinition[] = [];

  constructor(
    readonly em: EntityManager,
    readonly options: ImportOptions,
    readonly report: ImportReport,
    readonly customFields: CustomFieldsService,
    readonly customFieldEntity: CustomFieldEntityType | null,
  ) {
    this.writer = new BulkWriter(em);
  }

  /** Records created as rows of multi-row inserts, and what writes the run's rows (see BulkWriter). */
  readonly writer: BulkWriter;

  async load(): Promise<void> {
    if (this.customFieldEntity)
      this.definitions = await this.customFields.definitions(this.customFieldEntity);
  }

  field(name: string): ImportField | undefined {
    return IMPORT_FIELDS[this.options.entityType].find((f) => f.name === name);
  }

  /** The mapped cells of a row read by kind; every unreadable cell is reported at once. */
  read(headers: string[], cells: string[]): RowValues {
    const fields = new Map<string, unknown>();
    const columns = new Map<string, string>();
    const currencies = new Map<string, string>();
    let customFields: Record<string, unknown> | undefined;
    const issues: Omit<RowIssue, 'row'>[] = [];
    headers.forEach((header, i) => {
      const target = this.options.mapping[header] ?? IGNORE;
      if (target === IGNORE) return;
      const cell = (cells[i] ?? '').trim();
      if (target.startsWith(CUSTOM_FIELD_PREFIX)) {
        const key = target.slice(CUSTOM_FIELD_PREFIX.length);
        const definition = this.definitions.find((d) => d.key === key);
        customFields ??= {};
        customFields[key] = this.customFieldCell(definition, cell);
        columns.set(`customFields.${key}`, header);
        return;
      }
      const field = this.field(target)!;
      columns.set(field.name, header);
      const problem = this.readField(field, cell, fields, currencies);
      if (problem) issues.push({ column: header, field: field.name, message: problem });
    });
    if (issues.length > 0) throw new RowRejected(issues);
    return { fields, customFields, columns, currencies };
  }

  /**
   * A custom field cell made ready for the custom-fields rules: lists split as linked records are, dates read
   * with the day-first option, money with its symbols. What cannot be read is passed on, to be refused there.
   */
  private customFieldCell(definition: CustomFieldDefinition | undefined, cell: string): unknown {
    if (cell === '') return cell;
    switch (definition?.fieldType) {
      case CustomFieldType.MultiSelect:
        return splitList(cell);
      case CustomFieldType.Date:
        return parseDate(cell, { dayFirst: this.options.dayFirst }) ?? cell;
      case CustomFieldType.Number:
      case CustomFieldType.Currency:
        return parseMoney(cell)?.amount ?? cell;
      default:
        return cell;
    }
  }

  private readField(
    field: ImportField,
    cell: string,
    fields: Map<string, unknown>,
    currencies: Map<string, string>,
  ): string | undefined {
    switch (field.kind) {
      case 'email': {
        const email = normaliseEmail(cell);
        if (email !== '' && !isValidEmail(email)) return `"${cell}" is not a valid email address`;
        fields.set(field.name, email === '' ? null : email);
        return undefined;
      }
      case 'enum': {
        if (cell === '') return void fields.set(field.name, null);
        const value = parseEnum(cell, field.values ?? [], field.synonyms);
        if (value === undefined) return `"${cell}" must be one of: ${(field.values ?? []).join(', ')}`;
        fields.set(field.name, value);
        return undefined;
      }
      case 'tags': {
        const names = splitList(cell);
        const long = names.find((n) => n.length > TAG_NAME_MAX);
        if (long) return `tag "${long.slice(0, 40)}…" is longer than ${TAG_NAME_MAX} characters`;
        fields.set(field.name, names);
        return undefined;
      }
      default: {
        const read = readValueCell(field.kind, cell, { dayFirst: this.options.dayFirst });
        if (read && 'error' in read) return read.error;
        if (read?.currency) currencies.set(field.name, read.currency);
        fields.set(field.name, read ? read.value : cell === '' ? null : cell);
        return undefined;
      }
    }
  }

  /** class-validator on the API's DTO: the same rules, messages naming the column. */
  validateDto<T extends object>(
    dtoClass: new () => T,
    plain: Record<string, unknown>,
    values: RowValues,
  ): Promise<T> {
    const dto = plainToInstance(dtoClass, plain);
    // The DTOs have no async rules: validated in step, without a promise per rule and row.
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) return Promise.reject(this.rejection(validationDetails(errors), values));
    return Promise.resolve(dto);
  }

  /** Custom field values checked by the custom-fields module's rules (lenient: "$5M", "3/15/2024", "checked"). */
  checkCustomFields(
    values: RowValues,
    mode: 'create' | 'patch',
    current: Record<string, unknown>,
  ): Record<string, unknown> {
    return this.checkRule(values, () =>
      this.customFields.validateWith(this.definitions, this.customFieldEntity!, values.customFields, {
        mode,
        current,
        lenient: true,
      }),
    );
  }

  /** `rule` run as the API runs it; a 400 it raises (lostReason, fundedAmount, …) rejects the row, naming the column. */
  checkRule<T>(values: RowValues, rule: () => T): T {
    try {
      return rule();
    } catch (err) {
      throw this.asRejection(err, values);
    }
  }

  async checkRuleAsync<T>(values: RowValues, rule: () => Promise<T>): Promise<T> {
    try {
      return await rule();
    } catch (err) {
      throw this.asRejection(err, values);
    }
  }

  private asRejection(err: unknown, values: RowValues): unknown {
    return err instanceof ValidationError
      ? this.rejection((err.details as ErrorDetail[]) ?? [], values)
      : err;
  }

  private rejection(details: ErrorDetail[], values: RowValues): RowRejected {
    return new RowRejected(
      details.map((d) => {
        const field = d.field ?? null;
        const base = field?.replace(/Id$|Ids$/, '') ?? null;
        const column =
          (field && values.columns.get(field)) ??
          (base && values.columns.get(base)) ??
          (field === 'firstName' || field === 'lastName' ? values.columns.get('name') : undefined) ??
          null;
        return { column, field, message: d.message };
      }),
    );
  }

  warn(row: number, column: string | null, field: string | null, message: string): void {
    this.report.warnings.push({ row, column, field, message });
  }

  /** Remembers a record for the batch; an update keeps the values from before its first change. */
  touch(
    row: number,
    entityType: string,
    entity: { id: string; version?: number },
    action: ImportRecordAction,
    previous: Record<string, unknown> | null = null,
  ): void {
    if (this.touchedIds.has(entity.id)) return;
    this.touchedIds.add(entity.id);
    // A created record leaves at version 1; holding the entity itself would keep every row of a big file in memory.
    const held = action === ImportRecordAction.Created ? { id: entity.id, version: 1 } : entity;
    this.touched.push({ row, entityType, entity: held, action, previous });
  }

  wasTouched(id: string): boolean {
    return this.touchedIds.has(id);
  }

  /**
   * Lets go of the entities written so far, after a flush: MikroORM compares every managed entity on each
   * flush, so a run that kept 50k contacts would slow down row by row (and hold them all in memory). Linked
   * organizations are kept by id; the few tags are merged back so their names still show in the audit log.
   */
  release(): void {
    if (this.organizations) {
      for (const [key, org] of this.organizations)
        if (typeof org !== 'string') this.organizations.set(key, org.id);
    }
    this.em.clear();
    if (this.tags) for (const tag of this.tags.values()) this.em.merge(tag);
  }

  // ---- Links by name ----

  private async organizationIndex(): Promise<Map<string, Organization | string>> {
    if (!this.organizations) {
      const rows = await this.em.execute<{ id: string; name: string }[]>(
        'select id, name from organizations where deleted_at is null order by created_at, id',
      );
      this.organizations = new Map();
      for (const r of rows)
        if (!this.organizations.has(nameKey(r.name))) this.organizations.set(nameKey(r.name), r.id);
    }
    return this.organizations;
  }

  /** A live organization by name (case, spacing, punctuation ignored), or undefined. */
  async findOrganization(name: string): Promise<Organization | undefined> {
    const index = await this.organizationIndex();
    const key = nameKey(name);
    const found = index.get(key);
    if (typeof found !== 'string') return found;
    // Held until the next release: the rows after this one naming it link the same reference.
    const reference = this.em.getReference(Organization, found);
    index.set(key, reference);
    return reference;
  }

  /** Remembers an organization the run created (an organization import's own rows, or a contact's link). */
  async addOrganization(org: Organization): Promise<void> {
    const index = await this.organizationIndex();
    if (!index.has(nameKey(org.name))) index.set(nameKey(org.name), org);
  }

  /**
   * The organization a contact row names: found, or created. Several names in one cell (a linked-record
   * field): the first links, the others are reported. A cell that is one known name with a comma in it
   * ("Pacific Capital, LLC") is that name.
   */
  async linkOrganization(row: number, cell: string, column: string): Promise<Organization | null> {
    const whole = await this.findOrganization(cell);
    if (whole) return whole;
    const names = splitList(cell);
    if (names.length === 0) return null;
    if (names.length > 1) {
      this.warn(
        row,
        column,
        'organization',
        `several organizations named; linked "${names[0]}", not: ${names.slice(1).join(', ')}`,
      );
    }
    const name = names[0];
    if (name.length > ORGANIZATION_NAME_MAX) {
      throw new RowRejected([
        {
          column,
          field: 'organization',
          message: `"${name.slice(0, 40)}…" is longer than ${ORGANIZATION_NAME_MAX} characters`,
        },
      ]);
    }
    const existing = await this.findOrganization(name);
    if (existing) return existing;
    const org = this.em.create(Organization, { name, type: OrganizationType.Other });
    await this.addOrganization(org);
    this.report.linkedCreated.organizations += 1;
    this.touch(row, 'organization', org, ImportRecordAction.Created);
    return org;
  }

  /** Tags by name (ignoring case), created when missing. */
  async linkTags(row: number, names: string[]): Promise<Tag[]> {
    if (!this.tags) {
      const all = await this.em.find(Tag, {});
      this.tags = new Map(all.map((t) => [t.name.toLowerCase(), t]));
    }
    return names.map((name) => {
      let tag = this.tags!.get(name.toLowerCase());
      if (!tag) {
        tag = this.em.create(Tag, { name });
        this.tags!.set(name.toLowerCase(), tag);
        this.report.linkedCreated.tags += 1;
        this.touch(row, 'tag', tag, ImportRecordAction.Created);
      }
      return tag;
    });
  }

  /** An active user by username, email or full name; unknown or ambiguous rejects the row. */
  async linkUser(cell: string, column: string, field: string): Promise<User> {
    if (!this.users) {
      const users = await this.em.find(User, { isActive: true });
      this.users = new Map();
      for (const u of users) {
        for (const key of new Set([
          `u:${u.username.toLowerCase()}`,
          `u:${u.email.toLowerCase()}`,
          `n:${nameKey(u.fullName)}`,
        ])) {
          this.users.set(key, [...(this.users.get(key) ?? []), u.id]);
        }
      }
    }
    const ids = this.users.get(`u:${cell.toLowerCase()}`) ?? this.users.get(`n:${nameKey(cell)}`) ?? [];
    if (ids.length !== 1) {
      throw new RowRejected([
        {
          column,
          field,
          message: ids.length === 0 ? `no active user "${cell}"` : `several users are named "${cell}"`,
        },
      ]);
    }
    return this.em.getReference(User, ids[0]);
  }
}
