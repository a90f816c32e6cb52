import { Migration } from '@mikro-orm/migrations';

import { backfillSql, REPORT_TOTALS } from './Migration20261206350000_report_totals.js';

/** The visits of stages of the deals `ids` (in a function of `ids uuid[]`), recomputed from their history. */
export const VISITS_REFRESH_SQL = `
  delete from report_stage_visits where opportunity_id = any(ids);
  insert into report_stage_visits (id, opportunity_id, fund_id, live, stage, started_at, ended_at)
  select v.id, v.opportunity_id, o.fund_id, o.deleted_at is null, v.to_stage, v.changed_at, v.ended_at
    from (select h.id, h.opportunity_id, h.to_stage, h.changed_at,
                 lead(h.changed_at) over (partition by h.opportunity_id order by h.changed_at, h.id) as ended_at
            from opportunity_stage_history h where h.opportunity_id = any(ids)) v
    join opportunities o on o.id = v.opportunity_id;`;

/**
 * Recomputes, for the deals `ids`, their visits of stages (each history row with when it ended: the deal's
 * next history row in (changed_at, id) order) and their row of report_deal_stages (first and last stage
 * change, furthest stage reached in pipeline order, lost aside), each with the deal's fund and liveness.
 */
export const REFRESH_SQL = `
create or replace function report_deal_stages_refresh(ids uuid[]) returns void language sql as $$
${VISITS_REFRESH_SQL}
  insert into report_deal_stages as s (opportunity_id, fund_id, live, first_at, last_at, furthest_stage)
  select h.opportunity_id, o.fund_id, o.deleted_at is null, min(h.changed_at), max(h.changed_at),
         max(h.to_stage) filter (where h.to_stage <> 'lost')
    from opportunity_stage_history h join opportunities o on o.id = h.opportunity_id
   where h.opportunity_id = any(ids)
   group by h.opportunity_id, o.fund_id, o.deleted_at
   order by h.opportunity_id
  on conflict (opportunity_id) do update
     set fund_id = excluded.fund_id, live = excluded.live, first_at = excluded.first_at,
         last_at = excluded.last_at, furthest_stage = excluded.furthest_stage
   where (s.fund_id, s.live, s.first_at, s.last_at, s.furthest_stage)
         is distinct from (excluded.fund_id, excluded.live, excluded.first_at, excluded.last_at, excluded.furthest_stage);
  delete from report_deal_stages s
   where s.opportunity_id = any(ids)
     and not exists (select 1 from opportunity_stage_history h where h.opportunity_id = s.opportunity_id);
$$;`;

/** Keeps the deals' fund and liveness in both summaries as opportunities are updated. */
export const FOLLOW_DEALS_SQL = `
      create or replace function report_deal_stages_follow_deals() returns trigger language plpgsql as $$
      begin
        update report_deal_stages s set fund_id = n.fund_id, live = n.deleted_at is null
          from new_rows n
         where s.opportunity_id = n.id
           and (s.fund_id is distinct from n.fund_id or s.live <> (n.deleted_at is null));
        update report_stage_visits s set fund_id = n.fund_id, live = n.deleted_at is null
          from new_rows n
         where s.opportunity_id = n.id
           and (s.fund_id is distinct from n.fund_id or s.live <> (n.deleted_at is null));
        return null;
      end $$;`;

/** Stage history emptied (truncate): so are the summaries of it. */
export const CLEAR_SQL = `
      create or replace function report_deal_stages_clear() returns trigger language plpgsql as $$
      begin delete from report_deal_stages; delete from report_stage_visits; return null; end $$;`;

/**
 * Every summary table the reports read, emptied and filled again from the base tables: for data loaded with
 * triggers disabled (the benchmark's bulk load). Their triggers keep them exact after that.
 */
const REBUILD_SQL = `
create function report_summaries_rebuild() returns void language plpgsql as $$
begin
  truncate ${REPORT_TOTALS.map((t) => `"${t.table}"`).join(', ')}, report_deal_stages, report_stage_visits;
  ${REPORT_TOTALS.map(backfillSql).join('\n  ')}
  perform report_deal_stages_refresh(array(select id from opportunities));
end $$;`;

/**
 * Pipeline analytics without reading all of stage history per request (issue 12's benchmark: p99 1.3 s):
 * `report_stage_visits` (per history row: stage, start, end, the deal's fund and liveness; read by stage and
 * start from one index) and `report_deal_stages` (per deal: first and last stage change, furthest stage, fund,
 * live), both kept exact by statement triggers on stage history (insert, delete) and on opportunities (fund
 * and soft delete), in the writing transaction. Not a cache: test/report-totals.e2e-spec.ts compares them with
 * the history.
 */
export class Migration20261206400000_stage_analytics extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "report_deal_stages" ("opportunity_id" uuid not null, "fund_id" uuid null, "live" boolean not null, "first_at" timestamptz not null, "last_at" timestamptz not null, "furthest_stage" "opportunity_stage" null, constraint "report_deal_stages_pkey" primary key ("opportunity_id"));`,
    );
    this.addSql(
      `alter table "report_deal_stages" add constraint "report_deal_stages_opportunity_id_foreign" foreign key ("opportunity_id") references "opportunities" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(`create index "report_deal_stages_fund_index" on "report_deal_stages" ("fund_id");`);
    this.addSql(
      `create table "report_stage_visits" ("id" uuid not null, "opportunity_id" uuid not null, "fund_id" uuid null, "live" boolean not null, "stage" "opportunity_stage" not null, "started_at" timestamptz not null, "ended_at" timestamptz null, constraint "report_stage_visits_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "report_stage_visits" add constraint "report_stage_visits_opportunity_id_foreign" foreign key ("opportunity_id") references "opportunities" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `create index "report_stage_visits_opportunity_index" on "report_stage_visits" ("opportunity_id");`,
    );
    // The visits of one stage begun in a window, with what the analytics read, from the index alone.
    this.addSql(
      `create index "report_stage_visits_stage_index" on "report_stage_visits" ("stage", "started_at") include ("fund_id", "live", "ended_at");`,
    );
    this.addSql(REFRESH_SQL);
    this.addSql(`
      create function opportunity_stage_history_follow() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          perform report_deal_stages_refresh(array(select distinct opportunity_id from new_rows));
        else
          perform report_deal_stages_refresh(array(select distinct opportunity_id from old_rows));
        end if;
        return null;
      end $$;`);
    this
      .addSql(`create trigger "opportunity_stage_history_follow_insert" after insert on "opportunity_stage_history"
      referencing new table as new_rows for each statement execute function opportunity_stage_history_follow();`);
    this
      .addSql(`create trigger "opportunity_stage_history_follow_delete" after delete on "opportunity_stage_history"
      referencing old table as old_rows for each statement execute function opportunity_stage_history_follow();`);
    this.addSql(FOLLOW_DEALS_SQL);
    this.addSql(`create trigger "opportunities_report_deal_stages_update" after update on "opportunities"
      referencing new table as new_rows for each statement execute function report_deal_stages_follow_deals();`);
    this.addSql(CLEAR_SQL);
    this.addSql(`create trigger "opportunity_stage_history_report_deal_stages_truncate" after truncate
      on "opportunity_stage_history" for each statement execute function report_deal_stages_clear();`);
    this.addSql(REBUILD_SQL);
    // Back-fill, in the migration's transaction: the triggers see every later change.
    this.addSql(`select report_deal_stages_refresh(array(select id from opportunities));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function report_summaries_rebuild();`);
    this.addSql(
      `drop trigger "opportunity_stage_history_report_deal_stages_truncate" on "opportunity_stage_history";`,
    );
    this.addSql(`drop function report_deal_stages_clear();`);
    this.addSql(`drop trigger "opportunities_report_deal_stages_update" on "opportunities";`);
    this.addSql(`drop function report_deal_stages_follow_deals();`);
    this.addSql(`drop trigger "opportunity_stage_history_follow_insert" on "opportunity_stage_history";`);
    this.addSql(`drop trigger "opportunity_stage_history_follow_delete" on "opportunity_stage_history";`);
    this.addSql(`drop function opportunity_stage_history_follow();`);
    this.addSql(`drop function report_deal_stages_refresh(uuid[]);`);
    this.addSql(`drop table "report_stage_visits";`);
    this.addSql(`drop table "report_deal_stages";`);
  }
}
