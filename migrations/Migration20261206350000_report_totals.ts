import { Migration } from '@mikro-orm/migrations';

/** A summary table kept exact by statement triggers on its base table: what is grouped and what is added. */
interface Totals {
  table: string;
  base: string;
  keys: string[];
  /** Summary column → the value one live base row (alias r) adds to it. */
  measures: Record<string, string>;
}

const DEALS: Totals = {
  table: 'report_deal_totals',
  base: 'opportunities',
  keys: ['fund_id', 'stage', 'currency', 'owner_id', 'priority'],
  measures: {
    deals: '1',
    expected: 'r.expected_amount',
    committed: 'r.commitment_amount',
    weighted: 'round(r.expected_amount * r.probability / 100.0, 2)',
  },
};

const CONTACTS: Totals = {
  table: 'report_contact_totals',
  base: 'contacts',
  keys: ['contact_type'],
  measures: { contacts: '1' },
};

/**
 * The change one statement makes to the groups: its live rows before (old_rows, counted negatively) and after
 * (new_rows), added up per group, groups without any change left out (an update of other columns writes
 * nothing), in key order (two transactions lock the groups they share in the same order).
 */
function deltaSql(t: Totals, sources: ('old_rows' | 'new_rows')[]): string {
  const keys = t.keys.join(', ');
  const rows = sources
    .map(
      (s) => `select ${t.keys.map((k) => `r.${k}`).join(', ')}, ${s === 'old_rows' ? -1 : 1} as sign,
              ${Object.values(t.measures)
                .map((m, i) => `${m} as m${i}`)
                .join(', ')}
         from ${s} r where r.deleted_at is null`,
    )
    .join(' union all ');
  const sums = Object.keys(t.measures).map((_, i) => `coalesce(sum(d.sign * d.m${i}), 0)`);
  return `insert into "${t.table}" as t (${keys}, ${Object.keys(t.measures).join(', ')})
    select ${keys}, ${sums.join(', ')} from (${rows}) d
     group by ${keys} having ${sums.map((s) => `${s} <> 0`).join(' or ')} order by ${keys}
    on conflict (${keys}) do update set ${Object.keys(t.measures)
      .map((m) => `${m} = t.${m} + excluded.${m}`)
      .join(', ')};`;
}

function triggersSql(t: Totals): string[] {
  const keys = t.keys.join(', ');
  const measures = Object.keys(t.measures);
  const fn = `"${t.table}_apply"`;
  const trigger = (op: string, referencing: string) =>
    `create trigger "${t.base}_${t.table}_${op}" after ${op} on "${t.base}" referencing ${referencing}
       for each statement execute function ${fn}();`;
  return [
    `create function ${fn}() returns trigger language plpgsql as $$
     begin
       if tg_op = 'INSERT' then ${deltaSql(t, ['new_rows'])}
       elsif tg_op = 'DELETE' then ${deltaSql(t, ['old_rows'])}
       else ${deltaSql(t, ['old_rows', 'new_rows'])}
       end if;
       return null;
     end $$;`,
    trigger('insert', 'new table as new_rows'),
    trigger('update', 'old table as old_rows new table as new_rows'),
    trigger('delete', 'old table as old_rows'),
    `create function "${t.table}_clear"() returns trigger language plpgsql as $$
     begin delete from "${t.table}"; return null; end $$;`,
    `create trigger "${t.base}_${t.table}_truncate" after truncate on "${t.base}"
       for each statement execute function "${t.table}_clear"();`,
    // Back-fill, in the migration's transaction: the triggers see every later change.
    `insert into "${t.table}" (${keys}, ${measures.join(', ')})
       select ${keys}, ${Object.values(t.measures)
         .map((m) => `coalesce(sum(${m}), 0)`)
         .join(', ')}
         from "${t.base}" r where r.deleted_at is null group by ${keys};`,
  ];
}

/**
 * Exact summary tables for the reports on a large data set (issue 12's benchmark): live deals per fund,
 * stage, currency, owner and priority (count, expected, committed, weighted) and live contacts per type,
 * each kept by statement triggers (transition tables) on its base table in the writing transaction —
 * inserts, updates of any grouped or added column, soft deletes and restores (deleted_at), hard deletes and
 * TRUNCATE — with `insert … on conflict do update` deltas, correct under concurrent writes. Not a cache:
 * a read always equals the `group by` over the live rows (test/report-totals.e2e-spec.ts).
 */
export class Migration20261206350000_report_totals extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "report_contact_totals" ("contact_type" "contact_type" not null, "contacts" int not null default 0, constraint "report_contact_totals_pkey" primary key ("contact_type"));`,
    );
    this.addSql(
      `create table "report_deal_totals" ("id" uuid not null default gen_random_uuid(), "fund_id" uuid null, "stage" "opportunity_stage" not null, "currency" varchar(3) not null, "owner_id" uuid null, "priority" "priority" not null, "deals" int not null default 0, "expected" numeric(20,2) not null default 0, "committed" numeric(20,2) not null default 0, "weighted" numeric(20,2) not null default 0, constraint "report_deal_totals_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "report_deal_totals_group_unique" on "report_deal_totals" ("fund_id", "stage", "currency", "owner_id", "priority") nulls not distinct;`,
    );
    for (const t of [DEALS, CONTACTS]) for (const sql of triggersSql(t)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const t of [DEALS, CONTACTS]) {
      for (const op of ['insert', 'update', 'delete', 'truncate']) {
        this.addSql(`drop trigger "${t.base}_${t.table}_${op}" on "${t.base}";`);
      }
      this.addSql(`drop function "${t.table}_apply"();`);
      this.addSql(`drop function "${t.table}_clear"();`);
      this.addSql(`drop table "${t.table}";`);
    }
  }
}
