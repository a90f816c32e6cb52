import { Migration } from '@mikro-orm/migrations';

/** The tables pipeline analytics are computed from: a change to any of them notifies REPORTS_CHANNEL. */
const TABLES = ['opportunities', 'opportunity_stage_history', 'funds'];

/**
 * Pipeline analytics kept in memory between changes (ReportCache): a statement that writes deals, their stage
 * history or funds notifies `vcrm_reports` in its transaction (delivered as it commits, once per transaction),
 * and every instance forgets the analytics it keeps.
 */
export class Migration20261206420000_report_notify extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function report_data_changed() returns trigger language plpgsql as $$
      begin
        perform pg_notify('vcrm_reports', '');
        return null;
      end $$;`);
    for (const table of TABLES) {
      this
        .addSql(`create trigger "${table}_report_notify" after insert or update or delete or truncate on "${table}"
        for each statement execute function report_data_changed();`);
    }
  }

  override async down(): Promise<void> {
    for (const table of TABLES) this.addSql(`drop trigger "${table}_report_notify" on "${table}";`);
    this.addSql(`drop function report_data_changed();`);
  }
}
