import { Migration } from '@mikro-orm/migrations';

/**
 * Lists read their page from indexes alone: the contact sort indexes and the opportunity stage index carry
 * `deleted_at` (and the contact name order the search text), and the contact search text becomes a stored
 * generated column instead of an expression computed again for every row a search walks past.
 */
const CONTACT_SORTS: [name: string, columns: string, include: string][] = [
  ['contacts_name_sort_index', '"last_name", "first_name", "id"', '"deleted_at", "search_text"'],
  ['contacts_first_name_sort_index', '"first_name", "last_name", "id"', '"deleted_at"'],
  ['contacts_email_sort_index', '"email", "id"', '"deleted_at"'],
  ['contacts_created_at_sort_index', '"created_at", "id"', '"deleted_at"'],
  ['contacts_updated_at_sort_index', '"updated_at", "id"', '"deleted_at"'],
];

export class Migration20261122033547_list_covering_indexes extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "contacts" add column "search_text" text generated always as (lower("first_name" || ' ' || "last_name" || ' ' || coalesce("email", ''::character varying))) stored not null;`,
    );
    this.addSql(`drop index "contacts_search_trgm_index";`);
    this.addSql(
      `create index "contacts_search_trgm_index" on "contacts" using gin ("search_text" gin_trgm_ops);`,
    );
    for (const [name, columns, include] of CONTACT_SORTS) {
      this.addSql(`drop index "${name}";`);
      this.addSql(`create index "${name}" on "contacts" (${columns}) include (${include});`);
    }
    this.addSql(`drop index "opportunities_stage_index";`);
    this.addSql(
      `create index "opportunities_stage_index" on "opportunities" ("stage", "updated_at", "id") include ("deleted_at");`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "opportunities_stage_index";`);
    this.addSql(`create index "opportunities_stage_index" on "opportunities" ("stage", "updated_at");`);
    for (const [name, columns] of CONTACT_SORTS) {
      this.addSql(`drop index "${name}";`);
      this.addSql(`create index "${name}" on "contacts" (${columns});`);
    }
    this.addSql(`drop index "contacts_search_trgm_index";`);
    this.addSql(
      `create index "contacts_search_trgm_index" on "contacts" using gin ((lower("first_name" || ' ' || "last_name" || ' ' || coalesce("email", ''))) gin_trgm_ops);`,
    );
    this.addSql(`alter table "contacts" drop column "search_text";`);
  }
}
