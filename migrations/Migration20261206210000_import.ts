import { Migration } from '@mikro-orm/migrations';

/**
 * Imports: one batch per import run (its options and report), and one row per record the batch created or
 * updated — with the version it left and, for an update, the values it replaced — so a batch can be undone.
 */
export class Migration20261206210000_import extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "import_batch_status" as enum ('committed', 'undone');`);
    this.addSql(
      `create table "import_batches" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "entity_type" varchar(32) not null, "status" "import_batch_status" not null default 'committed', "file_name" varchar(255) null, "options" jsonb not null, "report" jsonb not null, "created_by_id" uuid null, "actor_label" varchar(200) not null, "undone_at" timestamptz null, "undone_by_id" uuid null, constraint "import_batches_pkey" primary key ("id"), constraint import_batches_undone_check check (("status" = 'undone') = ("undone_at" is not null)));`,
    );
    this.addSql(`create index "import_batches_created_at_index" on "import_batches" ("created_at");`);
    this.addSql(
      `alter table "import_batches" add constraint "import_batches_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "import_batches" add constraint "import_batches_undone_by_id_foreign" foreign key ("undone_by_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(`create type "import_record_action" as enum ('created', 'updated');`);
    this.addSql(
      `create table "import_batch_records" ("id" uuid not null default gen_random_uuid(), "batch_id" uuid not null, "row" int not null, "entity_type" varchar(32) not null, "entity_id" uuid not null, "action" "import_record_action" not null, "version" int not null, "previous" jsonb null, constraint "import_batch_records_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "import_batch_records_batch_id_index" on "import_batch_records" ("batch_id", "row");`,
    );
    this.addSql(
      `create index "import_batch_records_entity_index" on "import_batch_records" ("entity_type", "entity_id");`,
    );
    this.addSql(
      `alter table "import_batch_records" add constraint "import_batch_records_batch_id_foreign" foreign key ("batch_id") references "import_batches" ("id") on update cascade on delete cascade;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "import_batch_records" cascade;`);
    this.addSql(`drop table if exists "import_batches" cascade;`);
    this.addSql(`drop type "import_record_action";`);
    this.addSql(`drop type "import_batch_status";`);
  }
}
