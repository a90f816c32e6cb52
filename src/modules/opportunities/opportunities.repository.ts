import { Injectable } from '@nestjs/common';
import { EntityManager, type Knex } from '@mikro-orm/postgresql';

import { listOrder, type SortOrder } from '../../common/dto/sort.js';
import type { JsonText } from '../../common/http/json-text.js';
import {
  jsonNameRef,
  jsonObject,
  type JsonRecords,
  jsonRef,
  jsonTime,
  jsonUserRef,
  pageOfRecords,
  personNameSql,
  recordObject,
  recordObjects,
  recordRows,
} from '../../common/utils/json-records.js';
import {
  documentShape,
  includedLists,
  readRecordDocument,
  recordRow,
  USER_COLUMNS,
  type UserColumns,
} from '../../common/utils/record-rows.js';
import { escapeLike, type OrderColumn, runQuery } from '../../common/utils/sql.js';
import type { CommunicationType } from '../communications/communication.entity.js';
import { communicationsTotalSql, shownLinksSql } from '../communications/communications.repository.js';
import { CONTACT_SEARCH_TEXT } from '../contacts/contact.entity.js';
import type {
  ListOpportunitiesQueryDto,
  OpportunityInclude,
  OpportunitySort,
} from './dto/opportunity.dto.js';
import type { OpportunityResponseDto } from './dto/opportunity-response.dto.js';
import type { OpportunityStage } from './opportunity.entity.js';
import type { SqlCondition } from '../custom-fields/custom-fields.service.js';
import type { Total } from '../../common/dto/paging.dto.js';

/**
 * `weightedAmount`: expectedAmount × probability / 100 to the cent, computed in cents (115 × 50 / 100 = 57.5 → 0.58,
 * where floats would make 1.15 × 50 57.49999… → 0.57); null without an amount.
 */
export const weightedAmountSql = (amount: string, probability: string): string =>
  `(round(round(${amount} * 100) * ${probability} / 100) / 100)::float8`;

/** Whole days from the timestamp `since` to this statement's time, never negative. */
export const wholeDaysSql = (since: string): string =>
  `greatest(0, floor((extract(epoch from statement_timestamp()) - extract(epoch from ${since})) / 86400))::int`;

/** An opportunity as the API answers it (OpportunityResponseDto), written by PostgreSQL with the names it refers to. */
const OPPORTUNITY_FIELDS = {
  id: 'o.id',
  name: 'o.name',
  contact: jsonRef('c', { id: 'c.id', name: personNameSql('c') }),
  organization: jsonNameRef('g'),
  fund: jsonNameRef('f'),
  stage: 'o.stage',
  stageChangedAt: jsonTime('o.stage_changed_at'),
  daysInStage: wholeDaysSql('o.stage_changed_at'),
  expectedAmount: 'o.expected_amount',
  commitmentAmount: 'o.commitment_amount',
  currency: 'o.currency',
  probability: 'o.probability',
  weightedAmount: weightedAmountSql('o.expected_amount', 'o.probability'),
  expectedCloseDate: 'o.expected_close_date',
  description: 'o.description',
  nextStep: 'o.next_step',
  owner: jsonUserRef('u'),
  priority: 'o.priority',
  lostReason: 'o.lost_reason',
  customFields: 'o.custom_fields',
  version: 'o.version',
  createdAt: jsonTime('o.created_at'),
  updatedAt: jsonTime('o.updated_at'),
  deletedAt: jsonTime('o.deleted_at'),
} satisfies Record<keyof OpportunityResponseDto, string>;

/** Opportunities from `opportunities o` with what they refer to left-joined. */
const fromOpportunities = (knex: Knex): Knex.QueryBuilder =>
  knex({ o: 'opportunities' })
    .leftJoin({ c: 'contacts' }, 'c.id', 'o.contact_id')
    .leftJoin({ g: 'organizations' }, 'g.id', 'o.organization_id')
    .leftJoin({ f: 'funds' }, 'f.id', 'o.fund_id')
    .leftJoin({ u: 'users' }, 'u.id', 'o.owner_id');

export const OPPORTUNITY_RECORDS: JsonRecords = {
  alias: 'o',
  from: fromOpportunities,
  object: jsonObject(OPPORTUNITY_FIELDS),
};

/** An exported opportunity: its response and its contact's email (what the import finds a contact by). */
export type OpportunityExportRow = OpportunityResponseDto & { contactEmail: string | null };

const EXPORT_RECORDS: JsonRecords = {
  ...OPPORTUNITY_RECORDS,
  object: jsonObject({ ...OPPORTUNITY_FIELDS, contactEmail: 'c.email' }),
};

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

/**
 * `search=`: the opportunity's name, its contact's name or email (the contacts trigram expression), or its
 * organization's name. Each arm is served by its own trigram index, then by the opportunities' foreign-key
 * indexes; a union lets the planner use each of them, where an OR would be evaluated row by row.
 */
const SEARCH = `o.id in (
    select id from opportunities where name ilike ?
    union all
    select id from opportunities where contact_id in (select id from contacts where ${CONTACT_SEARCH_TEXT} like ?)
    union all
    select id from opportunities where organization_id in (select id from organizations where name ilike ?))`;

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
  record: OpportunityResponseDto;
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
 * The pipeline list is the hottest read of the CRM (a board per stage on 50k opportunities): one SQL statement
 * for the page's response objects (OPPORTUNITY_RECORDS) and its count, no entity hydration, no row mapping.
 */
@Injectable()
export class OpportunitiesRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * One page as the JSON of its responses and the total. The page is cut first (an index walk when the sort has
   * one), and only its rows are joined: joining first would make PostgreSQL join every match before sorting.
   */
  list(
    query: ListOpportunitiesQueryDto,
    extra: SqlCondition[] = [],
  ): Promise<{ data: JsonText<OpportunityResponseDto[]>; total: Total }> {
    const order = orderBy(query.sort, query.order);
    return pageOfRecords(this.em, OPPORTUNITY_RECORDS, this.where(query, extra), order, query, 'o.id');
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
    if (query.search) {
      const pattern = `%${escapeLike(query.search)}%`;
      void rows.whereRaw(SEARCH, [pattern, `%${escapeLike(query.search.toLowerCase())}%`, pattern]);
    }
    return rows;
  }

  /** The opportunities with these ids, in their order, as exported (an export batch). */
  exportRows(ids: string[]): Promise<OpportunityExportRow[]> {
    return recordObjects(this.em, EXPORT_RECORDS, ids);
  }

  /**
   * The pipeline board: per stage and currency, how many live opportunities and their expected amounts, and
   * per stage the `perStage` most recently updated (a moved card is updated), and what it can be filtered by.
   */
  async board(
    filter: { fundId?: string; ownerId?: string },
    perStage: number,
  ): Promise<{ totals: BoardTotalRow[]; cards: OpportunityResponseDto[]; choices: BoardChoices }> {
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
      .select('o.id')
      .whereRaw('o.stage = s.stage')
      .orderBy([...newest])
      .limit(perStage);
    const page = knex
      .select('p.id')
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
      runQuery<{ record: OpportunityResponseDto }>(
        this.em,
        recordRows(knex, OPPORTUNITY_RECORDS)
          .whereIn('o.id', page)
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
      cards: rows.map((r) => r.record),
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
  detail(
    id: string,
    include: ReadonlySet<OpportunityInclude>,
    includeDeleted = false,
  ): Promise<OpportunityDetail | undefined> {
    return readRecordDocument<OpportunityDetail>(
      this.em,
      documentShape('opportunity', include, includeDeleted),
      id,
      (recordId) => {
        const values = includedLists(lists(includeDeleted), include);
        if (include.has('communications')) {
          values.communicationsTotal = communicationsTotalSql('opportunity_id', includeDeleted);
        }
        const row = recordRow(
          recordRows(this.em.getKnex(), OPPORTUNITY_RECORDS),
          'o',
          recordId,
          includeDeleted,
        );
        return { row, values, record: 'r.record' };
      },
    );
  }

  /** One opportunity's response (a deleted one only when asked); undefined when none. */
  response(id: string, includeDeleted = false): Promise<OpportunityResponseDto | undefined> {
    return recordObject(this.em, OPPORTUNITY_RECORDS, id, includeDeleted);
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
