import { Migration } from '@mikro-orm/migrations';

export class Migration20261122002837_audit_and_custom_fields extends Migration {
  override up(): void {
    this.addSql(
      `create type "custom_field_entity_type" as enum ('contact', 'organization', 'opportunity', 'lp_profile');`,
    );
    this.addSql(
      `create type "custom_field_type" as enum ('text', 'long_text', 'number', 'currency', 'date', 'boolean', 'select', 'multi_select', 'url', 'email');`,
    );
    this.addSql(
      `create table "custom_field_definitions" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "entity_type" "custom_field_entity_type" not null, "key" varchar(63) not null, "label" varchar(100) not null, "field_type" "custom_field_type" not null, "options" jsonb not null default '[]', "required" boolean not null default false, "display_order" int not null default 0, "help_text" varchar(500) null, constraint "custom_field_definitions_pkey" primary key ("id"), constraint custom_field_definitions_label_check check ("label" ~ '\\S'), constraint custom_field_definitions_key_check check ("key" ~ '^[a-z][a-z0-9_]{0,62}\$'));`,
    );
    this.addSql(
      `alter table "custom_field_definitions" add constraint "custom_field_definitions_entity_key_unique" unique ("entity_type", "key");`,
    );

    // The audit log is append-only: the database itself refuses to change or remove a row.
    this.addSql(`create function "audit_log_append_only"() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
      end
    $$;`);
    this.addSql(`create trigger "audit_log_no_update_delete" before update or delete on "audit_log"
      for each row execute function "audit_log_append_only"();`);
    this.addSql(`create trigger "audit_log_no_truncate" before truncate on "audit_log"
      for each statement execute function "audit_log_append_only"();`);
  }

  override down(): void {
    this.addSql(`drop trigger if exists "audit_log_no_truncate" on "audit_log";`);
    this.addSql(`drop trigger if exists "audit_log_no_update_delete" on "audit_log";`);
    this.addSql(`drop function if exists "audit_log_append_only"();`);
    this.addSql(`drop table if exists "custom_field_definitions" cascade;`);

    this.addSql(`drop type "custom_field_entity_type";`);
    this.addSql(`drop type "custom_field_type";`);
  }
}
