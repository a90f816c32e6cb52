import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import { preparedRows } from '../../common/utils/prepared.js';

import { hiddenLinksSql, liveLinksSql } from '../communications/communications.repository.js';

/** Stages a deal is still being worked in: neither funded nor lost. */
export const OPEN_STAGES_SQL = `('lead', 'outreach', 'meeting', 'due_diligence', 'committed')`;

/** `and o.fund_id = ?` when a fund is asked for: the statement and its parameters together. */
export function fundFilter(column: string, fundId: string | undefined): { sql: string; params: string[] } {
  return fundId ? { sql: ` and ${column} = ?`, params: [fundId] } : { sql: '', params: [] };
}

/** Money sums arrive as numeric text per currency. */
export interface CurrencyRow {
  currency: string;
  amount: string;
}

export interface FundRow {
  id: string;
  name: string;
  status: string;
  currency: string;
  targetAmount: string | null;
  vintageYear: number | null;
  createdAt: string;
}

/** One group (stage, owner, priority…) in one currency. */
export interface GroupRow {
  dimension: string;
  key: string | null;
  label: string | null;
  currency: string;
  count: number;
  expected: string;
  committed: string;
  weighted: string;
}

export interface LpRow {
  id: string;
  contactId: string;
  contactName: string;
  organizationId: string | null;
  organizationName: string | null;
  organizationType: string | null;
  fundId: string;
  fundName: string;
  investorType: string | null;
  currency: string;
  commitment: string;
  funded: string;
  commitmentDate: string | null;
  legalDocsSigned: boolean;
  wireReceived: boolean;
  k1Sent: boolean;
  contactDeleted: boolean;
}

/** A count of one author (key: user id), type or UTC day (YYYY-MM-DD); label: the author's name. */
export interface ActivityRow {
  dimension: 'user' | 'type' | 'day';
  key: string | null;
  label: string | null;
  count: number;
}

/** One SQL statement and its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** A statement of no rows: a part of `together` that does not apply. */
export const NO_ROWS: Statement = { sql: 'select 1 where false', params: [] };

export interface LpTotalRow {
  currency: string;
  lps: number;
  committed: string;
  funded: string;
}

export interface CountsRow {
  activeOpportunities: number;
  prospects: number;
  lps: number;
  communicationsThisMonth: number;
}

const FUND_COLUMNS = `f.id, f.name, f.status, f.currency, f.target_amount as "targetAmount",
  f.vintage_year as "vintageYear", f.created_at as "createdAt"`;

const PERSON = (c: string): string => `trim(${c}.first_name || ' ' || ${c}.last_name)`;

/**
 * The SQL of the reports: aggregates computed by PostgreSQL in a few statements per report (never a query
 * per row). Soft-deleted contacts and opportunities are left out everywhere, and communications follow
 * the one visibility rule of the app (`liveLinksSql`): hidden while their contact or opportunity is deleted.
 */
@Injectable()
export class ReportsRepository {
  constructor(private readonly em: EntityManager) {}

  private rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params);
  }

  private run<T>(statement: Statement): Promise<T[]> {
    return this.rows<T>(statement.sql, statement.params);
  }

  /**
   * Several statements answered in one round trip (one statement for the app to send and the database to
   * plan): each becomes a JSON array of its rows, in their order. `prepared`: sent as a prepared statement,
   * planned once per connection (for a statement of many parts whose planning costs as much as its run).
   */
  async together<T extends Record<string, unknown[]>>(
    parts: { [K in keyof T]: Statement },
    options: { prepared?: boolean } = {},
  ): Promise<T> {
    const entries = Object.entries<Statement>(parts);
    const sql = `select ${entries
      .map(([key, s]) => `(select coalesce(json_agg(x), '[]') from (${s.sql}) x) as "${key}"`)
      .join(', ')}`;
    const params = entries.flatMap(([, s]) => s.params);
    const [row] = options.prepared
      ? await preparedRows<T>(this.em, sql, params)
      : await this.rows<T>(sql, params);
    return row;
  }

  async fund(id: string): Promise<FundRow | null> {
    const [row] = await this.run<FundRow>(this.fundSql(id));
    return row ?? null;
  }

  fundSql(id: string): Statement {
    return { sql: `select ${FUND_COLUMNS} from funds f where f.id = ?`, params: [id] };
  }

  /** The fund being raised: the latest vintage among raising funds (then the newest record). */
  async raisingFund(): Promise<FundRow | null> {
    const [row] = await this.rows<FundRow>(
      `select ${FUND_COLUMNS} from funds f where f.status = 'raising'
        order by f.vintage_year desc nulls last, f.created_at desc, f.id limit 1`,
    );
    return row ?? null;
  }

  /**
   * Live opportunities grouped by stage, owner and priority (each per currency) in one statement, added up from
   * report_deal_totals (live deals per fund, stage, currency, owner and priority, kept exact by triggers): a
   * few hundred rows instead of every deal. Grouping sets read them once.
   */
  groups(fundId: string | undefined, dimensions: ('stage' | 'owner' | 'priority')[]): Promise<GroupRow[]> {
    return this.run(this.groupsSql(fundId, dimensions));
  }

  groupsSql(fundId: string | undefined, dimensions: ('stage' | 'owner' | 'priority')[]): Statement {
    const fund = fundFilter('t.fund_id', fundId);
    const column = { stage: 't.stage', owner: 't.owner_id', priority: 't.priority' };
    const sets = dimensions.map((d) => `(${column[d]}, t.currency)`).join(', ');
    // Which grouping set a row belongs to: the dimension whose column is grouped (GROUPING() = 0).
    const dimension = `case ${dimensions.map((d) => `when grouping(${column[d]}) = 0 then '${d}'`).join(' ')} end`;
    return {
      sql: `with g as (
         select ${dimension} as dimension,
                ${dimensions.includes('stage') ? 't.stage::text' : 'null::text'} as stage,
                ${dimensions.includes('owner') ? 't.owner_id' : 'null::uuid'} as owner_id,
                ${dimensions.includes('priority') ? 't.priority::text' : 'null::text'} as priority,
                t.currency, sum(t.deals)::int as count, sum(t.expected) as expected,
                sum(t.committed) as committed, sum(t.weighted) as weighted
           from report_deal_totals t
          where true${fund.sql}
          group by grouping sets (${sets})
         having sum(t.deals) > 0
       )
       select g.dimension, coalesce(g.stage, g.owner_id::text, g.priority) as key,
              coalesce(u.full_name, g.stage, g.priority) as label, g.currency, g.count,
              g.expected::text, g.committed::text, g.weighted::text
         from g left join users u on g.dimension = 'owner' and u.id = g.owner_id
        order by g.dimension, key nulls last, g.currency`,
      params: fund.params,
    };
  }

  /**
   * Commitments and funding of a fund's LP profiles per currency. A commitment is a fact: it counts whatever
   * the state of its contact record, as in the funds API's summary.
   */
  lpTotals(fundId: string): Promise<LpTotalRow[]> {
    return this.run(this.lpTotalsSql(fundId));
  }

  lpTotalsSql(fundId: string): Statement {
    return {
      sql: `select lp.currency, count(*)::int as lps, sum(lp.commitment_amount)::text as committed,
              sum(lp.funded_amount)::text as funded
         from lp_profiles lp
        where lp.fund_id = ?
        group by lp.currency order by lp.currency`,
      params: [fundId],
    };
  }

  /** Counts of the home page: open deals, prospects, LPs (a person in two funds once), this month's talks. */
  countsSql(monthStart: string): Statement {
    return {
      sql: `select
         (select coalesce(sum(t.deals), 0)::int from report_deal_totals t
           where t.stage in ${OPEN_STAGES_SQL}) as "activeOpportunities",
         (select coalesce(sum(t.contacts), 0)::int from report_contact_totals t
           where t.contact_type = 'prospect') as prospects,
         (select count(distinct lp.contact_id)::int from lp_profiles lp) as lps,
         ((select coalesce(sum(t.communications), 0) from report_communication_days t
            where t.day >= (?::timestamptz at time zone 'UTC')::date)
          - (select count(*) from communications m
              where m.communication_date >= ?::timestamptz and ${hiddenLinksSql('m')}))::int as "communicationsThisMonth"`,
      params: [monthStart, monthStart],
    };
  }

  recentCommunicationsSql(limit: number): Statement {
    return {
      sql: `select m.id, m.type, m.subject, m.communication_date as "date",
              c.id as "contactId", ${PERSON('c')} as "contactName", o.id as "opportunityId", o.name as "opportunityName",
              u.id as "userId", u.username, u.full_name as "fullName"
         from (select m.* from communications m where ${liveLinksSql('m')}
                order by m.communication_date desc, m.id desc limit ?) m
         left join contacts c on c.id = m.contact_id
         left join opportunities o on o.id = m.opportunity_id
         left join users u on u.id = m.created_by_id
        order by m.communication_date desc, m.id desc`,
      params: [limit],
    };
  }

  /** Next actions due up to `until`, the overdue ones first (oldest first). */
  nextActionsSql(until: string, limit: number): Statement {
    return {
      sql: `select m.id, m.next_action as "nextAction", to_char(m.next_action_date, 'YYYY-MM-DD') as "dueDate",
              c.id as "contactId", ${PERSON('c')} as "contactName", o.id as "opportunityId", o.name as "opportunityName"
         from (select m.* from communications m
                where m.next_action_date is not null and m.next_action_date <= ?::date and ${liveLinksSql('m')}
                order by m.next_action_date, m.id limit ?) m
         left join contacts c on c.id = m.contact_id
         left join opportunities o on o.id = m.opportunity_id
        order by m.next_action_date, m.id`,
      params: [until, limit],
    };
  }

  /** Open tasks due up to `until`, the overdue ones first. */
  dueTasksSql(until: string, limit: number): Statement {
    return {
      sql: `select t.id, t.title, to_char(t.due_date, 'YYYY-MM-DD') as "dueDate", t.priority,
              u.id as "userId", u.username, u.full_name as "fullName"
         from (select t.* from tasks t where t.status = 'open' and t.due_date <= ?::date
                order by t.due_date, t.id limit ?) t
         left join users u on u.id = t.assignee_id
        order by t.due_date, t.id`,
      params: [until, limit],
    };
  }

  recentStageChangesSql(limit: number): Statement {
    return {
      sql: `select h.id, h.from_stage as "from", h.to_stage as "to", h.changed_at as "at",
              o.id as "opportunityId", o.name as "opportunityName",
              u.id as "userId", u.username, u.full_name as "fullName"
         from (select h.* from opportunity_stage_history h
                where exists (select 1 from opportunities lo where lo.id = h.opportunity_id and lo.deleted_at is null)
                order by h.changed_at desc, h.id desc limit ?) h
         join opportunities o on o.id = h.opportunity_id
         left join users u on u.id = h.changed_by_id
        order by h.changed_at desc, h.id desc`,
      params: [limit],
    };
  }

  /** Every LP profile (its contact flagged when deleted: the commitment stands), largest commitment first. */
  lps(fundId: string | undefined): Promise<LpRow[]> {
    const fund = fundFilter('lp.fund_id', fundId);
    return this.rows<LpRow>(
      `select lp.id, c.id as "contactId", ${PERSON('c')} as "contactName",
              org.id as "organizationId", org.name as "organizationName", org.type::text as "organizationType",
              f.id as "fundId", f.name as "fundName", lp.investor_type::text as "investorType", lp.currency,
              lp.commitment_amount::text as commitment, lp.funded_amount::text as funded,
              to_char(lp.commitment_date, 'YYYY-MM-DD') as "commitmentDate",
              lp.legal_docs_signed as "legalDocsSigned", lp.wire_received as "wireReceived", lp.k1_sent as "k1Sent",
              c.deleted_at is not null as "contactDeleted"
         from lp_profiles lp
         join contacts c on c.id = lp.contact_id
         join funds f on f.id = lp.fund_id
         left join organizations org on org.id = c.organization_id and org.deleted_at is null
        where true${fund.sql}
        order by lp.commitment_amount desc, lp.id`,
      fund.params,
    );
  }

  /**
   * Live communications of the UTC days `from`..`to` counted by author, by type and by day in one statement:
   * the counts per day, author and type of report_communication_days (every communication, kept exact by
   * triggers) less those of the window hidden with a deleted contact or deal (hiddenLinksSql), then added up
   * per author, per type and per day (grouping sets). Groups without any communication are not in the result.
   */
  activity(from: string, to: string): Promise<ActivityRow[]> {
    return this.rows<ActivityRow>(
      `with d as (
         select t.created_by_id, t.type, t.day, t.communications as n
           from report_communication_days t
          where t.day between ?::date and ?::date
         union all
         select m.created_by_id, m.type, (m.communication_date at time zone 'UTC')::date, -count(*)
           from communications m
          where m.communication_date >= ?::date::timestamp at time zone 'UTC'
            and m.communication_date < (?::date + 1)::timestamp at time zone 'UTC'
            and ${hiddenLinksSql('m')}
          group by 1, 2, 3
       ), g as (
         select case when grouping(d.created_by_id) = 0 then 'user' when grouping(d.type) = 0 then 'type'
                     else 'day' end as dimension,
                d.created_by_id, d.type::text as type, to_char(d.day, 'YYYY-MM-DD') as day, sum(d.n)::int as count
           from d
          group by grouping sets ((d.created_by_id), (d.type), (d.day))
         having sum(d.n) > 0
       )
       select g.dimension, coalesce(g.created_by_id::text, g.type, g.day) as key,
              u.full_name as label, g.count
         from g left join users u on g.dimension = 'user' and u.id = g.created_by_id
        order by g.dimension, g.count desc, label, key`,
      [from, to, from, to],
    );
  }
}
