import { Migration } from '@mikro-orm/migrations';

export class Migration20261122005448_opportunity_sort_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "opportunities_expected_amount_index" on "opportunities" ("expected_amount" desc nulls last);`,
    );
    this.addSql(
      `create index "opportunities_expected_close_date_index" on "opportunities" ("expected_close_date");`,
    );
    this.addSql(
      `create index "opportunities_probability_index" on "opportunities" ("probability", "updated_at");`,
    );
    this.addSql(`create index "opportunities_name_index" on "opportunities" ("name");`);
    this.addSql(`create index "opportunities_created_at_index" on "opportunities" ("created_at");`);
    this.addSql(`create index "opportunities_updated_at_index" on "opportunities" ("updated_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "opportunities_expected_amount_index";`);
    this.addSql(`drop index "opportunities_expected_close_date_index";`);
    this.addSql(`drop index "opportunities_probability_index";`);
    this.addSql(`drop index "opportunities_name_index";`);
    this.addSql(`drop index "opportunities_created_at_index";`);
    this.addSql(`drop index "opportunities_updated_at_index";`);
  }
}
