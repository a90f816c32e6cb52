import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex, ref as toRef } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { assertMayIncludeDeleted } from '../../common/auth/include-deleted.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import type { SortOrder } from '../../common/dto/sort.js';
import { assignFields } from '../../common/entities/fields.js';
import { relink, relinkedId } from '../../common/entities/references.js';
import { NotFoundError } from '../../common/errors/index.js';
import { Communication } from './communication.entity.js';
import { type CommunicationRow, CommunicationsRepository } from './communications.repository.js';
import {
  type CommunicationFiltersQueryDto,
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
import {
  type AuditedInsert,
  type AuditedRecord,
  insertAudited,
  linkedAfter,
  newLinks,
  updateAudited,
} from '../audit/audited-writes.js';
import type { RefDto, UserRefDto } from '../../common/dto/refs.dto.js';

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
      this.communications.where(query),
      query,
      query.sort ?? 'communicationDate',
      query.order ?? 'desc',
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
    return this.page(this.communications.contactWhere(contactId, query), query, 'communicationDate', 'desc');
  }

  async get(id: string, caller: AuthUser, includeDeleted = false): Promise<CommunicationResponseDto> {
    assertMayIncludeDeleted(caller, includeDeleted);
    return CommunicationResponseDto.from(await this.communications.row(id, includeDeleted));
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
    return CommunicationResponseDto.from(writtenRow(written));
  }

  replace(id: string, dto: CreateCommunicationDto): Promise<CommunicationResponseDto> {
    return this.change(id, dto, true);
  }

  update(id: string, dto: UpdateCommunicationDto): Promise<CommunicationResponseDto> {
    return this.change(id, dto, false);
  }

  /**
   * A PUT (`replaceAll`) or PATCH: one statement after the row is read, as a contact is changed (updateAudited): the
   * contact and opportunity it newly links to checked live, the fields that differ set, the audit row written. Only
   * a change that leaves an opportunity sent without a contact, whose contact is inferred, goes through the unit
   * of work.
   */
  private async change(
    id: string,
    dto: UpdateCommunicationDto,
    replaceAll: boolean,
  ): Promise<CommunicationResponseDto> {
    const row = await this.communications.row(id);
    const contact = relinkedId(row.contactId, dto.contactId, replaceAll);
    const opportunity = relinkedId(row.opportunityId, dto.opportunityId, replaceAll);
    if (!contact && dto.opportunityId && !dto.contactId)
      return this.changeInferringContact(id, dto, replaceAll);
    if (!contact && !opportunity) throw noLinkError();

    const before = communicationProperties(row);
    const after = { ...before, contact, opportunity };
    if (dto.type !== undefined) after.type = dto.type;
    if (dto.communicationDate !== undefined) after.communicationDate = new Date(dto.communicationDate);
    assignFields(after, dto, OPTIONAL_FIELDS, replaceAll);
    const refs = newLinks(before, after, {
      contact: (ref) => liveContactSql(this.em, ref),
      opportunity: (ref) => liveOpportunitySql(this.em, ref),
    });
    const written = await updateAudited(this.em, {
      entity: Communication,
      name: 'Communication',
      auditType: 'communication',
      id: row.id,
      before,
      after,
      refs,
    });
    if (!written) return CommunicationResponseDto.from(row);
    const { contact: _contact, opportunity: _opportunity, communicationDate, ...fields } = after;
    const linkedContact = linkedAfter(written.refs, 'contact', contact, {
      id: row.contactId,
      firstName: row.contactFirstName,
      lastName: row.contactLastName,
    });
    const linkedOpportunity = linkedAfter(written.refs, 'opportunity', opportunity, {
      id: row.opportunityId,
      name: row.opportunityName,
    });
    return CommunicationResponseDto.from({
      ...row,
      ...fields,
      communicationDate: communicationDate.toISOString(),
      contactId: contact,
      contactFirstName: (linkedContact?.firstName as string | undefined) ?? null,
      contactLastName: (linkedContact?.lastName as string | undefined) ?? null,
      opportunityId: opportunity,
      opportunityName: (linkedOpportunity?.name as string | undefined) ?? null,
      updatedAt: written.updatedAt.toISOString(),
    });
  }

  /** change() through the unit of work, which infers the contact of an opportunity sent alone. */
  private async changeInferringContact(
    id: string,
    dto: UpdateCommunicationDto,
    replaceAll: boolean,
  ): Promise<CommunicationResponseDto> {
    const communication = await this.communications.find(id);
    const links = await this.links(communication, dto, replaceAll);
    if (dto.type !== undefined) communication.type = dto.type;
    this.setLinks(communication, links);
    applyCommunicationFields(communication, dto, replaceAll);
    await this.em.flush();
    return CommunicationResponseDto.from(await this.communications.row(id, true));
  }

  /** Communications are not soft-deleted: this removes the row. */
  async remove(id: string): Promise<void> {
    const communication = await this.communications.find(id, true);
    this.em.remove(communication);
    await this.em.flush();
  }

  private async page(
    rows: Knex.QueryBuilder,
    query: CommunicationFiltersQueryDto,
    sort: NonNullable<ListCommunicationsQueryDto['sort']>,
    order: SortOrder,
  ): Promise<ListResponse<CommunicationResponseDto>> {
    const { ids, total } = await this.communications.page(rows, query, sort, order);
    const found = await this.communications.rows(ids);
    return listResponse(found.map(CommunicationResponseDto.from), total, query);
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

/**
 * The row of a communication insertAudited wrote: its values as written, the names its refs read in the same
 * statement (contact `{ id, firstName, lastName }`, opportunity `{ id, name }`, author `{ id, username, fullName }`).
 */
function writtenRow({ record, refs }: AuditedRecord): CommunicationRow {
  const contact = refs.contact as ContactLike | null | undefined;
  const opportunity = refs.opportunity as RefDto | null | undefined;
  const author = refs.createdBy as UserRefDto | null | undefined;
  const r = record as AuditedRecord['record'] & CommunicationFieldsWritten;
  return {
    id: r.id,
    type: r.type,
    subject: r.subject ?? null,
    body: r.body ?? null,
    communicationDate: r.communicationDate.toISOString(),
    durationMinutes: r.durationMinutes ?? null,
    outcome: r.outcome ?? null,
    nextAction: r.nextAction ?? null,
    nextActionDate: r.nextActionDate ?? null,
    attendees: r.attendees ?? [],
    contactId: contact?.id ?? null,
    contactFirstName: contact?.firstName ?? null,
    contactLastName: contact?.lastName ?? null,
    opportunityId: opportunity?.id ?? null,
    opportunityName: opportunity?.name ?? null,
    userId: author?.id ?? null,
    username: author?.username ?? null,
    userFullName: author?.fullName ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** The properties of a communication a write may change, as its row has them (references as ids). */
function communicationProperties(row: CommunicationRow) {
  return {
    type: row.type,
    subject: row.subject,
    body: row.body,
    communicationDate: new Date(row.communicationDate),
    durationMinutes: row.durationMinutes,
    outcome: row.outcome,
    nextAction: row.nextAction,
    nextActionDate: row.nextActionDate,
    attendees: row.attendees,
    contact: row.contactId,
    opportunity: row.opportunityId,
  };
}

/** The fields of a communication as create's `values` hold them. */
type CommunicationFieldsWritten = Pick<
  Communication,
  | 'type'
  | 'subject'
  | 'body'
  | 'communicationDate'
  | 'durationMinutes'
  | 'outcome'
  | 'nextAction'
  | 'nextActionDate'
  | 'attendees'
>;

/** Optional fields: on create/replace every field is set (absent = cleared), on patch only those sent. */
export function applyCommunicationFields(
  c: Communication,
  dto: UpdateCommunicationDto,
  replaceAll: boolean,
): void {
  if (dto.communicationDate !== undefined) c.communicationDate = new Date(dto.communicationDate);
  assignFields(c, dto, OPTIONAL_FIELDS, replaceAll);
}
