import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { Total } from '../../common/dto/paging.dto.js';
import {
  moneyOrNull,
  refOf,
  type TaggedRecordRow,
  taggedRecordColumns,
} from '../../common/utils/record-rows.js';
import { escapeLike, pageOfIds, rowsInOrder, SqlWhere } from '../../common/utils/sql.js';
import type { SqlCondition } from '../custom-fields/custom-fields.service.js';
import type { OpportunityStage } from '../opportunities/opportunity.entity.js';
import type {
  ListOrganizationsQueryDto,
  ORGANIZATION_SORTS,
  OrganizationContactDto,
  OrganizationOpportunityDto,
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

/** Selects an OrganizationRow from `organizations o`: tags aggregated in the same statement. */
const ORGANIZATION_ROW_SQL = `
  select o.id, o.name, o.type, o.industry, o.website, o.phone, o.email, o.address, o.city, o.state, o.country,
         o.description,
         ${taggedRecordColumns('o', 'organization_tags', 'organization_id')}
    from organizations o`;

interface OpportunityRow {
  id: string;
  name: string;
  stage: OpportunityStage;
  expectedAmount: string | null;
  fundId: string | null;
  fundName: string | null;
}

export interface OrganizationDetailRows {
  row: OrganizationRow;
  contacts: OrganizationContactDto[];
  opportunities: OrganizationOpportunityDto[];
}

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
    const where = this.where(query, extra);
    const direction = query.order === 'desc' ? 'desc' : 'asc';
    const order = `${SORT_COLUMNS[query.sort ?? 'name']} ${direction}, id ${direction}`;
    return pageOfIds(this.em, 'organizations', where, order, query);
  }

  /** The list's filters on `organizations` (unaliased): a page uses them, and so does the export. */
  where(query: Omit<ListOrganizationsQueryDto, 'limit' | 'offset'>, extra: SqlCondition[] = []): SqlWhere {
    const where = new SqlWhere(extra);
    if (!query.includeDeleted) where.add('deleted_at is null');
    if (query.type) where.add('type = ?', query.type);
    if (query.tag)
      where.add('id in (select organization_id from organization_tags where tag_id = ?)', query.tag);
    if (query.search) where.add('name ilike ?', `%${escapeLike(query.search)}%`);
    return where;
  }

  /** The rows of these organizations, in the order of `ids` (one query). */
  rows(ids: string[]): Promise<OrganizationRow[]> {
    return rowsInOrder<OrganizationRow>(this.em, ORGANIZATION_ROW_SQL, 'o', ids);
  }

  /**
   * One organization's page: its row (a deleted one only when asked), its live contacts by name and its live
   * opportunities newest first with their fund, in three queries at once; undefined when there is no such
   * organization.
   */
  async detail(id: string, includeDeleted: boolean): Promise<OrganizationDetailRows | undefined> {
    const conn = this.em.getConnection();
    const [[row], contacts, opportunities] = await Promise.all([
      conn.execute<OrganizationRow[]>(
        `${ORGANIZATION_ROW_SQL} where o.id = ?${includeDeleted ? '' : ' and o.deleted_at is null'}`,
        [id],
      ),
      conn.execute<OrganizationContactDto[]>(
        `select id, first_name as "firstName", last_name as "lastName", email, title, contact_type as "contactType"
           from contacts where organization_id = ? and deleted_at is null
          order by last_name, first_name, id`,
        [id],
      ),
      conn.execute<OpportunityRow[]>(
        `select p.id, p.name, p.stage, p.expected_amount as "expectedAmount", f.id as "fundId", f.name as "fundName"
           from opportunities p left join funds f on f.id = p.fund_id
          where p.organization_id = ? and p.deleted_at is null
          order by p.created_at desc`,
        [id],
      ),
    ]);
    if (!row) return undefined;
    return {
      row,
      contacts,
      opportunities: opportunities.map(({ fundId, fundName, expectedAmount, ...o }) => ({
        ...o,
        expectedAmount: moneyOrNull(expectedAmount),
        fund: refOf(fundId, fundName),
      })),
    };
  }
}
