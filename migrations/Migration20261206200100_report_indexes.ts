import { Migration } from '@mikro-orm/migrations';

/**
 * Reports count communications over a window of days by author and type, hiding those of deleted contacts
 * and opportunities: with every column they read in the date index, PostgreSQL answers from the index
 * alone instead of visiting ~100k scattered table rows. It has the key of communications_date_index,
 * which it replaces.
 */
export class Migration20261206200100_report_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "communications_date_covering_index" on "communications" ("communication_date") include ("created_by_id", "type", "contact_id", "opportunity_id");`,
    );
    this.addSql(`drop index "communications_date_index";`);
  }

  override async down(): Promise<void> {
    this.addSql(`create index "communications_date_index" on "communications" ("communication_date");`);
    this.addSql(`drop index "communications_date_covering_index";`);
  }
}
