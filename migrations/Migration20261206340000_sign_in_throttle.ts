import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in attempt counters shared by every instance (the API's and the back office's limits): one row per
 * throttled key and window. UNLOGGED — counters that last a minute need no WAL and no replica; a crash
 * empties the table, which only resets the current minute's counts.
 */
export class Migration20261206340000_sign_in_throttle extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create unlogged table "sign_in_throttle" ("key" text not null, "hits" int not null, "window_ends_at" timestamptz not null, "blocked_until" timestamptz null, constraint "sign_in_throttle_pkey" primary key ("key"));`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sign_in_throttle";`);
  }
}
