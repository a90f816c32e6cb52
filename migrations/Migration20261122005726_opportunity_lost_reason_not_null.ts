import { Migration } from '@mikro-orm/migrations';

/**
 * The first version of this check let a lost opportunity without a reason through: with lost_reason null,
 * `"lost_reason" ~ '\S'` is null, and PostgreSQL accepts a CHECK that evaluates to null.
 */
export class Migration20261122005726_opportunity_lost_reason_not_null extends Migration {
  override up(): void {
    this.addSql(
      `update "opportunities" set "lost_reason" = '(not recorded)' where "stage" = 'lost' and coalesce("lost_reason", '') !~ '\\S';`,
    );
    this.addSql(`alter table "opportunities" drop constraint "opportunities_lost_reason_check";`);
    this.addSql(
      `alter table "opportunities" add constraint "opportunities_lost_reason_check" check ("stage" <> 'lost' or coalesce("lost_reason", '') ~ '\\S');`,
    );
  }

  override down(): void {
    this.addSql(`alter table "opportunities" drop constraint "opportunities_lost_reason_check";`);
    this.addSql(
      `alter table "opportunities" add constraint "opportunities_lost_reason_check" check ("stage" <> 'lost' or "lost_reason" ~ '\\S');`,
    );
  }
}
