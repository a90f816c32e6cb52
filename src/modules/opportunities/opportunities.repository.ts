import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';

import { listOrder, type SortOrder } from '../../common/dto/sort.js';
import type { Priority } from '../../common/entities/enums.js';
import {
  documentShape,
  includedLists,
  readRecordDocument,
  readRecordRow,
  recordRow,
  timestamp,
  timestampOrNull,
  USER_COLUMNS,
  type UserColumns,
} from '../../common/utils/record-rows.js';
import {
  escapeLike,
  onlyParameters,
  type OrderColumn,
  pageOfIds,
  rowsInOrder,
  rowsWithTotal,
  runQuery,
  SEARCH_ALONE,
} from '../../common/utils/sql.js';
import type { CommunicationType } from '../communications/communication.entity.js';
import { communicationsTotalSql, shownLinksSql } from '../communications/communications.repository.js';
import type {
  ListOpportunitiesQueryDto,
  OpportunityInclude,
  OpportunitySort,
} from './dto/opportunity.dto.js';
import type { OpportunityStage } from './opportunity.entity.js';
import type { SqlCondition } from '../custom-fields/custom-fields.service.js';
import type { Total } from '../../common/dto/paging.dto.js';

/** An opportunity with the names of what it refers to: what every opportunity response is built from. */
export interface OpportunityView {
  id: string;
  name: string;
  contact: { id: string; firstName: string; lastName: string; email: string | null } | null;
  organization: { id: string; name: string } | null;
  fund: { id: string; name: string } | null;
  owner: { id: string; username: string; fullName: string } | null;
  stage: OpportunityStage;
  stageChangedAt: string;
  expectedAmount: number | null;
  commitmentAmount: number | null;
  currency: string;
  probability: number;
  expectedCloseDate: string | null;
  description: string | null;
  nextStep: string | null;
  priority: Priority;
  lostReason: string | null;
  customFields: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

/**
 * Columns per sort; each list is one index's key, so a page is an index walk. Few-valued fields (stage,
 * probability) continue with updated_at, or a page would need sorting a whole group by id.
 */
const SORT_COLUMNS: Record<OpportunitySort, string[]> = {
  updatedAt: ['o.updated_at'],
  createdAt: ['o.created_at'],
  name: ['o.name'],
  // A PostgreSQL enum sorts in declaration order: the pipeline order.
  stage: ['o.stage', 'o.updated_at'],
  expectedAmount: ['o.expected_amount'],
  expectedCloseDate: ['o.expected_close_date'],
  probability: ['o.probability', 'o.updated_at'],
};

/** A deal without an amount counts as the smallest (one index serves both directions). */
const NULLS_SMALLEST: OpportunitySort[] = ['expectedAmount'];

/** The columns of an opportunity view, from `opportunities o` with the referenced names joined (see viewRows). */
const VIEW_COLUMNS = `o.id, o.name, o.stage, o.stage_changed_at, o.expected_amount, o.commitment_amount, o.currency,
    o.probability, o.expected_close_date, o.description, o.next_step, o.priority, o.lost_reason, o.custom_fields,
    o.version, o.created_at, o.updated_at, o.deleted_at,
    c.id as contact_id, c.first_name as contact_first_name, c.last_name as contact_last_name,
    c.email as contact_email,
    g.id as organization_id, g.name as organization_name, f.id as fund_id, f.name as fund_name,
    u.id as owner_id, u.username as owner_username, u.full_name as owner_full_name`;

/** The referenced names joined onto rows of `from` aliased `o` (the table, or a page of it named by a `with`). */
function viewRows(knex: Knex, from = 'opportunities'): Knex.QueryBuilder {
  return knex({ o: from })
    .select(knex.raw(VIEW_COLUMNS))
    .leftJoin({ c: 'contacts' }, 'c.id', 'o.contact_id')
    .leftJoin({ g: 'organizations' }, 'g.id', 'o.organization_id')
    .leftJoin({ f: 'funds' }, 'f.id', 'o.fund_id')
    .leftJoin({ u: 'users' }, 'u.id', 'o.owner_id');
}

/** `search=`: the opportunity's search text (its name, contact and organization; see Opportunity.searchText). */
const SEARCH = 'o.search_text like lower(?)';

type Row = Record<string, unknown>;

/** One stage change as the detail reads it (oldest first). */
export interface StageChangeRow extends UserColumns {
  fromStage: OpportunityStage | null;
  toStage: OpportunityStage;
  changedAt: string;
}

/** One communication about the opportunity as the detail reads it (newest first). */
export interface OpportunityCommunicationRow extends UserColumns {
  id: string;
  type: CommunicationType;
  subject: string | null;
  communicationDate: string;
  durationMinutes: number | null;
  outcome: string | null;
  nextAction: string | null;
  nextActionDate: string | null;
  contactId: string | null;
  contactFirstName: string | null;
  contactLastName: string | null;
}

/** The opportunity detail as PostgreSQL assembles it: the opportunity and the lists asked for. */
export interface OpportunityDetail {
  view: OpportunityView;
  stageHistory?: StageChangeRow[];
  communications?: OpportunityCommunicationRow[];
  communicationsTotal?: number;
}

/** How many communications the detail shows (all of them: GET /communications?opportunityId=). */
const DETAIL_COMMUNICATIONS = 50;

/** The lists of the detail, each as the rows of one select on the opportunity `r`. */
const lists = (includeDeleted: boolean) =>
  ({
    stageHistory: `select h.from_stage as "fromStage", h.to_stage as "toStage", h.changed_at as "changedAt",
                          ${USER_COLUMNS}
                     from opportunity_stage_history h left join users u on u.id = h.changed_by_id
                    where h.opportunity_id = r.id
                    order by h.changed_at, h.id`,
    communications: `select m.id, m.type, m.subject, m.communication_date as "communicationDate",
                            m.duration_minutes as "durationMinutes", m.outcome, m.next_action as "nextAction",
                            m.next_action_date as "nextActionDate", c.id as "contactId",
                            c.first_name as "contactFirstName", c.last_name as "contactLastName", ${USER_COLUMNS}
                       from communications m
                       left join contacts c on c.id = m.contact_id
                       left join users u on u.id = m.created_by_id
                      where m.opportunity_id = r.id and ${shownLinksSql('m', includeDeleted)}
                      order by m.communication_date desc, m.id desc
                      limit ${DETAIL_COMMUNICATIONS}`,
  }) satisfies Partial<Record<OpportunityInclude, string>>;

/** What the board can be filtered by: every fund, and the users who own a live opportunity. */
export interface BoardChoices {
  funds: { id: string; name: string }[];
  owners: { id: string; username: string; fullName: string }[];
}

/** One stage and currency of the pipeline board. */
export interface BoardTotalRow {
  stage: OpportunityStage;
  currency: string;
  count: number;
  amount: number;
}

/**
 * The pipeline list is the hottest read of the CRM (a board per stage on 50k opportunities): one SQL query for
 * the page with the referenced names joined in and its count (a search: its page's ids and count, then their
 * rows), and plain rows mapped once — no entity hydration.
 */
@Injectable()
export class OpportunitiesRepository {
  constructor(private readonly em: EntityManager) {}

  async list(
    query: ListOpportunitiesQueryDto,
    extra: SqlCondition[] = [],
  ): Promise<{ rows: OpportunityView[]; total: Total }> {
    const rows = this.where(query, extra);
    const order = orderBy(query.sort, query.order);
    if (query.search) {
      // The trigram index places a search's matches, not the sort index: paged as pageOfIds says of a search. The
      // default order's index carries `deleted_at` and the search text: a search alone reads its matches along it.
      const matchesInOrder =
        (query.sort ?? 'updatedAt') === 'updatedAt' && onlyParameters(query, extra, SEARCH_ALONE);
      const paging = { ...query, matchesInOrder };
      const { ids, total } = await pageOfIds(this.em, rows, order, paging, 'o.id', true);
      return { rows: await this.views(ids), total };
    }
    const knex = this.em.getKnex();
    // The page is cut first (an index walk when the sort has one), and only its rows are joined: joining first
    // would make PostgreSQL join every matching opportunity before sorting.
    const page = rows.clone().select('o.*').orderBy(order).limit(query.limit).offset(query.offset);
    const select = viewRows(knex, 'page').with('page', page).orderBy(order);
    const found = await rowsWithTotal<Row>(this.em, select, rows, query);
    return { rows: found.rows.map((r) => this.view(r)), total: found.total };
  }

  /** The list's filters: the matching rows of `opportunities` aliased `o`. A page uses them, and so does the export. */
  where(
    query: Omit<ListOpportunitiesQueryDto, 'limit' | 'offset'>,
    extra: SqlCondition[] = [],
  ): Knex.QueryBuilder {
    const rows = this.em.getKnex()({ o: 'opportunities' });
    for (const condition of extra) void rows.whereRaw(condition.sql, condition.params);
    if (!query.includeDeleted) void rows.whereNull('o.deleted_at');
    if (query.stage) void rows.where('o.stage', query.stage);
    if (query.priority) void rows.where('o.priority', query.priority);
    if (query.ownerId) void rows.where('o.owner_id', query.ownerId);
    if (query.fundId) void rows.where('o.fund_id', query.fundId);
    if (query.contactId) void rows.where('o.contact_id', query.contactId);
    if (query.organizationId) void rows.where('o.organization_id', query.organizationId);
    if (query.search) void rows.whereRaw(SEARCH, [`%${escapeLike(query.search)}%`]);
    return rows;
  }

  /** The opportunities with these ids, in their order, with the referenced names (an export batch). */
  async views(ids: string[]): Promise<OpportunityView[]> {
    const knex = this.em.getKnex();
    const rows = await rowsInOrder<Row & { id: string }>(
      this.em,
      'opportunities',
      () => viewRows(knex),
      'o.id',
      ids,
    );
    return rows.map((r) => this.view(r));
  }

  /**
   * The pipeline board: per stage and currency, how many live opportunities and their expected amounts, and
   * per stage the `perStage` most recently updated (a moved card is updated), and what it can be filtered by.
   */
  async board(
    filter: { fundId?: string; ownerId?: string },
    perStage: number,
  ): Promise<{ totals: BoardTotalRow[]; cards: OpportunityView[]; choices: BoardChoices }> {
    const knex = this.em.getKnex();
    const live = knex({ o: 'opportunities' }).whereNull('o.deleted_at');
    if (filter.fundId) void live.where('o.fund_id', filter.fundId);
    if (filter.ownerId) void live.where('o.owner_id', filter.ownerId);
    const newest = [
      { column: 'o.updated_at', order: 'desc' },
      { column: 'o.id', order: 'desc' },
    ] as const;
    // Per stage, a walk down the (stage, updated_at, id) index that stops after `perStage` rows; a window
    // function over every row would sort the whole pipeline (50k deals: ~40 ms against ~250 ms).
    const stageCards = live
      .clone()
      .select('o.*')
      .whereRaw('o.stage = s.stage')
      .orderBy([...newest])
      .limit(perStage);
    const page = knex
      .select('p.*')
      .from(
        knex.raw('unnest(enum_range(null::opportunity_stage)) s(stage) cross join lateral ? p', [stageCards]),
      );
    const [totals, rows, funds, owners] = await Promise.all([
      runQuery<{ stage: OpportunityStage; currency: string; count: number; amount: string | null }>(
        this.em,
        live
          .clone()
          .select(
            'o.stage',
            'o.currency',
            knex.raw('count(*)::int as count'),
            knex.raw('sum(o.expected_amount) as amount'),
          )
          .groupBy('o.stage', 'o.currency'),
      ),
      runQuery<Row>(
        this.em,
        viewRows(knex, 'page')
          .with('page', page)
          .orderBy([{ column: 'o.stage' }, ...newest]),
      ),
      runQuery<{ id: string; name: string }>(
        this.em,
        knex('funds').select('id', 'name').orderBy(['name', 'id']),
      ),
      runQuery<{ id: string; username: string; full_name: string }>(
        this.em,
        knex({ u: 'users' })
          .select('u.id', 'u.username', 'u.full_name')
          .whereExists(
            knex({ o: 'opportunities' })
              .select(knex.raw('1'))
              .where('o.owner_id', knex.ref('u.id'))
              .whereNull('o.deleted_at'),
          )
          .orderBy(['u.full_name', 'u.id']),
      ),
    ]);
    return {
      totals: totals.map((t) => ({ ...t, amount: t.amount === null ? 0 : Number(t.amount) })),
      cards: rows.map((r) => this.view(r)),
      choices: {
        funds,
        owners: owners.map((u) => ({ id: u.id, username: u.username, fullName: u.full_name })),
      },
    };
  }

  /**
   * The opportunity (a deleted one only when asked) with the lists in `include`, as one JSON document built by
   * PostgreSQL in one statement; undefined when there is no such opportunity.
   */
  async detail(
    id: string,
    include: ReadonlySet<OpportunityInclude>,
    includeDeleted = false,
  ): Promise<OpportunityDetail | undefined> {
    const doc = await readRecordDocument<Omit<OpportunityDetail, 'view'> & { record: Row }>(
      this.em,
      documentShape('opportunity', include, includeDeleted),
      id,
      (recordId) => {
        const values = includedLists(lists(includeDeleted), include);
        if (include.has('communications')) {
          values.communicationsTotal = communicationsTotalSql('opportunity_id', includeDeleted);
        }
        return { row: recordRow(viewRows(this.em.getKnex()), 'o', recordId, includeDeleted), values };
      },
    );
    if (!doc) return undefined;
    const { record, ...related } = doc;
    return { view: this.view(record), ...related };
  }

  async findView(id: string, includeDeleted = false): Promise<OpportunityView | null> {
    const row = await readRecordRow<Row>(this.em, viewRows(this.em.getKnex()), 'o', id, includeDeleted);
    return row ? this.view(row) : null;
  }

  private view(r: Row): OpportunityView {
    const money = (value: unknown) => (value === null ? null : Number(value));
    const text = (value: unknown) => value as string;
    return {
      id: text(r.id),
      name: text(r.name),
      contact: r.contact_id
        ? {
            id: text(r.contact_id),
            firstName: text(r.contact_first_name),
            lastName: text(r.contact_last_name),
            email: r.contact_email as string | null,
          }
        : null,
      organization: r.organization_id
        ? { id: text(r.organization_id), name: text(r.organization_name) }
        : null,
      fund: r.fund_id ? { id: text(r.fund_id), name: text(r.fund_name) } : null,
      owner: r.owner_id
        ? { id: text(r.owner_id), username: text(r.owner_username), fullName: text(r.owner_full_name) }
        : null,
      stage: r.stage as OpportunityStage,
      stageChangedAt: timestamp(r.stage_changed_at as string),
      expectedAmount: money(r.expected_amount),
      commitmentAmount: money(r.commitment_amount),
      currency: text(r.currency),
      probability: r.probability as number,
      expectedCloseDate: r.expected_close_date as string | null,
      description: r.description as string | null,
      nextStep: r.next_step as string | null,
      priority: r.priority as Priority,
      lostReason: r.lost_reason as string | null,
      customFields: r.custom_fields as Record<string, unknown>,
      version: r.version as number,
      createdAt: timestamp(r.created_at as string),
      updatedAt: timestamp(r.updated_at as string),
      deletedAt: timestampOrNull(r.deleted_at as string | null),
    };
  }
}

/** Default: most recently updated first (per stage, the stage index serves it). With a `sort`, asc by default. */
function orderBy(sort: OpportunitySort | undefined, order: SortOrder | undefined): OrderColumn[] {
  const [first, tie] = listOrder(sort, order, { sort: 'updatedAt', order: 'desc' }, NULLS_SMALLEST);
  const [[field, direction]] = Object.entries(first);
  // `asc`, or `asc nulls first` for the fields whose empty values sort as the smallest.
  const [mainOrder, , nulls] = direction.split(' ') as [SortOrder, string?, ('first' | 'last')?];
  const [main, ...then] = SORT_COLUMNS[field as OpportunitySort];
  return [
    { column: main, order: mainOrder, nulls },
    ...then.map((column) => ({ column, order: tie.id as SortOrder })),
    { column: 'o.id', order: tie.id as SortOrder },
  ];
}
