import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { assertMayIncludeDeleted } from '../../common/auth/include-deleted.js';
import { AuditService } from '../audit/audit.service.js';
import { CommunicationsRepository } from '../communications/communications.repository.js';
import type { ListCommunicationsQueryDto } from '../communications/dto/communication.dto.js';
import { CommunicationResponseDto } from '../communications/dto/communication.dto.js';
import { ContactsRepository } from '../contacts/contacts.repository.js';
import type { ListContactsQueryDto } from '../contacts/dto/contact-request.dto.js';
import { ContactResponseDto } from '../contacts/dto/contact-response.dto.js';
import { CustomFieldEntityType } from '../custom-fields/custom-field-definition.entity.js';
import {
  type CustomFieldFilter,
  CustomFieldsService,
  type SqlCondition,
} from '../custom-fields/custom-fields.service.js';
import type { ListLpProfilesQueryDto } from '../lp-profiles/dto/lp-profile.dto.js';
import { LpProfileResponseDto } from '../lp-profiles/dto/lp-profile.dto.js';
import { LpProfilesRepository } from '../lp-profiles/lp-profiles.repository.js';
import type { ListOpportunitiesQueryDto } from '../opportunities/dto/opportunity.dto.js';
import { OpportunityResponseDto } from '../opportunities/dto/opportunity-response.dto.js';
import { OpportunitiesRepository } from '../opportunities/opportunities.repository.js';
import type { ListOrganizationsQueryDto } from '../organizations/dto/organization.dto.js';
import { OrganizationResponseDto } from '../organizations/dto/organization.dto.js';
import { OrganizationsRepository } from '../organizations/organizations.repository.js';
import type { ListTasksQueryDto } from '../tasks/dto/task.dto.js';
import { TaskResponseDto } from '../tasks/dto/task.dto.js';
import { TasksRepository } from '../tasks/tasks.repository.js';
import {
  type ColumnSpec,
  COMMUNICATION_COLUMNS,
  CONTACT_COLUMNS,
  LP_PROFILE_COLUMNS,
  OPPORTUNITY_COLUMNS,
  ORGANIZATION_COLUMNS,
  TASK_COLUMNS,
} from './export-columns.js';
import {
  exportColumns,
  exportFile,
  type ExportFile,
  type ExportFormat,
  sqlBatches,
} from './export-stream.js';

export type { ExportFile, ExportFormat } from './export-stream.js';

/** Rows read per query: memory stays flat whatever the table's size. */
const BATCH = 1000;

/**
 * Streams a whole list — with the list's own filters (its where-builder, not a second one) — as CSV or JSON,
 * read in keyset batches by id (see export-stream.ts), related names and custom fields included. JSON items
 * are the list's response DTOs. Each export is audited.
 */
@Injectable()
export class ExportService {
  /** Rows read per query (tests lower it to cross batch boundaries with a few rows). */
  batchSize = BATCH;

  constructor(
    private readonly em: EntityManager,
    private readonly contactRows: ContactsRepository,
    private readonly organizationRows: OrganizationsRepository,
    private readonly communicationRows: CommunicationsRepository,
    private readonly opportunityRows: OpportunitiesRepository,
    private readonly lpProfileRows: LpProfilesRepository,
    private readonly taskRows: TasksRepository,
    private readonly customFields: CustomFieldsService,
    private readonly audit: AuditService,
  ) {}

  async contacts(query: ListContactsQueryDto, format: ExportFormat, caller: AuthUser): Promise<ExportFile> {
    const type = CustomFieldEntityType.Contact;
    const rows = await this.sqlRows(
      { audit: 'contact', type, id: 'id' },
      { query, format, caller },
      (extra) => ({ rows: this.contactRows.where(query, extra) }),
      (ids) => this.contactRows.rows(ids),
    );
    return this.file('contacts', format, rows, CONTACT_COLUMNS, ContactResponseDto.from, type);
  }

  async organizations(
    query: ListOrganizationsQueryDto,
    format: ExportFormat,
    caller: AuthUser,
  ): Promise<ExportFile> {
    const type = CustomFieldEntityType.Organization;
    const rows = await this.sqlRows(
      { audit: 'organization', type, id: 'id' },
      { query, format, caller },
      (extra) => ({ rows: this.organizationRows.where(query, extra) }),
      (ids) => this.organizationRows.rows(ids),
    );
    return this.file('organizations', format, rows, ORGANIZATION_COLUMNS, OrganizationResponseDto.from, type);
  }

  async communications(
    query: ListCommunicationsQueryDto,
    format: ExportFormat,
    caller: AuthUser,
  ): Promise<ExportFile> {
    assertMayIncludeDeleted(caller, query.includeDeleted);
    const matching = this.communicationRows.where(query);
    await this.audited('communication', format, query);
    const rows = sqlBatches(this.em, { rows: matching, id: 'm.id' }, this.batchSize, (ids) =>
      this.communicationRows.rows(ids),
    );
    return this.file('communications', format, rows, COMMUNICATION_COLUMNS, CommunicationResponseDto.from);
  }

  async opportunities(
    query: ListOpportunitiesQueryDto,
    format: ExportFormat,
    caller: AuthUser,
  ): Promise<ExportFile> {
    const type = CustomFieldEntityType.Opportunity;
    const rows = await this.sqlRows(
      { audit: 'opportunity', type, alias: 'o', id: 'o.id' },
      { query, format, caller },
      (extra) => ({ rows: this.opportunityRows.where(query, extra) }),
      (ids) => this.opportunityRows.views(ids),
    );
    const now = new Date();
    return this.file(
      'opportunities',
      format,
      rows,
      OPPORTUNITY_COLUMNS,
      (o) => OpportunityResponseDto.from(o, now),
      type,
    );
  }

  async lpProfiles(query: ListLpProfilesQueryDto, format: ExportFormat): Promise<ExportFile> {
    const type = CustomFieldEntityType.LpProfile;
    const matching = this.lpProfileRows.where(
      query,
      await this.customFields.sqlConditions(type, query.cf, 'lp'),
    );
    await this.audited('lp_profile', format, query);
    const rows = sqlBatches(this.em, { rows: matching, id: 'lp.id' }, this.batchSize, (ids) =>
      this.lpProfileRows.rows(ids),
    );
    return this.file('lp-profiles', format, rows, LP_PROFILE_COLUMNS, LpProfileResponseDto.from, type);
  }

  async tasks(query: ListTasksQueryDto, format: ExportFormat, caller: AuthUser): Promise<ExportFile> {
    const matching = this.taskRows.where(query, caller.id);
    await this.audited('task', format, query);
    const rows = sqlBatches(this.em, { rows: matching, id: 't.id' }, this.batchSize, (ids) =>
      this.taskRows.rows(ids),
    );
    return this.file('tasks', format, rows, TASK_COLUMNS, TaskResponseDto.from);
  }

  /**
   * The batches of a list read by SQL: deleted rows only for a caller who may see them, the list's own
   * where-builder with its custom field filter (on the table `alias` where its query names one), the export
   * audited, then the rows read by `read` in batches of the ids `list.id` names.
   */
  private async sqlRows<T>(
    list: { audit: string; type: CustomFieldEntityType; alias?: string; id: string },
    request: {
      query: { includeDeleted?: boolean; cf?: CustomFieldFilter };
      format: ExportFormat;
      caller: AuthUser;
    },
    // In an object: a query builder is a thenable, which an await would run.
    where: (extra: SqlCondition[]) => { rows: Knex.QueryBuilder },
    read: (ids: string[]) => Promise<T[]>,
  ): Promise<AsyncGenerator<T[]>> {
    const { query, format, caller } = request;
    assertMayIncludeDeleted(caller, query.includeDeleted);
    const conditions = await this.customFields.sqlConditions(list.type, query.cf, list.alias);
    const { rows: matching } = where(conditions);
    await this.audited(list.audit, format, query);
    return sqlBatches(this.em, { rows: matching, id: list.id }, this.batchSize, read);
  }

  private audited(entityType: string, format: ExportFormat, query: object): Promise<void> {
    const { limit: _l, offset: _o, ...filters } = query as Record<string, unknown>;
    return this.audit.record({ action: 'export', entityType, meta: { format, filters } });
  }

  /** The file of `rows`: CSV cells by the entity's column spec, its custom fields included; JSON as `json`. */
  private async file<T>(
    name: string,
    format: ExportFormat,
    rows: AsyncGenerator<T[]>,
    spec: ColumnSpec<T>,
    json: (row: T) => unknown,
    customFieldsOf?: CustomFieldEntityType,
  ): Promise<ExportFile> {
    const definitions = customFieldsOf ? await this.customFields.definitions(customFieldsOf) : [];
    return exportFile(name, format, exportColumns(spec.fields, definitions), rows, {
      csv: (row) => spec.cells(row, definitions),
      json,
    });
  }
}
