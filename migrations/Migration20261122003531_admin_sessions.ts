import { Migration } from '@mikro-orm/migrations';

/** Back office (AdminJS) sessions, kept by connect-pg-simple: they survive restarts and are shared by instances. */
export class Migration20261122003531_admin_sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "admin_sessions" ("sid" varchar(255) not null, "sess" json not null, "expire" timestamptz(6) not null, constraint "admin_sessions_pkey" primary key ("sid"));`,
    );
    this.addSql(`create index "admin_sessions_expire_index" on "admin_sessions" ("expire");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "admin_sessions";`);
  }
}
