import { Migration } from '@mikro-orm/migrations';

/**
 * The deals' default order (most recently updated first) becomes an index that also carries `deleted_at` and the
 * search text, as the contacts' name order does: a search alone then reads its first matches along it, from the
 * index only, instead of scanning the table until it has them ("son" among 50,000 deals: 27 ms, now 4 ms).
 */
export class Migration20261207310000_opportunity_search_order extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "opportunities_updated_at_index";`);
    this.addSql(
      `create index "opportunities_updated_at_index" on "opportunities" ("updated_at", "id") include ("deleted_at", "search_text");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "opportunities_updated_at_index";`);
    this.addSql(`create index "opportunities_updated_at_index" on "opportunities" ("updated_at");`);
  }
}
