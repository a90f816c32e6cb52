import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import { liveLinksSql } from '../communications/communications.repository.js';
import { fundFilter, OPEN_STAGES_SQL, type Statement } from './reports.repository.js';

/** A time window over stage history: `from` inclusive, `to` exclusive (timestamps as ISO text). */
export interface Window {
  from: string;
  to: string;
}

export interface StageDaysRow {
  stage: string;
  visits: number;
  medianDays: string | null;
  meanDays: string | null;
}

export interface FurthestRow {
  stage: string;
  deals: number;
}

export interface ClosedRow {
  currency: string;
  won: number;
  lost: number;
  wonAmount: string;
  wonDays: string | null;
}

export interface OpenDealsRow {
  currency: string;
  deals: number;
}

export interface LostReasonRow {
  reason: string;
  deals: number;
}

export interface ReUpRow {
  contactId: string;
  contactName: string;
  organizationName: string | null;
  lastContactDate: string | null;
  commitments: { fundId: string; fundName: string; currency: string; amount: string }[];
}

/**
 * SQL of pipeline analytics (from the summaries of stage history: report_stage_visits and report_deal_stages;
 * statements answered together in one round trip by ReportsRepository.together) and of fund progress. A visit of a stage is one history row; it lasts until the deal's next history row.
 */
@Injectable()
export class PipelineAnalyticsRepository {
  constructor(private readonly em: EntityManager) {}

  private rows<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params);
  }

  /**
   * Median and mean days of the finished visits of each open stage that began in the window, of live deals:
   * per stage from the finished visits' index, which holds each visit's length in seconds (no sort but each
   * stage's lengths for its median).
   */
  stageDaysSql(fundId: string | undefined, window: Window): Statement {
    const fund = fundFilter('v.fund_id', fundId);
    return {
      sql: `select v.stage::text as stage, count(*)::int as visits,
              round((percentile_cont(0.5) within group (order by v.seconds) / 86400)::numeric, 2)::text as "medianDays",
              round((avg(v.seconds) / 86400)::numeric, 2)::text as "meanDays"
         from report_stage_visits v
        where v.stage in ${OPEN_STAGES_SQL} and v.started_at >= ?::timestamptz and v.started_at < ?::timestamptz
          and v.ended_at is not null and v.live${fund.sql}
        group by v.stage`,
      params: [window.from, window.to, ...fund.params],
    };
  }

  /**
   * The furthest stage (pipeline order, lost aside) each live deal with a stage change in the window has ever
   * reached, counted per stage: the funnel that conversions are read from. From the per-deal summary: a deal
   * whose first or last change falls in the window had one there; only a deal whose history spans the whole
   * window is looked up in its history.
   */
  furthestStagesSql(fundId: string | undefined, window: Window): Statement {
    const fund = fundFilter('s.fund_id', fundId);
    return {
      sql: `select s.furthest_stage::text as stage, count(*)::int as deals
         from report_deal_stages s
        where s.live${fund.sql} and s.furthest_stage is not null
          and s.first_at < ?::timestamptz and s.last_at >= ?::timestamptz
          and (s.first_at >= ?::timestamptz or s.last_at < ?::timestamptz
               or exists (select 1 from opportunity_stage_history h
                           where h.opportunity_id = s.opportunity_id
                             and h.changed_at >= ?::timestamptz and h.changed_at < ?::timestamptz))
        group by s.furthest_stage`,
      params: [...fund.params, window.to, window.from, window.from, window.to, window.from, window.to],
    };
  }

  /**
   * Deals closed (funded or lost) in the window, per currency: how many won and lost, the won amount
   * (commitment, else expected) and the days from their first stage entry to the close. From the closed deals'
   * index of report_deal_stages alone.
   */
  closedSql(fundId: string | undefined, window: Window): Statement {
    const fund = fundFilter('s.fund_id', fundId);
    return {
      sql: `select s.currency,
              count(*) filter (where s.stage = 'funded')::int as won,
              count(*) filter (where s.stage = 'lost')::int as lost,
              coalesce(sum(s.amount) filter (where s.stage = 'funded'), 0)::text as "wonAmount",
              (sum(date_part('epoch', s.stage_changed_at - s.first_at)) filter (where s.stage = 'funded') / 86400)::text as "wonDays"
         from report_deal_stages s
        where s.live and s.stage in ('funded', 'lost')
          and s.stage_changed_at >= ?::timestamptz and s.stage_changed_at < ?::timestamptz${fund.sql}
        group by s.currency order by s.currency`,
      params: [window.from, window.to, ...fund.params],
    };
  }

  /** Open deals per currency (now, whatever the window), from the exact live-deal totals. */
  openDealsSql(fundId: string | undefined): Statement {
    const fund = fundFilter('t.fund_id', fundId);
    return {
      sql: `select t.currency, sum(t.deals)::int as deals from report_deal_totals t
        where t.stage in ${OPEN_STAGES_SQL}${fund.sql}
        group by t.currency having sum(t.deals) > 0 order by t.currency`,
      params: fund.params,
    };
  }

  /** Reasons of the deals lost in the window, most frequent first (trimmed, case kept from the first seen). */
  lostReasonsSql(fundId: string | undefined, window: Window): Statement {
    const fund = fundFilter('o.fund_id', fundId);
    return {
      sql: `select min(trim(o.lost_reason)) as reason, count(*)::int as deals
         from opportunities o
        where o.deleted_at is null and o.stage = 'lost'
          and o.stage_changed_at >= ?::timestamptz and o.stage_changed_at < ?::timestamptz${fund.sql}
        group by lower(trim(o.lost_reason))
        order by deals desc, reason`,
      params: [window.from, window.to, ...fund.params],
    };
  }

  /** Weighted open pipeline of one fund per currency, from the exact live-deal totals. */
  weightedPipeline(fundId: string): Promise<{ currency: string; amount: string }[]> {
    return this.rows(
      `select t.currency, sum(t.weighted)::text as amount from report_deal_totals t
        where t.stage in ${OPEN_STAGES_SQL} and t.fund_id = ?
        group by t.currency having sum(t.deals) > 0 order by t.currency`,
      [fundId],
    );
  }

  /**
   * LPs of earlier funds (earlier vintage, or created earlier when a vintage is missing), live contacts with no
   * LP profile and no live deal in this fund: the `limit` largest earlier commitments first, each with its
   * earlier commitments (gathered for those `limit` only, by contact through the LP index) and the date of its
   * last visible communication (the contact's date index walked backwards to the first visible one), and how
   * many there are in all. Each contact is checked once, after grouping.
   */
  async reUpTargets(fundId: string, limit: number): Promise<{ total: number; rows: ReUpRow[] }> {
    const rows = await this.rows<ReUpRow & { total: number }>(
      `with this_fund as (select id, vintage_year, created_at from funds where id = ?),
       earlier as not materialized (
         select lp.contact_id, f.id as fund_id, f.name as fund_name, f.vintage_year, f.created_at,
                lp.currency, lp.commitment_amount
           from lp_profiles lp join funds f on f.id = lp.fund_id, this_fund t
          where f.id <> t.id
            and (case when f.vintage_year is not null and t.vintage_year is not null
                      then f.vintage_year < t.vintage_year else f.created_at < t.created_at end)
       ),
       targets as (
         select g.contact_id, g.largest, count(*) over () as total
           from (select e.contact_id, max(e.commitment_amount) as largest from earlier e group by e.contact_id) g
          where not exists (select 1 from contacts hc where hc.id = g.contact_id and hc.deleted_at is not null)
            and not exists (select 1 from lp_profiles x where x.contact_id = g.contact_id and x.fund_id = ?)
            and not exists (select 1 from opportunities x where x.contact_id = g.contact_id and x.fund_id = ?
                             and x.deleted_at is null)
          order by g.largest desc, g.contact_id
          limit ?
       )
       select t.total::int as total, c.id as "contactId", trim(c.first_name || ' ' || c.last_name) as "contactName",
              org.name as "organizationName",
              (select m.communication_date from communications m
                where m.contact_id = c.id and ${liveLinksSql('m')}
                order by m.communication_date desc limit 1) as "lastContactDate",
              (select json_agg(json_build_object('fundId', e.fund_id, 'fundName', e.fund_name, 'currency', e.currency,
                               'amount', e.commitment_amount::text) order by e.vintage_year nulls last, e.created_at)
                 from earlier e where e.contact_id = t.contact_id) as commitments
         from targets t
         join contacts c on c.id = t.contact_id
         left join organizations org on org.id = c.organization_id and org.deleted_at is null
        order by t.largest desc, c.id`,
      [fundId, fundId, fundId, limit],
    );
    return { total: rows[0]?.total ?? 0, rows };
  }
}
