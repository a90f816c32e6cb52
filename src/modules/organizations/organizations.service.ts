import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { assertMayIncludeDeleted } from '../../common/auth/include-deleted.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { assignFields } from '../../common/entities/fields.js';
import { assertVersion } from '../../common/entities/versioning.js';
import { NotFoundError } from '../../common/errors/index.js';
import { readDetail } from '../../common/utils/record-detail.js';
import { rowAfterUpdate, sameTags, writtenWithoutTags } from '../../common/utils/record-rows.js';
import { insertAudited, updateAudited } from '../audit/audited-writes.js';
import { CustomFieldEntityType } from '../custom-fields/custom-field-definition.entity.js';
import { CustomFieldsService, type WriteMode } from '../custom-fields/custom-fields.service.js';
import { TagsService } from '../tags/tags.service.js';
import { findRecord, markDeleted, markRestored } from '../../database/crm-base.entity.js';
import {
  type CreateOrganizationDto,
  type ListOrganizationsQueryDto,
  ORGANIZATION_INCLUDES,
  OrganizationDetailDto,
  type OrganizationDetailQueryDto,
  OrganizationResponseDto,
  type ReplaceOrganizationDto,
  type UpdateOrganizationDto,
} from './dto/organization.dto.js';
import { Organization, OrganizationType } from './organization.entity.js';
import { type OrganizationRow, OrganizationsRepository } from './organizations.repository.js';

/** Fields a PUT replaces (absent ones are cleared to these) and a PATCH may set; null clears. */
export const ORGANIZATION_OPTIONAL_FIELDS = {
  type: OrganizationType.Other,
  industry: null,
  website: null,
  phone: null,
  email: null,
  address: null,
  city: null,
  state: null,
  country: null,
  description: null,
};

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly organizations: OrganizationsRepository,
    private readonly tags: TagsService,
    private readonly customFields: CustomFieldsService,
  ) {}

  async list(
    query: ListOrganizationsQueryDto,
    caller: AuthUser,
  ): Promise<ListResponse<OrganizationResponseDto>> {
    assertMayIncludeDeleted(caller, query.includeDeleted);
    const custom = await this.customFields.sqlConditions(CustomFieldEntityType.Organization, query.cf);
    const { ids, total } = await this.organizations.page(query, custom);
    const rows = await this.organizations.rows(ids);
    return listResponse(rows.map(OrganizationResponseDto.from), total, query);
  }

  /** One organization with its tags, custom fields, live contacts and opportunities, or those `include` lists. */
  async get(
    id: string,
    caller: AuthUser,
    query: OrganizationDetailQueryDto = {},
  ): Promise<OrganizationDetailDto> {
    const read = await readDetail(
      'Organization',
      id,
      caller,
      query,
      ORGANIZATION_INCLUDES,
      this.organizations,
    );
    return OrganizationDetailDto.from(read.detail, read.include);
  }

  /**
   * Without tags, one statement after the custom fields' rules are read: the organization and its audit row
   * inserted (insertAudited, as a contact is created). With tags, the unit of work writes the pivot rows and their
   * audit.
   */
  async create(dto: CreateOrganizationDto): Promise<OrganizationResponseDto> {
    if (dto.tagIds?.length) return this.createWithTags(dto);
    const values: Record<string, unknown> = { name: dto.name };
    assignFields(values, dto, ORGANIZATION_OPTIONAL_FIELDS, true);
    values.customFields = await this.customFields.validate(
      CustomFieldEntityType.Organization,
      dto.customFields,
      { mode: 'create' },
    );
    const { record } = await insertAudited(this.em, {
      entity: Organization,
      auditType: 'organization',
      values,
      refs: {},
    });
    return OrganizationResponseDto.from({
      ...(record as unknown as OrganizationRow),
      ...writtenWithoutTags(record),
    });
  }

  private async createWithTags(dto: CreateOrganizationDto): Promise<OrganizationResponseDto> {
    const org = this.em.create(Organization, { name: dto.name, type: dto.type ?? OrganizationType.Other });
    await this.apply(org, dto, 'create');
    await this.em.flush();
    return this.response(org.id);
  }

  replace(id: string, dto: ReplaceOrganizationDto, version?: number): Promise<OrganizationResponseDto> {
    return this.change(id, dto, version, 'replace');
  }

  update(id: string, dto: UpdateOrganizationDto, version?: number): Promise<OrganizationResponseDto> {
    return this.change(id, dto, version, 'patch');
  }

  /**
   * A PUT or PATCH of the organization at `version`. Unless its tags change, one statement after its row is read
   * (and, when custom fields are sent, their rules), as a contact is changed (updateAudited); new tags go through
   * the unit of work.
   */
  private async change(
    id: string,
    dto: UpdateOrganizationDto,
    version: number | undefined,
    mode: 'replace' | 'patch',
  ): Promise<OrganizationResponseDto> {
    const row = await this.organizations.row(id);
    if (!row) throw new NotFoundError('Organization', id);
    assertVersion('Organization', row.version, version);
    const replaceAll = mode === 'replace';
    const tagIds = replaceAll ? (dto.tagIds ?? []) : dto.tagIds;
    if (tagIds && !sameTags(tagIds, row.tags)) return this.changeWithTags(id, dto, version, mode);

    const {
      id: _id,
      tags: _tags,
      version: _version,
      createdAt: _c,
      updatedAt: _u,
      deletedAt: _d,
      ...before
    } = row;
    const after = { ...before };
    if (dto.name !== undefined) after.name = dto.name;
    assignFields(after, dto, ORGANIZATION_OPTIONAL_FIELDS, replaceAll);
    after.customFields = await this.customFields.validate(
      CustomFieldEntityType.Organization,
      dto.customFields,
      { mode, current: row.customFields },
    );
    const written = await updateAudited(this.em, {
      entity: Organization,
      name: 'Organization',
      auditType: 'organization',
      id: row.id,
      version: row.version,
      before,
      after,
      refs: {},
    });
    return OrganizationResponseDto.from(rowAfterUpdate(row, after, written));
  }

  /** change() through the unit of work, which writes the tags' pivot rows and their audit. */
  private async changeWithTags(
    id: string,
    dto: UpdateOrganizationDto,
    version: number | undefined,
    mode: 'replace' | 'patch',
  ): Promise<OrganizationResponseDto> {
    const org = await this.find(id);
    assertVersion('Organization', org.version, version);
    if (dto.name !== undefined) org.name = dto.name;
    await this.apply(org, dto, mode);
    await this.em.flush();
    return this.response(org.id);
  }

  async softDelete(id: string, caller: AuthUser): Promise<void> {
    markDeleted(this.em, await this.find(id), caller.id);
    await this.em.flush();
  }

  async restore(id: string): Promise<OrganizationResponseDto> {
    const org = await this.find(id, true);
    if (markRestored(org)) await this.em.flush();
    return this.response(org.id);
  }

  /** The response for one organization as stored now (deleted ones too: a restore answers them). */
  private async response(id: string): Promise<OrganizationResponseDto> {
    const row = await this.organizations.row(id, true);
    if (!row) throw new NotFoundError('Organization', id);
    return OrganizationResponseDto.from(row);
  }

  /** Live organization (or also a deleted one), with tags loaded; 404 otherwise. */
  async find(id: string, includeDeleted = false): Promise<Organization> {
    return findRecord(this.em, Organization, 'Organization', id, includeDeleted, { populate: ['tags'] });
  }

  /** Optional fields, tags and custom fields: on create/replace every field is set (absent = cleared), on patch only those sent. */
  private async apply(org: Organization, dto: UpdateOrganizationDto, mode: WriteMode): Promise<void> {
    const replaceAll = mode !== 'patch';
    assignFields(org, dto, ORGANIZATION_OPTIONAL_FIELDS, replaceAll);
    if (replaceAll || dto.tagIds !== undefined) org.tags.set(await this.tags.resolve(dto.tagIds ?? []));
    org.customFields = await this.customFields.validate(
      CustomFieldEntityType.Organization,
      dto.customFields,
      {
        mode,
        current: org.customFields,
      },
    );
  }
}
