import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, ref as toRef } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { assertMayIncludeDeleted } from '../../common/auth/include-deleted.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { orderBy } from '../../common/dto/sort.js';
import { assignFields } from '../../common/entities/fields.js';
import { relink } from '../../common/entities/references.js';
import { NotFoundError } from '../../common/errors/index.js';
import { Communication } from './communication.entity.js';
import { CommunicationsRepository } from './communications.repository.js';
import {
  type CommunicationFiltersQueryDto,
  type CommunicationFields,
  CommunicationResponseDto,
  type CreateCommunicationDto,
  type ListCommunicationsQueryDto,
  type UpdateCommunicationDto,
} from './dto/communication.dto.js';
import {
  communicationLinks,
  type ContactLike,
  type Links,
  liveContact,
  liveContactSql,
  liveOpportunity,
  liveOpportunitySql,
  noLinkError,
  userRefSql,
} from './linked-records.js';
import { type AuditedInsert, insertAudited } from '../audit/audited-insert.js';
import type { RefDto, UserRefDto } from '../../common/dto/refs.dto.js';

const SORT_COLUMNS: Record<string, string[]> = {
  communicationDate: ['communicationDate'],
  createdAt: ['createdAt'],
  type: ['type', 'communicationDate'],
};

/** Fields a PUT replaces (absent ones are cleared to these) and a PATCH may set; null clears. */
const OPTIONAL_FIELDS = {
  subject: null,
  body: null,
  durationMinutes: null,
  outcome: null,
  nextAction: null,
  nextActionDate: null,
  attendees: [],
};

@Injectable()
export class CommunicationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly communications: CommunicationsRepository,
  ) {}

  async list(
    query: ListCommunicationsQueryDto,
    caller: AuthUser,
  ): Promise<ListResponse<CommunicationResponseDto>> {
    assertMayIncludeDeleted(caller, query.includeDeleted);
    return this.page(
      () => this.listFilter(query),
      query,
      orderBy(query.sort ?? 'communicationDate', query.order ?? 'desc', SORT_COLUMNS),
    );
  }

  /** One contact's communications, newest first; 404 for an unknown contact (or a deleted one, unless asked). */
  async forContact(
    contactId: string,
    query: CommunicationFiltersQueryDto,
    caller: AuthUser,
  ): Promise<ListResponse<CommunicationResponseDto>> {
    assertMayIncludeDeleted(caller, query.includeDeleted);
    if (!(await this.communications.contactExists(contactId, query.includeDeleted))) {
      throw new NotFoundError('Contact', contactId);
    }
    return this.page(
      () => this.communications.contactFilter(contactId, query),
      query,
      orderBy('communicationDate', 'desc', SORT_COLUMNS),
    );
  }

  async get(id: string, caller: AuthUser, includeDeleted = false): Promise<CommunicationResponseDto> {
    assertMayIncludeDeleted(caller, includeDeleted);
    return CommunicationResponseDto.from(await this.communications.find(id, includeDeleted));
  }

  /**
   * One statement: the contact and opportunity checked live, the row and its audit row inserted, the names the
   * answer shows read (insertAudited). Only an opportunity sent alone costs a query first: its contact is inferred.
   */
  async create(dto: CreateCommunicationDto, caller: AuthUser): Promise<CommunicationResponseDto> {
    const { contactId, opportunityId } = await this.newLinks(dto);
    const values: Record<string, unknown> = {
      type: dto.type,
      contact: contactId,
      opportunity: opportunityId,
      communicationDate: dto.communicationDate ? new Date(dto.communicationDate) : new Date(),
      createdBy: caller.id,
    };
    assignFields(values, dto, OPTIONAL_FIELDS, true);
    const refs: AuditedInsert<Communication>['refs'] = {
      createdBy: userRefSql(this.em, caller.id),
    };
    if (contactId) refs.contact = liveContactSql(this.em, contactId);
    if (opportunityId) refs.opportunity = liveOpportunitySql(this.em, opportunityId);
    const written = await insertAudited(this.em, {
      entity: Communication,
      auditType: 'communication',
      values,
      refs,
    });
    return CommunicationResponseDto.from({
      ...(written.record as CommunicationFields),
      contact: (written.refs.contact ?? null) as ContactLike | null,
      opportunity: (written.refs.opportunity ?? null) as RefDto | null,
      createdBy: (written.refs.createdBy ?? null) as UserRefDto | null,
    });
  }

  async replace(id: string, dto: CreateCommunicationDto): Promise<CommunicationResponseDto> {
    const communication = await this.communications.find(id);
    const links = await this.links(communication, dto, true);
    communication.type = dto.type;
    this.setLinks(communication, links);
    applyCommunicationFields(communication, dto, true);
    await this.em.flush();
    return CommunicationResponseDto.from(await this.communications.find(id, true));
  }

  async update(id: string, dto: UpdateCommunicationDto): Promise<CommunicationResponseDto> {
    const communication = await this.communications.find(id);
    const links = await this.links(communication, dto, false);
    if (dto.type !== undefined) communication.type = dto.type;
    this.setLinks(communication, links);
    applyCommunicationFields(communication, dto, false);
    await this.em.flush();
    return CommunicationResponseDto.from(await this.communications.find(id, true));
  }

  /** Communications are not soft-deleted: this removes the row. */
  async remove(id: string): Promise<void> {
    const communication = await this.communications.find(id, true);
    this.em.remove(communication);
    await this.em.flush();
  }

  /** The filters of GET /communications (the export takes the same). */
  listFilter(query: Omit<ListCommunicationsQueryDto, 'limit' | 'offset'>): FilterQuery<Communication> {
    return this.communications.listFilter(query);
  }

  private async page(
    where: () => FilterQuery<Communication>,
    query: CommunicationFiltersQueryDto,
    order: ReturnType<typeof orderBy>,
  ): Promise<ListResponse<CommunicationResponseDto>> {
    const { rows, total } = await this.communications.page(where, query, order);
    return listResponse(rows.map(CommunicationResponseDto.from), total, query);
  }

  /**
   * The contact and opportunity after applying `dto` to `current`'s (ids sent are checked live; see relink).
   * When an opportunity is given without a contact, the opportunity's live contact becomes the contact.
   */
  private async links(
    current: Communication | null,
    dto: UpdateCommunicationDto,
    replaceAll: boolean,
  ): Promise<Links> {
    const [contact, opportunity] = await Promise.all([
      relink(current?.contact, dto.contactId, replaceAll, (id) => liveContact(this.em, id)),
      relink(current?.opportunity, dto.opportunityId, replaceAll, (id) => liveOpportunity(this.em, id)),
    ]);
    return communicationLinks(
      this.em,
      { contact: contact?.getEntity() ?? null, opportunity: opportunity?.getEntity() ?? null },
      !dto.contactId && !!dto.opportunityId,
    );
  }

  /**
   * The ids a new communication links to: those sent (insertAudited checks them), or for an opportunity sent
   * alone, that opportunity (checked now) and its live contact, if any.
   */
  private async newLinks(
    dto: CreateCommunicationDto,
  ): Promise<{ contactId: string | null; opportunityId: string | null }> {
    const opportunityId = dto.opportunityId?.toLowerCase() ?? null;
    if (dto.contactId) return { contactId: dto.contactId.toLowerCase(), opportunityId };
    if (!opportunityId) throw noLinkError();
    const links = await this.links(null, dto, true);
    return { contactId: links.contact?.id ?? null, opportunityId };
  }

  private setLinks(communication: Communication, links: Links): void {
    communication.contact = links.contact ? toRef(links.contact) : null;
    communication.opportunity = links.opportunity ? toRef(links.opportunity) : null;
  }
}

/** Optional fields: on create/replace every field is set (absent = cleared), on patch only those sent. */
export function applyCommunicationFields(
  c: Communication,
  dto: UpdateCommunicationDto,
  replaceAll: boolean,
): void {
  if (dto.communicationDate !== undefined) c.communicationDate = new Date(dto.communicationDate);
  assignFields(c, dto, OPTIONAL_FIELDS, replaceAll);
}
