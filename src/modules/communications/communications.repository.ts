import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, type Loaded, raw } from '@mikro-orm/postgresql';

import type { Total } from '../../common/dto/paging.dto.js';
import type { orderBy } from '../../common/dto/sort.js';
import { NotFoundError } from '../../common/errors/index.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';
import { findIdOf } from '../../common/utils/find-id.js';
import { Contact } from '../contacts/contact.entity.js';
import { Communication, COMMUNICATION_SEARCH_VECTOR } from './communication.entity.js';
import { dateRange } from './date-range.js';
import type { CommunicationFiltersQueryDto, ListCommunicationsQueryDto } from './dto/communication.dto.js';

export const COMMUNICATION_POPULATE = ['contact', 'opportunity', 'createdBy'] as const;

/** A communication with its contact, opportunity and author loaded: what CommunicationResponseDto.from reads. */
export type LoadedCommunication = Loaded<Communication, (typeof COMMUNICATION_POPULATE)[number]>;

/**
 * A communication is filed under its contact and opportunity: while either is (soft-)deleted it is hidden
 * with it, and it comes back when that record is restored. Written as NOT EXISTS so a page walks the date
 * index and probes each row's links by primary key.
 */
export const liveLinksSql = (alias: string): string =>
  `not exists (select 1 from "contacts" hc where hc."id" = ${alias}."contact_id" and hc."deleted_at" is not null)` +
  ` and not exists (select 1 from "opportunities" ho where ho."id" = ${alias}."opportunity_id" and ho."deleted_at" is not null)`;

/** liveLinksSql as a condition on Communication for the ORM: a new one per query (a raw() fragment is used once). */
export const liveLinks = (): FilterQuery<Communication> => ({
  [raw((alias: string) => liveLinksSql(alias))]: [],
});

/** What a record's detail shows of its communications: those liveLinksSql keeps, or all when deleted ones are asked for. */
export const shownLinksSql = (alias: string, includeDeleted: boolean): string =>
  includeDeleted ? 'true' : liveLinksSql(alias);

/** The communications total of a detail, as SQL on the record `r` that `key` (contact_id, opportunity_id) points to. */
export const communicationsTotalSql = (
  key: 'contact_id' | 'opportunity_id',
  includeDeleted: boolean,
): string =>
  `(select count(*)::int from communications m where m.${key} = r.id and ${shownLinksSql('m', includeDeleted)})`;

/**
 * The opposite of liveLinksSql: hidden with a deleted contact or opportunity. The deleted records are few, so
 * this reads only their communications through the (contact_id, date) and (opportunity_id, date) indexes.
 */
export const hiddenLinksSql = (alias: string): string =>
  `(${alias}."contact_id" = any(array(select hc."id" from "contacts" hc where hc."deleted_at" is not null))` +
  ` or ${alias}."opportunity_id" = any(array(select ho."id" from "opportunities" ho where ho."deleted_at" is not null)))`;

/** The indexed full-text match: the GIN index is on exactly COMMUNICATION_SEARCH_VECTOR. */
export const FULL_TEXT_MATCH = `${COMMUNICATION_SEARCH_VECTOR} @@ websearch_to_tsquery('english', ?)`;

/**
 * The reads of communications: the list filters (shared with the export), a page with its total, and one
 * communication with the records it links to. The visibility rule above is the one place it is written.
 */
@Injectable()
export class CommunicationsRepository {
  constructor(private readonly em: EntityManager) {}

  /** One page of the communications `where` returns, in `order`, with its links loaded, and the total. */
  async page(
    where: () => FilterQuery<Communication>,
    paging: CommunicationFiltersQueryDto,
    order: ReturnType<typeof orderBy>,
  ): Promise<{ rows: LoadedCommunication[]; total: Total }> {
    const [rows, total] = await findAndCountTotal(this.em, Communication, where, paging, {
      populate: COMMUNICATION_POPULATE,
      orderBy: order,
    });
    return { rows, total };
  }

  /** With contact, opportunity and author loaded; 404 when unknown (or hidden with a deleted link). */
  async find(id: string, includeHidden = false): Promise<LoadedCommunication> {
    const where: FilterQuery<Communication> = { id };
    if (!includeHidden) Object.assign(where, liveLinks());
    const communication = await this.em.findOne(Communication, where, { populate: COMMUNICATION_POPULATE });
    if (!communication) throw new NotFoundError('Communication', id);
    return communication;
  }

  /** Whether the contact exists (and is live, unless deleted ones are asked for). */
  async contactExists(contactId: string, includeDeleted = false): Promise<boolean> {
    const where = includeDeleted ? { id: contactId } : { id: contactId, deletedAt: null };
    return !!(await findIdOf(this.em, Contact, where));
  }

  /** The filters of GET /communications (the export takes the same). */
  listFilter(query: Omit<ListCommunicationsQueryDto, 'limit' | 'offset'>): FilterQuery<Communication> {
    const where = this.filters(query);
    if (query.contactId) where.contact = query.contactId;
    if (query.opportunityId) where.opportunity = query.opportunityId;
    if (query.createdById) where.createdBy = query.createdById;
    return where;
  }

  /** The filters of GET /contacts/:id/communications: those of both lists, on one contact. */
  contactFilter(
    contactId: string,
    query: Omit<CommunicationFiltersQueryDto, 'limit' | 'offset'>,
  ): FilterQuery<Communication> {
    const where = this.filters(query);
    where.contact = contactId;
    return where;
  }

  /** type, search, from/to and hiding of deleted links: what both list endpoints filter on. */
  private filters(
    query: Omit<CommunicationFiltersQueryDto, 'limit' | 'offset'>,
  ): FilterQuery<Communication> & Record<string, unknown> {
    const where: FilterQuery<Communication> & Record<string, unknown> = {};
    const range = dateRange(query.from, query.to);
    if (range) where.communicationDate = range;
    if (query.type) where.type = query.type;
    if (query.search?.trim()) where[raw<Communication, string>(FULL_TEXT_MATCH, [query.search.trim()])] = [];
    if (!query.includeDeleted) Object.assign(where, liveLinks());
    return where;
  }
}
