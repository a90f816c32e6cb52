import { Migration } from '@mikro-orm/migrations';

/**
 * Report speed on a large data set (issue 12's benchmark):
 * - live deals by fund, stage and currency with the amounts the reports add up: pipeline by stage, owner and
 *   priority, open and weighted pipeline are read from this index alone (no visit of the wide table rows);
 * - live contacts by type: the dashboard's prospect count from a small index instead of a table scan;
 * - stage history by (changed_at, id), the dashboard's "recent stage changes" order: the newest rows are read
 *   in order even when many share a timestamp (it replaces the index on changed_at alone);
 * - stage history by deal in (changed_at, id) order with its stage: pipeline analytics walk each deal's visits
 *   (window functions, furthest stage) from the index alone, already in order (no sort of the whole history);
 *   it replaces the index on (opportunity_id, changed_at), of which it is a superset.
 */
export class Migration20261206320000_report_speed extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "opportunities_live_fund_stage_index" on "opportunities" ("fund_id", "stage", "currency") include ("expected_amount", "commitment_amount", "probability", "owner_id", "priority") where "deleted_at" is null;`,
    );
    this.addSql(
      `create index "contacts_live_type_index" on "contacts" ("contact_type") where "deleted_at" is null;`,
    );
    this.addSql(`drop index "opportunity_stage_history_changed_at_index";`);
    this.addSql(
      `create index "opportunity_stage_history_changed_at_index" on "opportunity_stage_history" ("changed_at", "id");`,
    );
    this.addSql(`drop index "opportunity_stage_history_opportunity_index";`);
    this.addSql(
      `create index "opportunity_stage_history_opportunity_index" on "opportunity_stage_history" ("opportunity_id", "changed_at", "id") include ("to_stage");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "opportunity_stage_history_opportunity_index";`);
    this.addSql(
      `create index "opportunity_stage_history_opportunity_index" on "opportunity_stage_history" ("opportunity_id", "changed_at");`,
    );
    this.addSql(`drop index "opportunity_stage_history_changed_at_index";`);
    this.addSql(
      `create index "opportunity_stage_history_changed_at_index" on "opportunity_stage_history" ("changed_at");`,
    );
    this.addSql(`drop index "contacts_live_type_index";`);
    this.addSql(`drop index "opportunities_live_fund_stage_index";`);
  }
}
