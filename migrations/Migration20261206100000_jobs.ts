import { Migration } from '@mikro-orm/migrations';

/** Scheduled jobs: a row per run (job_runs), one reminder per task and due date, per-user mail preferences. */
export class Migration20261206100000_jobs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "job_trigger" as enum ('schedule', 'api', 'admin', 'cli');`);
    this.addSql(
      `create type "job_run_status" as enum ('running', 'success', 'failed', 'skipped', 'interrupted');`,
    );
    this.addSql(
      `create table "job_runs" ("id" uuid not null default gen_random_uuid(), "job" varchar(32) not null, "instance" varchar(200) not null, "trigger" "job_trigger" not null, "scheduled_for" timestamptz null, "started_at" timestamptz not null default now(), "finished_at" timestamptz null, "status" "job_run_status" not null, "details" jsonb null, constraint "job_runs_pkey" primary key ("id"), constraint job_runs_finished_at_check check (("status" = 'running') = ("finished_at" is null)));`,
    );
    this.addSql(
      `create unique index "job_runs_job_slot_unique" on "job_runs" ("job", "scheduled_for") where "scheduled_for" is not null and "status" <> 'skipped';`,
    );
    this.addSql(
      `create index "job_runs_job_status_finished_at_index" on "job_runs" ("job", "status", "finished_at");`,
    );
    this.addSql(`create index "job_runs_started_at_index" on "job_runs" ("started_at");`);

    this.addSql(
      `create table "task_reminders" ("id" uuid not null default gen_random_uuid(), "task_id" uuid not null, "due_date" date not null, "recipient" varchar(254) not null, "sent_at" timestamptz not null default now(), constraint "task_reminders_pkey" primary key ("id"));`,
    );
    this.addSql(
      `alter table "task_reminders" add constraint "task_reminders_task_due_date_unique" unique ("task_id", "due_date");`,
    );

    this.addSql(
      `alter table "task_reminders" add constraint "task_reminders_task_id_foreign" foreign key ("task_id") references "tasks" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `alter table "users" add column "digest_enabled" boolean not null default true, add column "reminders_enabled" boolean not null default true;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "job_runs" cascade;`);

    this.addSql(`drop table if exists "task_reminders" cascade;`);

    this.addSql(`alter table "users" drop column "digest_enabled", drop column "reminders_enabled";`);

    this.addSql(`drop type "job_trigger";`);
    this.addSql(`drop type "job_run_status";`);
  }
}
