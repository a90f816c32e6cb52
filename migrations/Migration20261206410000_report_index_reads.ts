import { Migration } from '@mikro-orm/migrations';

import {
  CLEAR_SQL,
  FOLLOW_DEALS_SQL,
  REFRESH_SQL as EARLIER_REFRESH_SQL,
  VISITS_REFRESH_SQL,
} from './Migration20261206400000_stage_analytics.js';

/** What report_deal_stages keeps of the deal itself, from `opportunities` (`o`). */
const DEAL_FACTS = `o.fund_id, o.deleted_at is null, o.stage, o.stage_changed_at, o.currency,
  coalesce(o.commitment_amount, o.expected_amount)`;
const DEAL_COLUMNS = ['fund_id', 'live', 'stage', 'stage_changed_at', 'currency', 'amount'];
const HISTORY_COLUMNS = ['first_at', 'last_at', 'furthest_stage'];

/** `on conflict … do update` of `columns`, only where one of them changes (no dead row for nothing). */
const upsert = (columns: string[]): string => `on conflict (opportunity_id) do update
     set ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}
   where (${columns.map((c) => `s.${c}`).join(', ')}) is distinct from (${columns.map((c) => `excluded.${c}`).join(', ')})`;

/**
 * Recomputes, for the deals `ids`, their visits of stages (as migration 20261206400000) and their row of
 * report_deal_stages: now one row per deal, history or not, with its closing facts beside its history's.
 */
const REFRESH_SQL = `
create or replace function report_deal_stages_refresh(ids uuid[]) returns void language sql as $$
${VISITS_REFRESH_SQL}
  insert into report_deal_stages as s (opportunity_id, ${[...DEAL_COLUMNS, ...HISTORY_COLUMNS].join(', ')})
  select o.id, ${DEAL_FACTS}, h.first_at, h.last_at, h.furthest_stage
    from opportunities o
    left join (select opportunity_id, min(changed_at) as first_at, max(changed_at) as last_at,
                      max(to_stage) filter (where to_stage <> 'lost') as furthest_stage
                 from opportunity_stage_history where opportunity_id = any(ids)
                group by opportunity_id) h on h.opportunity_id = o.id
   where o.id = any(ids)
   order by o.id
  ${upsert([...DEAL_COLUMNS, ...HISTORY_COLUMNS])};
$$;`;

/**
 * Pipeline analytics from indexes alone (issue 12's benchmark: p99 674 ms for a fund over a year, ~130 ms of
 * PostgreSQL per request, most of it reading the deals and visits' rows):
 * - a visit's length is stored (`seconds`, generated), and the finished visits of live deals are read by stage
 *   and start from one partial index that holds the fund and the length;
 * - report_deal_stages holds one row per deal (a deal with no history too) with its stage, when it got there,
 *   its currency and amount (commitment, else expected): the closed deals of a window are read from a partial
 *   index by fund and close, not from `opportunities`. Kept by statement triggers on insert and update of
 *   opportunities, in the writing transaction, like the rest of the table;
 * - whether an earlier LP has a live deal in the fund (re-up targets) is a probe of the deals' contact index,
 *   which now holds the fund and the deletion: no hashing of all the fund's deals;
 * - the dashboard's tasks due (open, by due date and id) are read from an index in that order: many tasks
 *   due the same day no longer have to be sorted.
 */
export class Migration20261206410000_report_index_reads extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "report_stage_visits" add column "seconds" double precision generated always as (date_part('epoch', "ended_at" - "started_at")) stored;`,
    );
    this.addSql(`drop index "report_stage_visits_stage_index";`);
    this.addSql(
      `create index "report_stage_visits_finished_index" on "report_stage_visits" ("stage", "started_at") include ("fund_id", "seconds") where "live" and "ended_at" is not null;`,
    );
    // Filled again below, with every deal.
    this.addSql(`truncate "report_deal_stages";`);
    this.addSql(`alter table "report_deal_stages"
      alter column "first_at" drop not null, alter column "last_at" drop not null,
      add column "stage" "opportunity_stage" not null, add column "stage_changed_at" timestamptz not null,
      add column "currency" varchar(3) not null, add column "amount" numeric(15,2) null;`);
    this.addSql(`drop index "report_deal_stages_fund_index";`);
    this.addSql(
      `create index "report_deal_stages_funnel_index" on "report_deal_stages" ("fund_id", "last_at") include ("first_at", "furthest_stage") where "live" and "furthest_stage" is not null;`,
    );
    this.addSql(
      `create index "report_deal_stages_closed_index" on "report_deal_stages" ("fund_id", "stage_changed_at") include ("stage", "currency", "amount", "first_at") where "live" and "stage" in ('funded', 'lost');`,
    );
    this.addSql(REFRESH_SQL);
    this.addSql(`
      create or replace function report_deal_stages_follow_deals() returns trigger language plpgsql as $$
      begin
        insert into report_deal_stages as s (opportunity_id, ${DEAL_COLUMNS.join(', ')})
        select o.id, ${DEAL_FACTS} from new_rows o
         order by o.id
        ${upsert(DEAL_COLUMNS)};
        if tg_op = 'UPDATE' then
          update report_stage_visits s set fund_id = n.fund_id, live = n.deleted_at is null
            from new_rows n
           where s.opportunity_id = n.id
             and (s.fund_id is distinct from n.fund_id or s.live <> (n.deleted_at is null));
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger "opportunities_report_deal_stages_insert" after insert on "opportunities"
      referencing new table as new_rows for each statement execute function report_deal_stages_follow_deals();`);
    // Stage history emptied: the deals stay, without history.
    this.addSql(`
      create or replace function report_deal_stages_clear() returns trigger language plpgsql as $$
      begin
        update report_deal_stages set first_at = null, last_at = null, furthest_stage = null
         where first_at is not null;
        delete from report_stage_visits;
        return null;
      end $$;`);
    this.addSql(`select report_deal_stages_refresh(array(select id from opportunities));`);
    this.addSql(`drop index "tasks_status_due_index";`);
    this.addSql(`create index "tasks_status_due_index" on "tasks" ("status", "due_date", "id");`);
    this.addSql(`drop index "opportunities_contact_id_index";`);
    this.addSql(
      `create index "opportunities_contact_id_index" on "opportunities" ("contact_id", "fund_id") include ("deleted_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "opportunities_contact_id_index";`);
    this.addSql(`create index "opportunities_contact_id_index" on "opportunities" ("contact_id");`);
    this.addSql(`drop index "tasks_status_due_index";`);
    this.addSql(`create index "tasks_status_due_index" on "tasks" ("status", "due_date");`);
    this.addSql(`drop trigger "opportunities_report_deal_stages_insert" on "opportunities";`);
    this.addSql(CLEAR_SQL);
    this.addSql(FOLLOW_DEALS_SQL);
    this.addSql(`drop index "report_deal_stages_closed_index";`);
    this.addSql(`drop index "report_deal_stages_funnel_index";`);
    this.addSql(`delete from "report_deal_stages" where "first_at" is null;`);
    this.addSql(`alter table "report_deal_stages"
      drop column "stage", drop column "stage_changed_at", drop column "currency", drop column "amount",
      alter column "first_at" set not null, alter column "last_at" set not null;`);
    this.addSql(EARLIER_REFRESH_SQL);
    this.addSql(`create index "report_deal_stages_fund_index" on "report_deal_stages" ("fund_id");`);
    this.addSql(`drop index "report_stage_visits_finished_index";`);
    this.addSql(
      `create index "report_stage_visits_stage_index" on "report_stage_visits" ("stage", "started_at") include ("fund_id", "live", "ended_at");`,
    );
    this.addSql(`alter table "report_stage_visits" drop column "seconds";`);
  }
}
