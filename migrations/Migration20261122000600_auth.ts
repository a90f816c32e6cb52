import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000600_auth extends Migration {
  override up(): void {
    this.addSql(`create type "audit_source" as enum ('api', 'admin', 'import', 'cli', 'system');`);
    this.addSql(`create type "user_role" as enum ('member', 'manager', 'admin');`);

    this.addSql(`create table "users" (
      "id" uuid not null default gen_random_uuid(),
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "username" varchar(64) not null,
      "email" varchar(254) not null,
      "full_name" varchar(200) not null,
      "role" "user_role" not null default 'member',
      "is_active" boolean not null default true,
      "password_hash" text not null,
      "last_login_at" timestamptz null,
      "failed_login_count" int not null default 0,
      "locked_until" timestamptz null,
      "token_version" int not null default 0,
      "two_factor_enabled" boolean not null default false,
      "two_factor_secret" text null,
      "two_factor_pending_secret" text null,
      "two_factor_last_step" bigint null,
      "recovery_code_hashes" jsonb not null default '[]',
      constraint "users_pkey" primary key ("id"),
      constraint "users_username_format_check" check ("username" ~ '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$'),
      constraint "users_email_format_check" check ("email" ~ '^[^@\\s]+@[^@\\s]+$'),
      constraint "users_two_factor_check" check (not "two_factor_enabled" or "two_factor_secret" is not null)
    );`);
    this.addSql(`create unique index "users_username_lower_unique" on "users" (lower("username"));`);
    this.addSql(`create unique index "users_email_lower_unique" on "users" (lower("email"));`);

    this.addSql(`create table "api_tokens" (
      "id" uuid not null default gen_random_uuid(),
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      "name" varchar(100) not null,
      "role" "user_role" not null,
      "user_id" uuid not null,
      "token_hash" varchar(64) not null,
      "token_prefix" varchar(16) not null,
      "expires_at" timestamptz null,
      "last_used_at" timestamptz null,
      "revoked_at" timestamptz null,
      constraint "api_tokens_pkey" primary key ("id"),
      constraint "api_tokens_token_hash_unique" unique ("token_hash"),
      constraint "api_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade
    );`);
    this.addSql(`create index "api_tokens_user_id_index" on "api_tokens" ("user_id");`);

    this.addSql(`create table "audit_log" (
      "id" uuid not null default gen_random_uuid(),
      "created_at" timestamptz not null default now(),
      "actor_user_id" uuid null,
      "actor_token_id" uuid null,
      "actor_label" varchar(200) not null,
      "source" "audit_source" not null,
      "action" varchar(64) not null,
      "entity_type" varchar(64) null,
      "entity_id" uuid null,
      "changes" jsonb null,
      "request_id" varchar(128) null,
      "ip" varchar(64) null,
      "meta" jsonb null,
      constraint "audit_log_pkey" primary key ("id")
    );`);
    this.addSql(`create index "audit_log_created_at_index" on "audit_log" ("created_at");`);
    this.addSql(`create index "audit_log_action_index" on "audit_log" ("action", "created_at");`);
    this.addSql(`create index "audit_log_actor_index" on "audit_log" ("actor_user_id", "created_at");`);
    this.addSql(
      `create index "audit_log_entity_index" on "audit_log" ("entity_type", "entity_id", "created_at");`,
    );
  }

  override down(): void {
    this.addSql(`drop table if exists "audit_log";`);
    this.addSql(`drop table if exists "api_tokens";`);
    this.addSql(`drop table if exists "users";`);
    this.addSql(`drop type "user_role";`);
    this.addSql(`drop type "audit_source";`);
  }
}
