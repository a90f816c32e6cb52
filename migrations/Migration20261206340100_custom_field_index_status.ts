import { Migration } from '@mikro-orm/migrations';

/**
 * Custom-field expression indexes are now built CONCURRENTLY after the definition's change commits: each
 * number, currency or date definition shows whether its index is building, ready or failed. Existing ones were
 * built inside their definition's transaction, so they are ready.
 */
export class Migration20261206340100_custom_field_index_status extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "custom_field_index_status" as enum ('building', 'ready', 'failed');`);
    this.addSql(
      `alter table "custom_field_definitions" add column "index_status" "custom_field_index_status" null;`,
    );
    this.addSql(
      `update "custom_field_definitions" set "index_status" = 'ready' where "field_type" in ('number', 'currency', 'date');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "custom_field_definitions" drop column "index_status";`);
    this.addSql(`drop type "custom_field_index_status";`);
  }
}
