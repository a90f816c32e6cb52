import { Migration } from '@mikro-orm/migrations';

export class Migration20261122003655_communication_sort_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop index "communications_type_index";`);

    this.addSql(`create index "communications_created_at_index" on "communications" ("created_at");`);
    this.addSql(
      `create index "communications_type_date_index" on "communications" ("type", "communication_date");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "communications_created_at_index";`);
    this.addSql(`drop index "communications_type_date_index";`);

    this.addSql(`create index "communications_type_index" on "communications" ("type");`);
  }
}
