import { pipeline, Readable } from 'node:stream';

import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { assertMayIncludeDeleted } from '../../common/auth/include-deleted.js';
import { csvWriter } from '../../common/utils/csv.js';
import type { SqlWhere } from '../../common/utils/sql.js';
import { AuditService } from '../audit/audit.service.js';
import { Communication } from '../communications/communication.entity.js';
import { COMMUNICATION_POPULATE, CommunicationsService } from '../communications/communications.service.js';
import type { ListCommunicationsQueryDto } from '../communications/dto/communication.dto.js';
import { CommunicationResponseDto } from '../communications/dto/communication.dto.js';
import { ContactsRepository } from '../contacts/contacts.repository.js';
import type { ListContactsQueryDto } from '../contacts/dto/contact-request.dto.js';
import { ContactResponseDto } from '../contacts/dto/contact-response.dto.js';
import {
  type CustomFieldDefinition,
  CustomFieldEntityType,
  CustomFieldType,
} from '../custom-fields/custom-field-definition.entity.js';
import { CustomFieldsService } from '../custom-fields/custom-fields.service.js';
import type { ListOrganizationsQueryDto } from '../organizations/dto/organization.dto.js';
import { OrganizationResponseDto } from '../organizations/dto/organization.dto.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import { joinList } from './import-values.js';
import { ORGANIZATION_FIELDS } from './organization-importer.js';

export type ExportFormat = 'csv' | 'json';

/** Rows read per query: memory stays flat whatever the table's size. */
const BATCH = 1000;

/** Bookkeeping columns last: their presence also tells the import that the file is this app's export. */
const BOOKKEEPING = ['id', 'createdAt', 'updatedAt'].map((key) => ({ key }));

export interface ExportFile {
  fileName: string;
  contentType: string;
  stream: Readable;
}

type Cells = Record<string, unknown>;

/** A custom field value as a cell the import reads back to the same value. */
function customFieldCell(definition: CustomFieldDefinition, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (definition.fieldType === CustomFieldType.MultiSelect && Array.isArray(value))
    return joinList(value as string[]);
  if (definition.fieldType === CustomFieldType.Boolean) return value ? 'true' : 'false';
  return value;
}

const customFieldCells = (definitions: CustomFieldDefinition[], values: Record<string, unknown>): Cells =>
  Object.fromEntries(definitions.map((d) => [`cf.${d.key}`, customFieldCell(d, values[d.key])]));

/**
 * Streams a whole list — with the list's filters — as CSV or JSON: rows are read in keyset batches by id (never
 * the whole table in memory, never an OFFSET scan), related names and custom fields included. CSV goes through
 * the app's CSV writer in its reversible mode: formula-like text gets an apostrophe the import removes again.
 * Each export is audited.
 */
@Injectable()
export class ExportService {
  /** Rows read per query (tests lower it to cross batch boundaries with a few rows). */
  batchSize = BATCH;

  constructor(
    private readonly em: EntityManager,
    private readonly contactRows: ContactsRepository,
    private readonly organizationRows: OrganizationsRepository,
    private readonly communicationList: CommunicationsService,
    private readonly customFields: CustomFieldsService,
    private readonly audit: AuditService,
  ) {}

  async contacts(query: ListContactsQueryDto, format: ExportFormat, caller: AuthUser): Promise<ExportFile> {
    assertMayIncludeDeleted(caller, query.includeDeleted);
    const definitions = await this.customFields.definitions(CustomFieldEntityType.Contact);
    const where = await this.contactRows.where(
      query,
      await this.customFields.sqlConditions(CustomFieldEntityType.Contact, query.cf),
    );
    await this.audited('contact', format, query);
    const rows = this.batches(where, 'contacts', (ids) => this.contactRows.rows(ids));
    const columns = [
      'firstName',
      'lastName',
      'email',
      'phone',
      'mobile',
      'title',
      'organization',
      'contactType',
      'status',
      'source',
      'notes',
      'linkedinUrl',
      'preferredContact',
      'owner',
      'tags',
    ].map((key) => ({ key }));
    return this.file(
      'contacts',
      format,
      [...columns, ...definitions.map((d) => ({ key: `cf.${d.key}` })), ...BOOKKEEPING],
      rows,
      {
        csv: (r) => ({
          ...r,
          // A linked-record cell, as Airtable writes it: a name with a comma is quoted, so the import reads one name.
          organization: r.organizationName && joinList([r.organizationName]),
          owner: r.ownerUsername,
          tags: joinList(r.tags.map((t) => t.name)),
          ...customFieldCells(definitions, r.customFields),
          createdAt: new Date(r.createdAt),
          updatedAt: new Date(r.updatedAt),
        }),
        json: ContactResponseDto.from,
      },
    );
  }

  async organizations(
    query: ListOrganizationsQueryDto,
    format: ExportFormat,
    caller: AuthUser,
  ): Promise<ExportFile> {
    assertMayIncludeDeleted(caller, query.includeDeleted);
    const definitions = await this.customFields.definitions(CustomFieldEntityType.Organization);
    const where = this.organizationRows.where(
      query,
      await this.customFields.sqlConditions(CustomFieldEntityType.Organization, query.cf),
    );
    await this.audited('organization', format, query);
    const rows = this.batches(where, 'organizations', (ids) => this.organizationRows.rows(ids));
    const columns = [...ORGANIZATION_FIELDS, 'tags'].map((key) => ({ key }));
    return this.file(
      'organizations',
      format,
      [...columns, ...definitions.map((d) => ({ key: `cf.${d.key}` })), ...BOOKKEEPING],
      rows,
      {
        csv: (r) => ({
          ...r,
          tags: joinList(r.tags.map((t) => t.name)),
          ...customFieldCells(definitions, r.customFields),
          createdAt: new Date(r.createdAt),
          updatedAt: new Date(r.updatedAt),
        }),
        json: OrganizationResponseDto.fromRow,
      },
    );
  }

  async communications(
    query: ListCommunicationsQueryDto,
    format: ExportFormat,
    caller: AuthUser,
  ): Promise<ExportFile> {
    assertMayIncludeDeleted(caller, query.includeDeleted);
    // Built again for each batch: MikroORM's raw() fragments in the filter can be used once only.
    const filter = () => this.communicationList.listFilter(query);
    await this.audited('communication', format, query);
    const em = this.em;
    const size = this.batchSize;
    async function* rows(): AsyncGenerator<CommunicationResponseDto[]> {
      let after: string | undefined;
      for (;;) {
        // A fresh unit of work per batch: entities read before are let go.
        const batch = await em
          .fork()
          .find(Communication, after ? { $and: [filter(), { id: { $gt: after } }] } : filter(), {
            populate: COMMUNICATION_POPULATE,
            orderBy: { id: 'asc' },
            limit: size,
          });
        if (batch.length === 0) return;
        yield batch.map(CommunicationResponseDto.from);
        after = batch[batch.length - 1].id;
      }
    }
    const columns = [
      'type',
      'communicationDate',
      'contact',
      'opportunity',
      'subject',
      'body',
      'durationMinutes',
      'outcome',
      'nextAction',
      'nextActionDate',
      'attendees',
      'createdBy',
    ].map((key) => ({ key }));
    return this.file('communications', format, [...columns, ...BOOKKEEPING], rows(), {
      csv: (c) => ({
        ...c,
        contact: c.contact?.name ?? null,
        opportunity: c.opportunity?.name ?? null,
        createdBy: c.createdBy?.username ?? null,
        attendees: joinList(c.attendees),
      }),
      json: (c) => c,
    });
  }

  private audited(entityType: string, format: ExportFormat, query: object): Promise<void> {
    const { limit: _l, offset: _o, ...filters } = query as Record<string, unknown>;
    return this.audit.record({ action: 'export', entityType, meta: { format, filters } });
  }

  /** Rows of `table` matching `where`, by id order, BATCH at a time, read as `read` answers them. */
  private async *batches<T extends { id: string }>(
    where: SqlWhere,
    table: string,
    read: (ids: string[]) => Promise<T[]>,
  ): AsyncGenerator<T[]> {
    const clause = where.clause ? `${where.clause} and` : 'where';
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const ids = await this.em
        .getConnection()
        .execute<{ id: string }[]>(`select id from ${table} ${clause} id > ? order by id limit ?`, [
          ...where.params,
          after,
          this.batchSize,
        ]);
      if (ids.length === 0) return;
      yield await read(ids.map((r) => r.id));
      after = ids[ids.length - 1].id;
    }
  }

  private file<T>(
    name: string,
    format: ExportFormat,
    columns: { key: string }[],
    batches: AsyncGenerator<T[]>,
    as: { csv: (row: T) => Cells; json: (row: T) => unknown },
  ): ExportFile {
    const day = new Date().toISOString().slice(0, 10);
    if (format === 'json') {
      return {
        fileName: `${name}-${day}.json`,
        contentType: 'application/json; charset=utf-8',
        stream: Readable.from(jsonArray(batches, as.json)),
      };
    }
    const writer = csvWriter(columns, { reversible: true });
    const source = Readable.from(flatten(batches, as.csv));
    pipeline(source, writer, (err) => {
      if (err) writer.destroy(err);
    });
    return { fileName: `${name}-${day}.csv`, contentType: 'text/csv; charset=utf-8', stream: writer };
  }
}

async function* flatten<T>(batches: AsyncGenerator<T[]>, map: (row: T) => Cells): AsyncGenerator<Cells> {
  for await (const batch of batches) for (const row of batch) yield map(row);
}

async function* jsonArray<T>(batches: AsyncGenerator<T[]>, map: (row: T) => unknown): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const batch of batches) {
    const text = batch.map((row) => JSON.stringify(map(row))).join(',');
    if (text === '') continue;
    yield first ? text : `,${text}`;
    first = false;
  }
  yield ']\n';
}
