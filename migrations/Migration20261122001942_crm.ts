import { Migration } from '@mikro-orm/migrations';

export class Migration20261122001942_crm extends Migration {
  override up(): void {
    this.addSql(`create type "fund_status" as enum ('raising', 'closed');`);
    this.addSql(
      `create type "organization_type" as enum ('family_office', 'pension', 'endowment', 'foundation', 'sovereign_wealth', 'insurance', 'fund_of_funds', 'wealth_manager', 'corporate', 'bank', 'individual', 'other');`,
    );
    this.addSql(`create type "contact_type" as enum ('investor', 'prospect', 'advisor', 'other');`);
    this.addSql(`create type "contact_status" as enum ('active', 'inactive', 'do_not_contact');`);
    this.addSql(
      `create type "contact_method" as enum ('email', 'phone', 'text', 'video', 'in_person', 'linkedin');`,
    );
    this.addSql(
      `create type "opportunity_stage" as enum ('lead', 'outreach', 'meeting', 'due_diligence', 'committed', 'funded', 'lost');`,
    );
    this.addSql(`create type "priority" as enum ('low', 'medium', 'high');`);
    this.addSql(`create type "task_status" as enum ('open', 'done');`);
    this.addSql(
      `create type "investor_type" as enum ('individual', 'trust', 'family_office', 'foundation', 'endowment', 'pension', 'fund_of_funds', 'sovereign_wealth', 'insurance', 'corporate', 'bank', 'wealth_manager', 'other');`,
    );
    this.addSql(`create type "communication_type" as enum ('email', 'call', 'meeting', 'note', 'text');`);
    this.addSql(
      `create table "funds" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(100) not null, "target_amount" numeric(15,2) null, "currency" varchar(3) not null default 'USD', "vintage_year" int null, "status" "fund_status" not null default 'raising', constraint "funds_pkey" primary key ("id"), constraint funds_currency_check check ("currency" ~ '^[A-Z]{3}\$'), constraint funds_vintage_year_check check ("vintage_year" is null or ("vintage_year" >= 1900 and "vintage_year" <= 2200)), constraint funds_target_amount_check check ("target_amount" is null or "target_amount" >= 0), constraint funds_name_check check ("name" ~ '\\S'));`,
    );
    this.addSql(`create unique index "funds_name_lower_unique" on "funds" (lower("name"));`);

    this.addSql(
      `create table "tags" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(60) not null, "color" varchar(7) not null default '#64748b', constraint "tags_pkey" primary key ("id"), constraint tags_name_check check ("name" ~ '\\S'), constraint tags_color_check check ("color" ~ '^#[0-9a-fA-F]{6}\$'));`,
    );
    this.addSql(`create unique index "tags_name_lower_unique" on "tags" (lower("name"));`);

    this.addSql(
      `create table "organizations" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "custom_fields" jsonb not null default '{}', "deleted_at" timestamptz null, "deleted_by_id" uuid null, "name" varchar(200) not null, "type" "organization_type" not null default 'other', "industry" varchar(120) null, "website" varchar(500) null, "phone" varchar(50) null, "email" varchar(254) null, "address" varchar(500) null, "city" varchar(120) null, "state" varchar(120) null, "country" varchar(120) null, "description" text null, constraint "organizations_pkey" primary key ("id"), constraint organizations_name_check check ("name" ~ '\\S'));`,
    );
    this.addSql(
      `create index "organizations_custom_fields_index" on "organizations" using gin ("custom_fields" jsonb_path_ops);`,
    );
    this.addSql(
      `create index "organizations_name_trgm_index" on "organizations" using gin ("name" gin_trgm_ops);`,
    );
    this.addSql(`create index "organizations_deleted_at_index" on "organizations" ("deleted_at");`);
    this.addSql(`create index "organizations_type_index" on "organizations" ("type");`);
    this.addSql(`create index "organizations_name_index" on "organizations" ("name");`);

    this.addSql(
      `create table "organization_tags" ("organization_id" uuid not null, "tag_id" uuid not null, constraint "organization_tags_pkey" primary key ("organization_id", "tag_id"));`,
    );
    this.addSql(`create index "organization_tags_tag_id_index" on "organization_tags" ("tag_id");`);

    this.addSql(
      `create table "contacts" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "custom_fields" jsonb not null default '{}', "deleted_at" timestamptz null, "deleted_by_id" uuid null, "first_name" varchar(100) not null, "last_name" varchar(100) not null default '', "email" varchar(254) null, "phone" varchar(50) null, "mobile" varchar(50) null, "title" varchar(150) null, "organization_id" uuid null, "contact_type" "contact_type" not null default 'prospect', "status" "contact_status" not null default 'active', "source" varchar(100) null, "notes" text null, "linkedin_url" varchar(500) null, "preferred_contact" "contact_method" null, "owner_id" uuid null, constraint "contacts_pkey" primary key ("id"), constraint contacts_email_check check ("email" is null or "email" ~ '^[^@]+@[^@]+\$'), constraint contacts_first_name_check check ("first_name" ~ '\\S'));`,
    );
    this.addSql(
      `create index "contacts_custom_fields_index" on "contacts" using gin ("custom_fields" jsonb_path_ops);`,
    );
    this.addSql(
      `create index "contacts_search_trgm_index" on "contacts" using gin ((lower("first_name" || ' ' || "last_name" || ' ' || coalesce("email", ''))) gin_trgm_ops);`,
    );
    this.addSql(`create index "contacts_deleted_at_index" on "contacts" ("deleted_at");`);
    this.addSql(`create index "contacts_status_index" on "contacts" ("status");`);
    this.addSql(`create index "contacts_type_index" on "contacts" ("contact_type");`);
    this.addSql(`create index "contacts_owner_id_index" on "contacts" ("owner_id");`);
    this.addSql(`create index "contacts_organization_id_index" on "contacts" ("organization_id");`);
    this.addSql(`create index "contacts_name_sort_index" on "contacts" ("last_name", "first_name", "id");`);
    this.addSql(
      `create unique index "contacts_email_lower_unique" on "contacts" (lower("email")) where "deleted_at" is null and "email" is not null;`,
    );

    this.addSql(
      `create table "opportunities" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "custom_fields" jsonb not null default '{}', "deleted_at" timestamptz null, "deleted_by_id" uuid null, "name" varchar(200) not null, "contact_id" uuid null, "organization_id" uuid null, "fund_id" uuid null, "stage" "opportunity_stage" not null default 'lead', "stage_changed_at" timestamptz not null default now(), "expected_amount" numeric(15,2) null, "commitment_amount" numeric(15,2) null, "currency" varchar(3) not null default 'USD', "probability" int not null, "expected_close_date" date null, "description" text null, "next_step" varchar(500) null, "owner_id" uuid null, "priority" "priority" not null default 'medium', "lost_reason" text null, constraint "opportunities_pkey" primary key ("id"), constraint opportunities_currency_check check ("currency" ~ '^[A-Z]{3}\$'), constraint opportunities_lost_reason_check check ("stage" <> 'lost' or "lost_reason" ~ '\\S'), constraint opportunities_probability_check check ("probability" >= 0 and "probability" <= 100), constraint opportunities_commitment_amount_check check ("commitment_amount" is null or "commitment_amount" >= 0), constraint opportunities_expected_amount_check check ("expected_amount" is null or "expected_amount" >= 0), constraint opportunities_name_check check ("name" ~ '\\S'));`,
    );
    this.addSql(
      `create index "opportunities_custom_fields_index" on "opportunities" using gin ("custom_fields" jsonb_path_ops);`,
    );
    this.addSql(
      `create index "opportunities_name_trgm_index" on "opportunities" using gin ("name" gin_trgm_ops);`,
    );
    this.addSql(`create index "opportunities_deleted_at_index" on "opportunities" ("deleted_at");`);
    this.addSql(`create index "opportunities_priority_index" on "opportunities" ("priority");`);
    this.addSql(`create index "opportunities_organization_id_index" on "opportunities" ("organization_id");`);
    this.addSql(`create index "opportunities_contact_id_index" on "opportunities" ("contact_id");`);
    this.addSql(`create index "opportunities_fund_id_index" on "opportunities" ("fund_id");`);
    this.addSql(`create index "opportunities_owner_id_index" on "opportunities" ("owner_id");`);
    this.addSql(`create index "opportunities_stage_index" on "opportunities" ("stage", "updated_at");`);

    this.addSql(
      `create table "tasks" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "title" varchar(300) not null, "description" text null, "due_date" date null, "status" "task_status" not null default 'open', "priority" "priority" not null default 'medium', "assignee_id" uuid null, "contact_id" uuid null, "organization_id" uuid null, "opportunity_id" uuid null, "completed_at" timestamptz null, "created_by_id" uuid null, constraint "tasks_pkey" primary key ("id"), constraint tasks_completed_at_check check (("status" = 'done') = ("completed_at" is not null)), constraint tasks_title_check check ("title" ~ '\\S'));`,
    );
    this.addSql(`create index "tasks_opportunity_id_index" on "tasks" ("opportunity_id");`);
    this.addSql(`create index "tasks_organization_id_index" on "tasks" ("organization_id");`);
    this.addSql(`create index "tasks_contact_id_index" on "tasks" ("contact_id");`);
    this.addSql(`create index "tasks_status_due_index" on "tasks" ("status", "due_date");`);
    this.addSql(
      `create index "tasks_assignee_status_due_index" on "tasks" ("assignee_id", "status", "due_date");`,
    );

    this.addSql(
      `create table "opportunity_stage_history" ("id" uuid not null default gen_random_uuid(), "opportunity_id" uuid not null, "from_stage" "opportunity_stage" null, "to_stage" "opportunity_stage" not null, "changed_at" timestamptz not null default now(), "changed_by_id" uuid null, constraint "opportunity_stage_history_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create index "opportunity_stage_history_changed_at_index" on "opportunity_stage_history" ("changed_at");`,
    );
    this.addSql(
      `create index "opportunity_stage_history_opportunity_index" on "opportunity_stage_history" ("opportunity_id", "changed_at");`,
    );

    this.addSql(
      `create table "lp_profiles" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "custom_fields" jsonb not null default '{}', "contact_id" uuid not null, "fund_id" uuid not null, "commitment_amount" numeric(15,2) not null default 0, "funded_amount" numeric(15,2) not null default 0, "currency" varchar(3) not null default 'USD', "commitment_date" date null, "investor_type" "investor_type" null, "accredited" boolean not null default false, "legal_docs_signed" boolean not null default false, "signed_date" date null, "wire_received" boolean not null default false, "wire_date" date null, "k1_sent" boolean not null default false, "preferred_communication" "contact_method" null, "notes" text null, constraint "lp_profiles_pkey" primary key ("id"), constraint lp_profiles_currency_check check ("currency" ~ '^[A-Z]{3}\$'), constraint lp_profiles_funded_le_commitment_check check ("funded_amount" <= "commitment_amount"), constraint lp_profiles_funded_amount_check check ("funded_amount" >= 0), constraint lp_profiles_commitment_amount_check check ("commitment_amount" >= 0));`,
    );
    this.addSql(
      `create index "lp_profiles_custom_fields_index" on "lp_profiles" using gin ("custom_fields" jsonb_path_ops);`,
    );
    this.addSql(`create index "lp_profiles_fund_id_index" on "lp_profiles" ("fund_id");`);
    this.addSql(
      `alter table "lp_profiles" add constraint "lp_profiles_contact_fund_unique" unique ("contact_id", "fund_id");`,
    );

    this.addSql(
      `create table "contact_tags" ("contact_id" uuid not null, "tag_id" uuid not null, constraint "contact_tags_pkey" primary key ("contact_id", "tag_id"));`,
    );
    this.addSql(`create index "contact_tags_tag_id_index" on "contact_tags" ("tag_id");`);

    this.addSql(
      `create table "communications" ("id" uuid not null default gen_random_uuid(), "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "contact_id" uuid null, "opportunity_id" uuid null, "type" "communication_type" not null, "subject" varchar(300) null, "body" text null, "communication_date" timestamptz not null default now(), "duration_minutes" int null, "outcome" varchar(500) null, "next_action" varchar(500) null, "next_action_date" date null, "attendees" jsonb not null default '[]', "created_by_id" uuid null, constraint "communications_pkey" primary key ("id"), constraint communications_duration_check check ("duration_minutes" is null or "duration_minutes" >= 0), constraint communications_link_check check ("contact_id" is not null or "opportunity_id" is not null));`,
    );
    this.addSql(
      `create index "communications_search_index" on "communications" using gin ((to_tsvector('english', coalesce("subject", '') || ' ' || coalesce("body", ''))));`,
    );
    this.addSql(
      `create index "communications_next_action_index" on "communications" ("next_action_date") where "next_action_date" is not null;`,
    );
    this.addSql(
      `create index "communications_created_by_index" on "communications" ("created_by_id", "communication_date");`,
    );
    this.addSql(`create index "communications_type_index" on "communications" ("type");`);
    this.addSql(`create index "communications_date_index" on "communications" ("communication_date");`);
    this.addSql(
      `create index "communications_opportunity_date_index" on "communications" ("opportunity_id", "communication_date");`,
    );
    this.addSql(
      `create index "communications_contact_date_index" on "communications" ("contact_id", "communication_date");`,
    );

    this.addSql(
      `alter table "organizations" add constraint "organizations_deleted_by_id_foreign" foreign key ("deleted_by_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "organization_tags" add constraint "organization_tags_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "organization_tags" add constraint "organization_tags_tag_id_foreign" foreign key ("tag_id") references "tags" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "contacts" add constraint "contacts_deleted_by_id_foreign" foreign key ("deleted_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "contacts" add constraint "contacts_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "contacts" add constraint "contacts_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "opportunities" add constraint "opportunities_deleted_by_id_foreign" foreign key ("deleted_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "opportunities" add constraint "opportunities_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "opportunities" add constraint "opportunities_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "opportunities" add constraint "opportunities_fund_id_foreign" foreign key ("fund_id") references "funds" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "opportunities" add constraint "opportunities_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "tasks" add constraint "tasks_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "tasks" add constraint "tasks_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "tasks" add constraint "tasks_organization_id_foreign" foreign key ("organization_id") references "organizations" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "tasks" add constraint "tasks_opportunity_id_foreign" foreign key ("opportunity_id") references "opportunities" ("id") on update cascade on delete set null;`,
    );
    this.addSql(
      `alter table "tasks" add constraint "tasks_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "opportunity_stage_history" add constraint "opportunity_stage_history_opportunity_id_foreign" foreign key ("opportunity_id") references "opportunities" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "opportunity_stage_history" add constraint "opportunity_stage_history_changed_by_id_foreign" foreign key ("changed_by_id") references "users" ("id") on update cascade on delete set null;`,
    );

    this.addSql(
      `alter table "lp_profiles" add constraint "lp_profiles_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "lp_profiles" add constraint "lp_profiles_fund_id_foreign" foreign key ("fund_id") references "funds" ("id") on update cascade on delete restrict;`,
    );

    this.addSql(
      `alter table "contact_tags" add constraint "contact_tags_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete cascade;`,
    );
    this.addSql(
      `alter table "contact_tags" add constraint "contact_tags_tag_id_foreign" foreign key ("tag_id") references "tags" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "communications" add constraint "communications_contact_id_foreign" foreign key ("contact_id") references "contacts" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "communications" add constraint "communications_opportunity_id_foreign" foreign key ("opportunity_id") references "opportunities" ("id") on update cascade on delete restrict;`,
    );
    this.addSql(
      `alter table "communications" add constraint "communications_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`,
    );
  }

  override down(): void {
    this.addSql(`alter table "opportunities" drop constraint "opportunities_fund_id_foreign";`);

    this.addSql(`alter table "lp_profiles" drop constraint "lp_profiles_fund_id_foreign";`);

    this.addSql(`alter table "organization_tags" drop constraint "organization_tags_tag_id_foreign";`);

    this.addSql(`alter table "contact_tags" drop constraint "contact_tags_tag_id_foreign";`);

    this.addSql(
      `alter table "organization_tags" drop constraint "organization_tags_organization_id_foreign";`,
    );

    this.addSql(`alter table "contacts" drop constraint "contacts_organization_id_foreign";`);

    this.addSql(`alter table "opportunities" drop constraint "opportunities_organization_id_foreign";`);

    this.addSql(`alter table "tasks" drop constraint "tasks_organization_id_foreign";`);

    this.addSql(`alter table "opportunities" drop constraint "opportunities_contact_id_foreign";`);

    this.addSql(`alter table "tasks" drop constraint "tasks_contact_id_foreign";`);

    this.addSql(`alter table "lp_profiles" drop constraint "lp_profiles_contact_id_foreign";`);

    this.addSql(`alter table "contact_tags" drop constraint "contact_tags_contact_id_foreign";`);

    this.addSql(`alter table "communications" drop constraint "communications_contact_id_foreign";`);

    this.addSql(`alter table "tasks" drop constraint "tasks_opportunity_id_foreign";`);

    this.addSql(
      `alter table "opportunity_stage_history" drop constraint "opportunity_stage_history_opportunity_id_foreign";`,
    );

    this.addSql(`alter table "communications" drop constraint "communications_opportunity_id_foreign";`);

    this.addSql(`drop table if exists "funds" cascade;`);

    this.addSql(`drop table if exists "tags" cascade;`);

    this.addSql(`drop table if exists "organizations" cascade;`);

    this.addSql(`drop table if exists "organization_tags" cascade;`);

    this.addSql(`drop table if exists "contacts" cascade;`);

    this.addSql(`drop table if exists "opportunities" cascade;`);

    this.addSql(`drop table if exists "tasks" cascade;`);

    this.addSql(`drop table if exists "opportunity_stage_history" cascade;`);

    this.addSql(`drop table if exists "lp_profiles" cascade;`);

    this.addSql(`drop table if exists "contact_tags" cascade;`);

    this.addSql(`drop table if exists "communications" cascade;`);

    this.addSql(`drop type "fund_status";`);
    this.addSql(`drop type "organization_type";`);
    this.addSql(`drop type "contact_type";`);
    this.addSql(`drop type "contact_status";`);
    this.addSql(`drop type "contact_method";`);
    this.addSql(`drop type "opportunity_stage";`);
    this.addSql(`drop type "priority";`);
    this.addSql(`drop type "task_status";`);
    this.addSql(`drop type "investor_type";`);
    this.addSql(`drop type "communication_type";`);
  }
}
