import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, type Knex, raw } from '@mikro-orm/postgresql';

import type { Total } from '../../common/dto/paging.dto.js';
import type { SortOrder } from '../../common/dto/sort.js';
import { NotFoundError } from '../../common/errors/index.js';
import { findIdOf } from '../../common/utils/find-id.js';
import { readRecordRow, USER_COLUMNS, type UserColumns } from '../../common/utils/record-rows.js';
import { type OrderColumn, pageOfIds, rowsInOrder } from '../../common/utils/sql.js';
import { Contact } from '../contacts/contact.entity.js';
import {
  Communication,
  COMMUNICATION_SEARCH_VECTOR,
  type CommunicationType,
} from './communication.entity.js';
import { dateRange } from './date-range.js';
import type {
  COMMUNICATION_SORTS,
  CommunicationFiltersQueryDto,
  ListCommunicationsQueryDto,
} from './dto/communication.dto.js';

/** A communication's own fields and its opportunity's name as plain rows read them (the contact detail's too). */
export interface CommunicationFieldsRow {
  id: string;
  type: CommunicationType;
  subject: string | null;
  body: string | null;
  communicationDate: string;
  durationMinutes: number | null;
  outcome: string | null;
  nextAction: string | null;
  nextActionDate: string | null;
  opportunityId: string | null;
  opportunityName: string | null;
}

/** One communication with the names of the records it links to and of its author: what every response is built from. */
export interface CommunicationRow extends CommunicationFieldsRow, UserColumns {
  attendees: string[];
  contactId: string | null;
  contactFirstName: string | null;
  contactLastName: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The columns of a CommunicationRow from `communications m` with its links joined (see select). */
const COMMUNICATION_COLUMNS = `m.id, m.type, m.subject, m.body, m.communication_date as "communicationDate",
  m.duration_minutes as "durationMinutes", m.outcome, m.next_action as "nextAction",
  m.next_action_date as "nextActionDate", m.attendees,
  c.id as "contactId", c.first_name as "contactFirstName", c.last_name as "contactLastName",
  p.id as "opportunityId", p.name as "opportunityName",
  ${USER_COLUMNS},
  m.created_at as "createdAt", m.updated_at as "updatedAt"`;

type CommunicationSort = (typeof COMMUNICATION_SORTS)[number];

/** The id keeps pages stable on ties. */
function communicationOrder(sort: CommunicationSort, order: SortOrder): OrderColumn[] {
  const id: OrderColumn = { column: 'm.id', order };
  const date: OrderColumn = { column: 'm.communication_date', order };
  switch (sort) {
    case 'createdAt':
      return [{ column: 'm.created_at', order }, id];
    case 'type':
      return [{ column: 'm.type', order }, date, id];
    default:
      return [date, id];
  }
}

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
 * The reads of communications as plain rows: the list filters (shared with the export) as a knex builder, a
 * page (its ids and total, then one statement for its rows with the names they show), and one communication.
 * The visibility rule above is the one place it is written.
 */
@Injectable()
export class CommunicationsRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Ids of one page of `rows` (a `where` builder) by `sort` and `order`, and the total. A search's page is read
   * as pageOfIds's search says: walking the date index and testing each row's text, a term matching nothing
   * read all 1M communications of the benchmark's data (11 s); its matches come from the full-text index.
   */
  page(
    rows: Knex.QueryBuilder,
    paging: CommunicationFiltersQueryDto,
    sort: CommunicationSort,
    order: SortOrder,
  ): Promise<{ ids: string[]; total: Total }> {
    const search = Boolean(paging.search?.trim());
    return pageOfIds(this.em, rows, communicationOrder(sort, order), paging, 'm.id', search);
  }

  /** The rows of these communications, in the order of `ids` (one query). */
  rows(ids: string[]): Promise<CommunicationRow[]> {
    return rowsInOrder<CommunicationRow>(this.em, 'communications', () => this.select(), 'm.id', ids);
  }

  /** One communication's row; 404 when unknown (or hidden with a deleted link, unless asked). */
  async row(id: string, includeHidden = false): Promise<CommunicationRow> {
    const rows = this.select().whereRaw(shownLinksSql('m', includeHidden));
    // Not soft-deletable itself: what hides it is its links, above.
    const found = await readRecordRow<CommunicationRow>(this.em, rows, 'm', id, true);
    if (!found) throw new NotFoundError('Communication', id);
    return found;
  }

  /** The entity a write changes, its links loaded (relink reads them); 404 when unknown (or hidden with a deleted link). */
  async find(id: string, includeHidden = false): Promise<Communication> {
    const where: FilterQuery<Communication> = { id };
    if (!includeHidden) Object.assign(where, liveLinks());
    const communication = await this.em.findOne(Communication, where, {
      populate: ['contact', 'opportunity'],
    });
    if (!communication) throw new NotFoundError('Communication', id);
    return communication;
  }

  /** Whether the contact exists (and is live, unless deleted ones are asked for). */
  async contactExists(contactId: string, includeDeleted = false): Promise<boolean> {
    const where = includeDeleted ? { id: contactId } : { id: contactId, deletedAt: null };
    return !!(await findIdOf(this.em, Contact, where));
  }

  /** The filters of GET /communications (the export takes the same): the matching rows of `communications m`. */
  where(query: Omit<ListCommunicationsQueryDto, 'limit' | 'offset'>): Knex.QueryBuilder {
    const rows = this.filters(query);
    if (query.contactId) void rows.where('m.contact_id', query.contactId);
    if (query.opportunityId) void rows.where('m.opportunity_id', query.opportunityId);
    if (query.createdById) void rows.where('m.created_by_id', query.createdById);
    return rows;
  }

  /** The filters of GET /contacts/:id/communications: those of both lists, on one contact. */
  contactWhere(
    contactId: string,
    query: Omit<CommunicationFiltersQueryDto, 'limit' | 'offset'>,
  ): Knex.QueryBuilder {
    return this.filters(query).where('m.contact_id', contactId);
  }

  /** type, search, from/to and hiding of deleted links: what both list endpoints filter on. */
  private filters(query: Omit<CommunicationFiltersQueryDto, 'limit' | 'offset'>): Knex.QueryBuilder {
    const rows = this.em.getKnex()({ m: 'communications' });
    const range = dateRange(query.from, query.to);
    if (range?.$gte) void rows.where('m.communication_date', '>=', range.$gte);
    if (range?.$lt) void rows.where('m.communication_date', '<', range.$lt);
    if (range?.$lte) void rows.where('m.communication_date', '<=', range.$lte);
    if (query.type) void rows.where('m.type', query.type);
    if (query.search?.trim()) void rows.whereRaw(FULL_TEXT_MATCH, [query.search.trim()]);
    if (!query.includeDeleted) void rows.whereRaw(liveLinksSql('m'));
    return rows;
  }

  private select(): Knex.QueryBuilder {
    const knex = this.em.getKnex();
    return knex({ m: 'communications' })
      .select(knex.raw(COMMUNICATION_COLUMNS))
      .leftJoin({ c: 'contacts' }, 'c.id', 'm.contact_id')
      .leftJoin({ p: 'opportunities' }, 'p.id', 'm.opportunity_id')
      .leftJoin({ u: 'users' }, 'u.id', 'm.created_by_id');
  }
}
