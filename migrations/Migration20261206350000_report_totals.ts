import { Migration } from '@mikro-orm/migrations';

/** A summary table kept exact by statement triggers on its base table: what is grouped and what is added. */
export interface Totals {
  table: string;
  base: string;
  /** Summary column → the base row's (alias r) value it groups by. */
  keys: Record<string, string>;
  /** Which base rows count (all when absent). */
  live?: string;
  /** Summary column → the value one live base row (alias r) adds to it. */
  measures: Record<string, string>;
}

const DEALS: Totals = {
  table: 'report_deal_totals',
  base: 'opportunities',
  keys: {
    fund_id: 'r.fund_id',
    stage: 'r.stage',
    currency: 'r.currency',
    owner_id: 'r.owner_id',
    priority: 'r.priority',
  },
  live: 'r.deleted_at is null',
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
  keys: { contact_type: 'r.contact_type' },
  live: 'r.deleted_at is null',
  measures: { contacts: '1' },
};

/** Every communication, hidden or not (the reports take away those of deleted contacts and deals). */
const COMMUNICATIONS: Totals = {
  table: 'report_communication_days',
  base: 'communications',
  keys: {
    day: `(r.communication_date at time zone 'UTC')::date`,
    created_by_id: 'r.created_by_id',
    type: 'r.type',
  },
  measures: { communications: '1' },
};

export const REPORT_TOTALS = [DEALS, CONTACTS, COMMUNICATIONS];
const where = (t: Totals): string => (t.live ? ` where ${t.live}` : '');

/**
 * The change one statement makes to the groups: its live rows before (old_rows, counted negatively) and after
 * (new_rows), added up per group, groups without any change left out (an update of other columns writes
 * nothing), in key order (two transactions lock the groups they share in the same order). `slotted`: each
 * group's change goes to one of its slots (slotSql, migration 20261207100000).
 */
function deltaSql(t: Totals, sources: ('old_rows' | 'new_rows')[], slotted: boolean): string {
  const grouped = Object.keys(t.keys).join(', ');
  const keys = slotted ? `${grouped}, slot` : grouped;
  const rows = sources
    .map(
      (s) => `select ${Object.entries(t.keys)
        .map(([k, e]) => `${e} as ${k}`)
        .join(', ')}, ${s === 'old_rows' ? -1 : 1} as sign,
              ${Object.values(t.measures)
                .map((m, i) => `${m} as m${i}`)
                .join(', ')}
         from ${s} r${where(t)}`,
    )
    .join(' union all ');
  const sums = Object.keys(t.measures).map((_, i) => `coalesce(sum(d.sign * d.m${i}), 0)`);
  const slot = slotted ? `, ${slotSql(t)}` : '';
  return `insert into "${t.table}" as t (${keys}, ${Object.keys(t.measures).join(', ')})
    select ${grouped}${slot}, ${sums.join(', ')} from (${rows}) d
     group by ${grouped} having ${sums.map((s) => `${s} <> 0`).join(' or ')} order by ${grouped}
    on conflict (${keys}) do update set ${Object.keys(t.measures)
      .map((m) => `${m} = t.${m} + excluded.${m}`)
      .join(', ')};`;
}

/**
 * The slot a group's change goes to, one of SLOTS: 0 when no other open transaction is writing the group's slot 0
 * (a transaction-level advisory lock on the table and group, tried without waiting and held to the end, as the
 * row's lock is), else one chosen by the backend. Transactions writing one group at once (an integration
 * logging calls on 32 connections: one author, day and type) then each wait for few others, not for all, and
 * their commits are flushed together; a group is one row unless such writes happened, and never more than SLOTS.
 * The lock is on one of LOCKS buckets of groups, not on the group itself: advisory locks take room in
 * PostgreSQL's shared lock table until the transaction ends, so an import writing thousands of groups in one
 * transaction holds at most LOCKS per table (two groups sharing a bucket only send a concurrent writer to its own
 * slot sooner).
 */
export const SLOTS = 16;
const LOCKS = 32;
function slotSql(t: Totals): string {
  const group = Object.keys(t.keys).join(', ');
  return `case when pg_try_advisory_xact_lock(hashtext('${t.table}'), hashtext(row(${group})::text) & ${LOCKS - 1})
            then 0 else 1 + pg_backend_pid() % ${SLOTS - 1} end`;
}

/** The function the triggers of `t` call: adds the statement's change to the summary (see deltaSql). */
export function applyFunctionSql(t: Totals, slotted = false): string {
  return `create or replace function "${t.table}_apply"() returns trigger language plpgsql as $$
     begin
       if tg_op = 'INSERT' then ${deltaSql(t, ['new_rows'], slotted)}
       elsif tg_op = 'DELETE' then ${deltaSql(t, ['old_rows'], slotted)}
       else ${deltaSql(t, ['old_rows', 'new_rows'], slotted)}
       end if;
       return null;
     end $$;`;
}

function triggersSql(t: Totals): string[] {
  const fn = `"${t.table}_apply"`;
  const trigger = (op: string, referencing: string) =>
    `create trigger "${t.base}_${t.table}_${op}" after ${op} on "${t.base}" referencing ${referencing}
       for each statement execute function ${fn}();`;
  return [
    applyFunctionSql(t),
    trigger('insert', 'new table as new_rows'),
    trigger('update', 'old table as old_rows new table as new_rows'),
    trigger('delete', 'old table as old_rows'),
    `create function "${t.table}_clear"() returns trigger language plpgsql as $$
     begin delete from "${t.table}"; return null; end $$;`,
    `create trigger "${t.base}_${t.table}_truncate" after truncate on "${t.base}"
       for each statement execute function "${t.table}_clear"();`,
    // Back-fill, in the migration's transaction: the triggers see every later change.
    backfillSql(t),
  ];
}

/** Fills an empty summary table from its base table (also used by report_summaries_rebuild, migration 400000). */
export function backfillSql(t: Totals): string {
  return `insert into "${t.table}" (${Object.keys(t.keys).join(', ')}, ${Object.keys(t.measures).join(', ')})
       select ${Object.values(t.keys).join(', ')}, ${Object.values(t.measures)
         .map((m) => `coalesce(sum(${m}), 0)`)
         .join(', ')}
         from "${t.base}" r${where(t)} group by ${Object.values(t.keys).join(', ')};`;
}

/**
 * Exact summary tables for the reports on a large data set (issue 12's benchmark): live deals per fund,
 * stage, currency, owner and priority (count, expected, committed, weighted), live contacts per type and
 * communications per UTC day, author and type (all of them: a report takes away the few of deleted contacts
 * and deals, found by index — a deletion does not rewrite a contact's whole history of days),
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
    this.addSql(
      `create table "report_communication_days" ("id" uuid not null default gen_random_uuid(), "day" date not null, "created_by_id" uuid null, "type" "communication_type" not null, "communications" int not null default 0, constraint "report_communication_days_pkey" primary key ("id"));`,
    );
    this.addSql(
      `create unique index "report_communication_days_group_unique" on "report_communication_days" ("day", "created_by_id", "type") nulls not distinct;`,
    );
    for (const t of REPORT_TOTALS) for (const sql of triggersSql(t)) this.addSql(sql);
  }

  override async down(): Promise<void> {
    for (const t of REPORT_TOTALS) {
      for (const op of ['insert', 'update', 'delete', 'truncate']) {
        this.addSql(`drop trigger "${t.base}_${t.table}_${op}" on "${t.base}";`);
      }
      this.addSql(`drop function "${t.table}_apply"();`);
      this.addSql(`drop function "${t.table}_clear"();`);
      this.addSql(`drop table "${t.table}";`);
    }
  }
}
