import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';

import type { Total } from '../../common/dto/paging.dto.js';
import {
  documentShape,
  includedLists,
  pageTags,
  readRecordDocument,
  readRecordRow,
  recordRow,
  type TaggedRecordRow,
  taggedRecordColumns,
  type TaggedTable,
} from '../../common/utils/record-rows.js';
import { escapeLike, pageOfIds, rowsInOrder } from '../../common/utils/sql.js';
import type { SqlCondition } from '../custom-fields/custom-fields.service.js';
import type { OpportunityStage } from '../opportunities/opportunity.entity.js';
import type {
  ListOrganizationsQueryDto,
  ORGANIZATION_SORTS,
  OrganizationContactDto,
  OrganizationInclude,
} from './dto/organization.dto.js';
import type { OrganizationType } from './organization.entity.js';

type OrganizationSort = (typeof ORGANIZATION_SORTS)[number];

/** One organization as a list answers it, tags included. */
export interface OrganizationRow extends TaggedRecordRow {
  name: string;
  type: OrganizationType;
  industry: string | null;
  website: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  description: string | null;
}

const ORGANIZATION_TAGS: TaggedTable = { alias: 'o', pivot: 'organization_tags', key: 'organization_id' };

/** The columns of an OrganizationRow from `organizations o`: tags aggregated in the same statement. */
const organizationColumns = (page: boolean) => `
  o.id, o.name, o.type, o.industry, o.website, o.phone, o.email, o.address, o.city, o.state, o.country,
  o.description,
  ${taggedRecordColumns(ORGANIZATION_TAGS, page)}`;

/**
 * Selects OrganizationRows from `organizations o`; add the wheres. With `page`, the rows of those organizations
 * (add `o.id = any(…)` of the same ids), their tags read at once (pageTags).
 */
function organizationRows(knex: Knex, page?: readonly string[]): Knex.QueryBuilder {
  const rows = knex({ o: 'organizations' }).select(knex.raw(organizationColumns(page !== undefined)));
  return page ? pageTags(knex, rows, ORGANIZATION_TAGS, page) : rows;
}

export interface OpportunityRow {
  id: string;
  name: string;
  stage: OpportunityStage;
  /** numeric(15,2) as text, as the driver reads it. */
  expectedAmount: string | null;
  fundId: string | null;
  fundName: string | null;
}

/** The organization detail as PostgreSQL assembles it: the organization's row and the lists asked for. */
export interface OrganizationDetailDocument {
  record: OrganizationRow;
  contacts?: OrganizationContactDto[];
  opportunities?: OpportunityRow[];
}

/** The lists of the detail, each as the rows of one select on the organization `r`. */
const LISTS = {
  contacts: `select id, first_name as "firstName", last_name as "lastName", email, title, contact_type as "contactType"
               from contacts where organization_id = r.id and deleted_at is null
              order by last_name, first_name, id`,
  opportunities: `select p.id, p.name, p.stage, p.expected_amount::text as "expectedAmount",
                         f.id as "fundId", f.name as "fundName"
                    from opportunities p left join funds f on f.id = p.fund_id
                   where p.organization_id = r.id and p.deleted_at is null
                   order by p.created_at desc`,
} satisfies Partial<Record<OrganizationInclude, string>>;

/** SQL column behind each `sort=`; the id breaks ties. */
const SORT_COLUMNS: Record<OrganizationSort, string> = {
  name: 'name',
  type: 'type',
  city: 'city',
  country: 'country',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/**
 * The organization list read as plain rows, as the contact list is: hydrating a page of entities and their
 * tags through the ORM cost more CPU than everything else the request does.
 */
@Injectable()
export class OrganizationsRepository {
  constructor(private readonly em: EntityManager) {}

  /** Ids of one page in the asked order and the total, counted as `count` asks. */
  async page(
    query: ListOrganizationsQueryDto,
    extra: SqlCondition[] = [],
  ): Promise<{ ids: string[]; total: Total }> {
    const direction = query.order === 'desc' ? 'desc' : 'asc';
    const order = [
      { column: SORT_COLUMNS[query.sort ?? 'name'], order: direction },
      { column: 'id', order: direction },
    ] as const;
    return pageOfIds(this.em, this.where(query, extra), order, query, 'id', Boolean(query.search));
  }

  /** The list's filters: the matching rows of `organizations` (unaliased). A page uses them, and so does the export. */
  where(
    query: Omit<ListOrganizationsQueryDto, 'limit' | 'offset'>,
    extra: SqlCondition[] = [],
  ): Knex.QueryBuilder {
    const knex = this.em.getKnex();
    const rows = knex('organizations');
    for (const condition of extra) void rows.whereRaw(condition.sql, condition.params);
    if (!query.includeDeleted) void rows.whereNull('deleted_at');
    if (query.type) void rows.where('type', query.type);
    if (query.tag)
      void rows.whereIn('id', knex('organization_tags').select('organization_id').where('tag_id', query.tag));
    if (query.search) void rows.whereILike('name', `%${escapeLike(query.search)}%`);
    return rows;
  }

  /** One organization's response row; a deleted one only when asked. */
  row(id: string, includeDeleted = false): Promise<OrganizationRow | undefined> {
    return readRecordRow<OrganizationRow>(
      this.em,
      organizationRows(this.em.getKnex()),
      'o',
      id,
      includeDeleted,
    );
  }

  /** The rows of these organizations, in the order of `ids` (one query). */
  rows(ids: string[]): Promise<OrganizationRow[]> {
    const knex = this.em.getKnex();
    return rowsInOrder<OrganizationRow>(
      this.em,
      'organizations',
      (page) => organizationRows(knex, page),
      'o.id',
      ids,
    );
  }

  /**
   * One organization's page: its row (a deleted one only when asked) with the lists in `include` (live contacts
   * by name, live opportunities newest first with their fund), as one JSON document built by PostgreSQL in
   * one statement; undefined when there is no such organization.
   */
  detail(
    id: string,
    include: ReadonlySet<OrganizationInclude>,
    includeDeleted = false,
  ): Promise<OrganizationDetailDocument | undefined> {
    return readRecordDocument(
      this.em,
      documentShape('organization', include, includeDeleted),
      id,
      (recordId) => ({
        row: recordRow(organizationRows(this.em.getKnex()), 'o', recordId, includeDeleted),
        values: includedLists(LISTS, include),
      }),
    );
  }
}
