import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';

import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { referenced, relink } from '../../common/entities/references.js';
import { assertVersion } from '../../common/entities/versioning.js';
import { NotFoundError } from '../../common/errors/index.js';
import { findIdOf } from '../../common/utils/find-id.js';
import { liveContact } from '../communications/linked-records.js';
import type { Contact } from '../contacts/contact.entity.js';
import { Fund } from '../funds/fund.entity.js';
import {
  type CreateLpProfileDto,
  type ListLpProfilesQueryDto,
  LpProfileResponseDto,
  type ReplaceLpProfileDto,
  type UpdateLpProfileDto,
} from './dto/lp-profile.dto.js';
import { LpProfile } from './lp-profile.entity.js';
import { applyLpProfileFields, makeInvestor } from './lp-profile-rules.js';
import { LpProfileExistsError } from './lp-profiles.errors.js';
import { LpProfilesRepository } from './lp-profiles.repository.js';
import { CustomFieldEntityType } from '../custom-fields/custom-field-definition.entity.js';
import { CustomFieldsService } from '../custom-fields/custom-fields.service.js';

@Injectable()
export class LpProfilesService {
  constructor(
    private readonly em: EntityManager,
    private readonly lpProfiles: LpProfilesRepository,
    private readonly customFields: CustomFieldsService,
  ) {}

  async list(query: ListLpProfilesQueryDto): Promise<ListResponse<LpProfileResponseDto>> {
    const custom = await this.customFields.sqlConditions(CustomFieldEntityType.LpProfile, query.cf, 'lp');
    const { ids, total } = await this.lpProfiles.page(query, custom);
    const rows = await this.lpProfiles.rows(ids);
    return listResponse(rows.map(LpProfileResponseDto.from), total, query);
  }

  /** One LP profile as stored now (the answer of writes too). */
  async get(id: string): Promise<LpProfileResponseDto> {
    const row = await this.lpProfiles.row(id);
    if (!row) throw new NotFoundError('LP profile', id);
    return LpProfileResponseDto.from(row);
  }

  /** One profile per contact per fund; the contact becomes an investor in the same transaction. */
  async create(dto: CreateLpProfileDto): Promise<LpProfileResponseDto> {
    const id = await this.em.transactional(async (em) => {
      const contact = await this.investor(em, dto.contactId);
      const fund = await referenced(em, Fund, dto.fundId, 'fundId', 'fund');
      await this.assertFree(em, dto.contactId, dto.fundId);
      const lp = em.create(LpProfile, {
        contact,
        fund,
        currency: dto.currency ?? 'USD',
        customFields: await this.customFields.validate(CustomFieldEntityType.LpProfile, dto.customFields, {
          mode: 'create',
        }),
      });
      applyLpProfileFields(lp, dto, true);
      await em.flush();
      return lp.id;
    });
    return this.get(id);
  }

  replace(id: string, dto: ReplaceLpProfileDto, version?: number): Promise<LpProfileResponseDto> {
    return this.change(id, dto, version, 'replace');
  }

  update(id: string, dto: UpdateLpProfileDto, version?: number): Promise<LpProfileResponseDto> {
    return this.change(id, dto, version, 'patch');
  }

  /** LP profiles are records of fact, not soft-deleted: this removes the row (the contact stays an investor). */
  async remove(id: string): Promise<void> {
    const lp = await this.find(id);
    this.em.remove(lp);
    await this.em.flush();
  }

  /** A PUT (every field set, absent = cleared) or a PATCH (only those sent), version-checked. */
  private async change(
    id: string,
    dto: UpdateLpProfileDto,
    version: number | undefined,
    mode: 'replace' | 'patch',
  ): Promise<LpProfileResponseDto> {
    await this.em.transactional(async (em) => {
      const lp = await this.find(id, em);
      assertVersion('LP profile', lp.version, version);
      await this.move(em, lp, dto);
      lp.customFields = await this.customFields.validate(CustomFieldEntityType.LpProfile, dto.customFields, {
        mode,
        current: lp.customFields,
      });
      applyLpProfileFields(lp, dto, mode === 'replace');
      await em.flush();
    });
    return this.get(id);
  }

  async find(id: string, em: EntityManager = this.em): Promise<LpProfile> {
    const lp = await em.findOne(LpProfile, id);
    if (!lp) throw new NotFoundError('LP profile', id);
    return lp;
  }

  /**
   * Re-points a profile to another contact or fund, with the same checks as on create. Both are required:
   * one left out (a PATCH) is kept.
   */
  private async move(em: EntityManager, lp: LpProfile, dto: UpdateLpProfileDto): Promise<void> {
    const contact = await relink(lp.contact, dto.contactId, false, (id) => this.investor(em, id));
    const fund = await relink(lp.fund, dto.fundId, false, (id) => referenced(em, Fund, id, 'fundId', 'fund'));
    if (!contact || !fund || (contact === lp.contact && fund === lp.fund)) return;
    // Checked before the profile changes: a query on LP profiles flushes pending changes to them first.
    await this.assertFree(em, contact.id, fund.id, lp.id);
    Object.assign(lp, { contact, fund });
  }

  /** The live contact an LP profile is for, made an investor (an LP is one, whatever it was before). */
  private async investor(em: EntityManager, contactId: string): Promise<Contact> {
    const contact = await liveContact(em, contactId);
    makeInvestor(contact);
    return contact;
  }

  private async assertFree(
    em: EntityManager,
    contactId: string,
    fundId: string,
    exceptId?: string,
  ): Promise<void> {
    const where: FilterQuery<LpProfile> = { contact: contactId, fund: fundId };
    if (exceptId) where.id = { $ne: exceptId };
    const existing = await findIdOf(em, LpProfile, where);
    if (existing) throw new LpProfileExistsError(existing);
  }
}
