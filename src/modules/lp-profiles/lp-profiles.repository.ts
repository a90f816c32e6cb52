import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';

import type { Total } from '../../common/dto/paging.dto.js';
import { readRecordRow } from '../../common/utils/record-rows.js';
import type { ContactMethod } from '../../common/entities/enums.js';
import { escapeLike, pageOfIds, rowsInOrder } from '../../common/utils/sql.js';
import type { LpProfileRow as CommitmentRow } from '../contacts/contact-detail.repository.js';
import type { SqlCondition } from '../custom-fields/custom-fields.service.js';
import type { ListLpProfilesQueryDto, LpProfileSort } from './dto/lp-profile.dto.js';

/**
 * One LP profile with its contact (and the contact's organization) and fund: what every response is built from.
 * The commitment's fields are those the contact page lists.
 */
export interface LpProfileRow extends CommitmentRow {
  contactId: string;
  contactFirstName: string;
  contactLastName: string;
  contactEmail: string | null;
  organizationId: string | null;
  organizationName: string | null;
  preferredCommunication: ContactMethod | null;
  notes: string | null;
  customFields: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

/** The columns of an LpProfileRow from `lp_profiles lp` with its contact `c`, organization `g` and fund `f`. */
const LP_PROFILE_COLUMNS = `lp.id, c.id as "contactId", c.first_name as "contactFirstName",
  c.last_name as "contactLastName", c.email as "contactEmail", g.id as "organizationId",
  g.name as "organizationName", f.id as "fundId", f.name as "fundName",
  lp.commitment_amount as "commitmentAmount", lp.funded_amount as "fundedAmount", lp.currency,
  lp.commitment_date as "commitmentDate", lp.investor_type as "investorType", lp.accredited,
  lp.legal_docs_signed as "legalDocsSigned", lp.signed_date as "signedDate", lp.wire_received as "wireReceived",
  lp.wire_date as "wireDate", lp.k1_sent as "k1Sent", lp.preferred_communication as "preferredCommunication",
  lp.notes, lp.custom_fields as "customFields", lp.version, lp.created_at as "createdAt",
  lp.updated_at as "updatedAt"`;

/** SQL column behind each `sort=`; the id breaks ties. */
const SORT_COLUMNS: Record<LpProfileSort, string> = {
  commitmentAmount: 'lp.commitment_amount',
  fundedAmount: 'lp.funded_amount',
  commitmentDate: 'lp.commitment_date',
  createdAt: 'lp.created_at',
};

/** `search=`: the LP profile's search text (its contact and the contact's organization; see LpProfile.searchText). */
const SEARCH = 'lp.search_text like lower(?)';

/** The LP-profile list, detail, export and the answers of writes, read as plain rows (references joined). */
@Injectable()
export class LpProfilesRepository {
  constructor(private readonly em: EntityManager) {}

  /** Ids of one page in the asked order (without `sort`: largest commitments first) and the total. */
  page(query: ListLpProfilesQueryDto, extra: SqlCondition[] = []): Promise<{ ids: string[]; total: Total }> {
    const direction = query.order ?? (query.sort ? 'asc' : 'desc');
    const order = [
      { column: SORT_COLUMNS[query.sort ?? 'commitmentAmount'], order: direction },
      { column: 'lp.id', order: direction },
    ] as const;
    return pageOfIds(this.em, this.where(query, extra), order, query, 'lp.id', Boolean(query.search));
  }

  /** The list's filters: the matching rows of `lp_profiles` aliased `lp`. A page uses them, and so does the export. */
  where(
    query: Omit<ListLpProfilesQueryDto, 'limit' | 'offset'>,
    extra: SqlCondition[] = [],
  ): Knex.QueryBuilder {
    const rows = this.em.getKnex()({ lp: 'lp_profiles' });
    for (const condition of extra) void rows.whereRaw(condition.sql, condition.params);
    if (query.fundId) void rows.where('lp.fund_id', query.fundId);
    if (query.contactId) void rows.where('lp.contact_id', query.contactId);
    if (query.search) void rows.whereRaw(SEARCH, [`%${escapeLike(query.search)}%`]);
    return rows;
  }

  /** One LP profile's row, or undefined. */
  row(id: string): Promise<LpProfileRow | undefined> {
    // Not soft-deletable: "deleted too" is simply by id.
    return readRecordRow<LpProfileRow>(this.em, this.select(), 'lp', id, true);
  }

  /** The rows of these LP profiles, in the order of `ids` (one query). */
  rows(ids: string[]): Promise<LpProfileRow[]> {
    return rowsInOrder<LpProfileRow>(this.em, 'LP profiles', () => this.select(), 'lp.id', ids);
  }

  private select(): Knex.QueryBuilder {
    const knex = this.em.getKnex();
    return knex({ lp: 'lp_profiles' })
      .select(knex.raw(LP_PROFILE_COLUMNS))
      .join({ c: 'contacts' }, 'c.id', 'lp.contact_id')
      .leftJoin({ g: 'organizations' }, 'g.id', 'c.organization_id')
      .join({ f: 'funds' }, 'f.id', 'lp.fund_id');
  }
}
