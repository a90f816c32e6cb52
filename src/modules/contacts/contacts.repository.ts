import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';

import type { SortOrder } from '../../common/dto/sort.js';
import type { ContactMethod } from '../../common/entities/enums.js';
import type { Total } from '../../common/dto/paging.dto.js';
import {
  pageTags,
  readRecordRow,
  type TaggedRecordRow,
  taggedRecordColumns,
  type TaggedTable,
} from '../../common/utils/record-rows.js';
import {
  escapeLike,
  onlyParameters,
  type OrderColumn,
  pageOfIds,
  rowsInOrder,
  runQuery,
  SEARCH_ALONE,
} from '../../common/utils/sql.js';
import type { SqlCondition } from '../custom-fields/custom-fields.service.js';
import { CONTACT_LIST_SEARCH_TEXT, type ContactStatus, type ContactType } from './contact.entity.js';
import type { ContactSort, ListContactsQueryDto } from './dto/contact-request.dto.js';

/** SQL columns behind each `sort=`; each has its own index (contacts_*_sort_index), the id breaks ties. */
const SORT_COLUMNS: Record<ContactSort, string[]> = {
  lastName: ['last_name', 'first_name', 'id'],
  firstName: ['first_name', 'last_name', 'id'],
  email: ['email', 'id'],
  createdAt: ['created_at', 'id'],
  updatedAt: ['updated_at', 'id'],
};

/** Names compared by the duplicates report: pg_trgm similarity of "first last", lower-cased. */
export const DUPLICATE_NAME_SIMILARITY = 0.6;

/** One contact as a response needs it: organization, owner and tags included. */
export interface ContactRow extends TaggedRecordRow {
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
  mobile: string | null;
  title: string | null;
  organizationId: string | null;
  organizationName: string | null;
  contactType: ContactType;
  status: ContactStatus;
  source: string | null;
  notes: string | null;
  linkedinUrl: string | null;
  preferredContact: ContactMethod | null;
  ownerId: string | null;
  ownerUsername: string | null;
  ownerFullName: string | null;
}

const CONTACT_TAGS: TaggedTable = { alias: 'c', pivot: 'contact_tags', key: 'contact_id' };

/** The columns of a ContactRow from `contacts c`: tags aggregated in the same statement, not a query per row. */
const contactColumns = (page: boolean) => `
  c.id, c.first_name as "firstName", c.last_name as "lastName", c.email, c.phone, c.mobile, c.title,
  o.id as "organizationId", o.name as "organizationName",
  c.contact_type as "contactType", c.status, c.source, c.notes, c.linkedin_url as "linkedinUrl",
  c.preferred_contact as "preferredContact",
  u.id as "ownerId", u.username as "ownerUsername", u.full_name as "ownerFullName",
  ${taggedRecordColumns(CONTACT_TAGS, page)}`;

/**
 * Selects ContactRows from `contacts c` with their organization and owner; add the wheres. With `page`, the rows
 * of those contacts (add `c.id = any(…)` of the same ids), their tags read at once (pageTags).
 */
export function contactRows(knex: Knex, page?: readonly string[]): Knex.QueryBuilder {
  const rows = knex({ c: 'contacts' })
    .select(knex.raw(contactColumns(page !== undefined)))
    .leftJoin({ o: 'organizations' }, 'o.id', 'c.organization_id')
    .leftJoin({ u: 'users' }, 'u.id', 'c.owner_id');
  return page ? pageTags(knex, rows, CONTACT_TAGS, page) : rows;
}

/**
 * The list's parameters a total read from report_contact_totals allows: any other one set (but includeDeleted=false)
 * is a filter the summary does not cover.
 */
const SUMMARIZED_KEYS = new Set(['type', 'sort', 'order', 'limit', 'offset', 'count']);

export interface SimilarNamePair {
  a: string;
  b: string;
  organizationName: string;
  score: number;
}

/**
 * The contact reads that must stay fast at 100k rows: list pages, search, the rows a response shows, and
 * the duplicates report. Responses are read as plain rows: hydrating ORM entities with their relations
 * costs several milliseconds of CPU per page, which a list under load cannot afford.
 */
@Injectable()
export class ContactsRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * Ids of one page, in order, and the total (counted as `count` asks). `search` matches the contact's names and
   * email and its live organization's name, all in one column with its trigram index (CONTACT_LIST_SEARCH_TEXT);
   * its page is read as pageOfIds reads a search.
   */
  page(query: ListContactsQueryDto, extra: SqlCondition[] = []): Promise<{ ids: string[]; total: Total }> {
    const direction = sqlOrder(query.order);
    const order: OrderColumn[] = SORT_COLUMNS[query.sort ?? 'lastName'].map((column) => ({
      column,
      order: direction,
    }));
    return pageOfIds(
      this.em,
      this.where(query, extra),
      order,
      {
        ...query,
        summarized: this.summarizedTotal(query, extra),
        // The name index carries `deleted_at` and the search text, nothing else a filter reads (with the type too,
        // the count read every match to sort them: 18 ms for "son" among investors, against 6.6 ms unordered).
        matchesInOrder:
          (query.sort ?? 'lastName') === 'lastName' && onlyParameters(query, extra, SEARCH_ALONE),
      },
      'id',
      // A search's matches are read once, its page cut from them (searchPage): "son" walked the name index twice,
      // for the page and for the count (2.0 ms a statement on the bench data, 1.55 ms read once).
      Boolean(query.search),
    );
  }

  /**
   * The total of a list filtered by nothing but the type, read from report_contact_totals (live contacts by
   * type, kept by triggers with every write of a contact: see pageOfIds). Any other filter, or deleted contacts
   * asked for, is counted: undefined.
   */
  private summarizedTotal(query: ListContactsQueryDto, extra: SqlCondition[]): Knex.QueryBuilder | undefined {
    if (!onlyParameters(query, extra, SUMMARIZED_KEYS)) return undefined;
    const knex = this.em.getKnex();
    const total = knex('report_contact_totals').select(knex.raw('coalesce(sum(contacts), 0)::int'));
    return query.type ? total.where('contact_type', query.type) : total;
  }

  /** The list's filters: the matching rows of `contacts` (unaliased). A page uses them, and so does the export. */
  where(
    query: Omit<ListContactsQueryDto, 'limit' | 'offset'>,
    extra: SqlCondition[] = [],
  ): Knex.QueryBuilder {
    const knex = this.em.getKnex();
    const rows = knex('contacts');
    for (const condition of extra) void rows.whereRaw(condition.sql, condition.params);
    if (!query.includeDeleted) void rows.whereNull('deleted_at');
    if (query.type) void rows.where('contact_type', query.type);
    if (query.status) void rows.where('status', query.status);
    if (query.organizationId) void rows.where('organization_id', query.organizationId);
    if (query.ownerId) void rows.where('owner_id', query.ownerId);
    if (query.tag)
      void rows.whereIn('id', knex('contact_tags').select('contact_id').where('tag_id', query.tag));
    if (query.search)
      void rows.whereRaw(`${CONTACT_LIST_SEARCH_TEXT} like lower(?)`, [`%${escapeLike(query.search)}%`]);
    return rows;
  }

  /** The response rows of these contacts, in the order of `ids` (one query). */
  rows(ids: string[]): Promise<ContactRow[]> {
    const knex = this.em.getKnex();
    return rowsInOrder<ContactRow>(this.em, 'contacts', (page) => contactRows(knex, page), 'c.id', ids);
  }

  /** One contact's response row; a deleted one only when asked. */
  row(id: string, includeDeleted = false): Promise<ContactRow | undefined> {
    return readRecordRow<ContactRow>(this.em, contactRows(this.em.getKnex()), 'c', id, includeDeleted);
  }

  /**
   * Live contacts sharing an email ignoring case. The partial unique index contacts_email_lower_unique
   * forbids this for rows written while it exists, so this finds only rows that came another way (data
   * restored from before the index, the index rebuilt after a bulk load).
   */
  async sameEmailGroups(): Promise<{ email: string; ids: string[] }[]> {
    const knex = this.em.getKnex();
    return runQuery<{ email: string; ids: string[] }>(
      this.em,
      knex('contacts')
        .select(knex.raw('lower(email) as email, array_agg(id::text order by created_at, id) as ids'))
        .whereNull('deleted_at')
        .whereNotNull('email')
        .groupByRaw('lower(email)')
        .havingRaw('count(*) > 1'),
    );
  }

  /**
   * Pairs of live contacts of one organization whose full names are similar (pg_trgm). Only pairs within
   * an organization are compared (a hash join on organization_id), never every contact with every other.
   */
  async similarNamePairs(): Promise<SimilarNamePair[]> {
    const knex = this.em.getKnex();
    const name = (alias: string) => `lower(${alias}.first_name || ' ' || ${alias}.last_name)`;
    const similarity = `similarity(${name('a')}, ${name('b')})`;
    const rows = await runQuery<Omit<SimilarNamePair, 'organizationName'> & { org: string }>(
      this.em,
      knex({ a: 'contacts' })
        .select(knex.raw(`a.id::text as a, b.id::text as b, o.name as org, ${similarity}::float8 as score`))
        .join({ b: 'contacts' }, (on) =>
          on.on('b.organization_id', 'a.organization_id').andOn('a.id', '<', 'b.id'),
        )
        .join({ o: 'organizations' }, 'o.id', 'a.organization_id')
        .whereNull('a.deleted_at')
        .whereNull('b.deleted_at')
        .whereRaw(`${similarity} > ?`, [DUPLICATE_NAME_SIMILARITY]),
    );
    return rows.map(({ org, ...pair }) => ({ ...pair, organizationName: org }));
  }
}

function sqlOrder(order: SortOrder | undefined): 'asc' | 'desc' {
  return order === 'desc' ? 'desc' : 'asc';
}
