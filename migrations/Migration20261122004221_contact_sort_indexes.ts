import { Migration } from '@mikro-orm/migrations';

export class Migration20261122004221_contact_sort_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "contacts_updated_at_sort_index" on "contacts" ("updated_at", "id");`);
    this.addSql(`create index "contacts_created_at_sort_index" on "contacts" ("created_at", "id");`);
    this.addSql(`create index "contacts_email_sort_index" on "contacts" ("email", "id");`);
    this.addSql(
      `create index "contacts_first_name_sort_index" on "contacts" ("first_name", "last_name", "id");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "contacts_updated_at_sort_index";`);
    this.addSql(`drop index "contacts_created_at_sort_index";`);
    this.addSql(`drop index "contacts_email_sort_index";`);
    this.addSql(`drop index "contacts_first_name_sort_index";`);
  }
}
