import { Migration } from '@mikro-orm/migrations';

import { applyFunctionSql, REPORT_TOTALS } from './Migration20261206350000_report_totals.js';

/** Each summary table's group: its unique index (or primary key) over the group's columns, with or without slot. */
const GROUPS = [
  { table: 'report_deal_totals', columns: '"fund_id", "stage", "currency", "owner_id", "priority"' },
  { table: 'report_communication_days', columns: '"day", "created_by_id", "type"' },
];

/**
 * Summary groups in slots: a group of report_deal_totals, report_contact_totals or report_communication_days may
 * be up to SLOTS rows (`slot` 0 to SLOTS - 1), its figures their sum. Every trigger's change to a group went to
 * its one row, whose lock the writing transaction held until it committed: concurrent writes of one group (a
 * script creating communications on many connections, all one author, day and type) ran one after the other,
 * each waiting for the one before to be written to disk. A change now goes to slot 0 when no other open
 * transaction is writing it, else to a slot of its own backend's (slotSql in migration 20261206350000). The
 * reports already add groups up. Measured with pgbench on the benchmark's data, inserting communications of one
 * author, day and type: on 10 connections about 1,250/s with one row per group, 3,000 with slots.
 */
export class Migration20261207100000_report_total_slots extends Migration {
  override async up(): Promise<void> {
    for (const { table, columns } of GROUPS) {
      this.addSql(`alter table "${table}" add column "slot" smallint not null default 0;`);
      this.addSql(`drop index "${table}_group_unique";`);
      this.addSql(
        `create unique index "${table}_group_unique" on "${table}" (${columns}, "slot") nulls not distinct;`,
      );
    }
    this.addSql(`alter table "report_contact_totals" add column "slot" smallint not null default 0;`);
    this.addSql(`alter table "report_contact_totals" drop constraint "report_contact_totals_pkey";`);
    this.addSql(
      `alter table "report_contact_totals" add constraint "report_contact_totals_pkey" primary key ("contact_type", "slot");`,
    );
    for (const t of REPORT_TOTALS) this.addSql(applyFunctionSql(t, true));
  }

  override async down(): Promise<void> {
    for (const t of REPORT_TOTALS) {
      this.addSql(applyFunctionSql(t, false));
      // Each group's slots added into slot 0, then the column goes.
      const keys = Object.keys(t.keys).join(', ');
      const measures = Object.keys(t.measures);
      this.addSql(`with moved as (delete from "${t.table}" where slot <> 0 returning *)
        insert into "${t.table}" as t (${keys}, slot, ${measures.join(', ')})
        select ${keys}, 0, ${measures.map((m) => `sum(${m})`).join(', ')} from moved group by ${keys}
        on conflict (${keys}, slot) do update set ${measures.map((m) => `${m} = t.${m} + excluded.${m}`).join(', ')};`);
    }
    for (const { table, columns } of GROUPS) {
      this.addSql(`drop index "${table}_group_unique";`);
      this.addSql(`alter table "${table}" drop column "slot";`);
      this.addSql(
        `create unique index "${table}_group_unique" on "${table}" (${columns}) nulls not distinct;`,
      );
    }
    this.addSql(`alter table "report_contact_totals" drop constraint "report_contact_totals_pkey";`);
    this.addSql(`alter table "report_contact_totals" drop column "slot";`);
    this.addSql(
      `alter table "report_contact_totals" add constraint "report_contact_totals_pkey" primary key ("contact_type");`,
    );
  }
}
