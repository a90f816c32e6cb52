import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, raw } from '@mikro-orm/postgresql';

import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';
import { listOrder } from '../../common/dto/sort.js';
import { referenced, relink } from '../../common/entities/references.js';
import { assertVersion } from '../../common/entities/versioning.js';
import { NotFoundError } from '../../common/errors/index.js';
import { escapeLike } from '../../common/utils/sql.js';
import { findIdOf } from '../../common/utils/find-id.js';
import { liveContact } from '../communications/linked-records.js';
import { type Contact, CONTACT_SEARCH_TEXT } from '../contacts/contact.entity.js';
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
import { CustomFieldEntityType } from '../custom-fields/custom-field-definition.entity.js';
import { CustomFieldsService } from '../custom-fields/custom-fields.service.js';

/** What a response needs loaded (the export reads with it too). */
export const LP_PROFILE_POPULATE = ['contact.organization', 'fund'] as const;
const POPULATE = LP_PROFILE_POPULATE;

/**
 * `search=`: the contact's name or email (the contacts trigram expression) or the contact's organization name
 * (organizations trigram index, then contacts by organization).
 */
const SEARCH_SQL = (alias: string): string => `${alias}.contact_id in (
  select id from contacts where ${CONTACT_SEARCH_TEXT} like ?
  union all
  select id from contacts where organization_id in (select id from organizations where name ilike ?))`;

@Injectable()
export class LpProfilesService {
  constructor(
    private readonly em: EntityManager,
    private readonly customFields: CustomFieldsService,
  ) {}

  async list(query: ListLpProfilesQueryDto): Promise<ListResponse<LpProfileResponseDto>> {
    const [rows, total] = await findAndCountTotal(this.em, LpProfile, () => this.listFilter(query), query, {
      populate: POPULATE,
      // Without `sort`: largest commitments first.
      orderBy: listOrder(query.sort, query.order, {
        sort: 'commitmentAmount',
        order: 'desc',
      }),
    });
    return listResponse(rows.map(LpProfileResponseDto.from), total, query);
  }

  /**
   * The list's filters (the export takes the same). Built anew for each query: MikroORM's raw() fragments in
   * it can be used once only.
   */
  async listFilter(query: Omit<ListLpProfilesQueryDto, 'limit' | 'offset'>): Promise<FilterQuery<LpProfile>> {
    const where: FilterQuery<LpProfile> = {};
    if (query.fundId) where.fund = query.fundId;
    if (query.contactId) where.contact = query.contactId;
    if (query.search) {
      const lower = `%${escapeLike(query.search.toLowerCase())}%`;
      const pattern = `%${escapeLike(query.search)}%`;
      Object.assign(where, { [raw(SEARCH_SQL, [lower, pattern])]: [] });
    }
    const custom = await this.customFields.filter<LpProfile>(CustomFieldEntityType.LpProfile, query.cf);
    if (custom.length > 0) where.$and = custom;
    return where;
  }

  async get(id: string): Promise<LpProfileResponseDto> {
    return LpProfileResponseDto.from(await this.find(id));
  }

  /** One profile per contact per fund; the contact becomes an investor in the same transaction. */
  async create(dto: CreateLpProfileDto): Promise<LpProfileResponseDto> {
    return this.em.transactional(async (em) => {
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
      await em.populate(lp, POPULATE);
      return LpProfileResponseDto.from(lp);
    });
  }

  async replace(id: string, dto: ReplaceLpProfileDto, version?: number): Promise<LpProfileResponseDto> {
    return this.em.transactional(async (em) => {
      const lp = await this.find(id, em);
      assertVersion('LP profile', lp.version, version);
      await this.move(em, lp, dto);
      lp.customFields = await this.customFields.validate(CustomFieldEntityType.LpProfile, dto.customFields, {
        mode: 'replace',
        current: lp.customFields,
      });
      applyLpProfileFields(lp, dto, true);
      await em.flush();
      await em.populate(lp, POPULATE);
      return LpProfileResponseDto.from(lp);
    });
  }

  async update(id: string, dto: UpdateLpProfileDto, version?: number): Promise<LpProfileResponseDto> {
    return this.em.transactional(async (em) => {
      const lp = await this.find(id, em);
      assertVersion('LP profile', lp.version, version);
      await this.move(em, lp, dto);
      lp.customFields = await this.customFields.validate(CustomFieldEntityType.LpProfile, dto.customFields, {
        mode: 'patch',
        current: lp.customFields,
      });
      applyLpProfileFields(lp, dto, false);
      await em.flush();
      await em.populate(lp, POPULATE);
      return LpProfileResponseDto.from(lp);
    });
  }

  /** LP profiles are records of fact, not soft-deleted: this removes the row (the contact stays an investor). */
  async remove(id: string): Promise<void> {
    const lp = await this.find(id);
    this.em.remove(lp);
    await this.em.flush();
  }

  async find(id: string, em: EntityManager = this.em): Promise<LpProfile> {
    const lp = await em.findOne(LpProfile, id, { populate: POPULATE });
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
