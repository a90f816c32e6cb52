import { Migration } from '@mikro-orm/migrations';

/**
 * The `reporting` schema: SQL views that are a stable contract for BI tools (docs/reporting.md). They run
 * with their owner's rights, so a role granted SELECT on them (CLI `create-reporting-role`) reads them
 * without any right on the base tables; `security_barrier` keeps a reader's own functions from seeing rows
 * the views filter out (deleted records). Column names and meanings only change in a new view.
 *
 * The visibility rules are those of the API, written out here so that this migration never changes once
 * it has run: live = not soft-deleted; a communication is hidden while its contact or opportunity is
 * deleted (liveLinksSql in src/modules/communications/communications.service.ts).
 */
export class Migration20261206200000_reporting extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema "reporting";`);
    this.addSql(
      `comment on schema "reporting" is 'Read-only views for BI tools: a stable contract, see docs/reporting.md';`,
    );

    this.addSql(`create view "reporting"."pipeline" with (security_barrier) as
      select o.id as opportunity_id, o.name as opportunity_name, o.fund_id, f.name as fund_name,
             o.stage::text as stage, o.stage not in ('funded', 'lost') as is_open, o.priority::text as priority,
             o.owner_id, u.full_name as owner_name,
             c.id as contact_id, trim(c.first_name || ' ' || c.last_name) as contact_name,
             org.id as organization_id, org.name as organization_name,
             o.currency, o.expected_amount, o.commitment_amount, o.probability,
             round(o.expected_amount * o.probability / 100.0, 2) as weighted_amount,
             o.expected_close_date, o.stage_changed_at, o.lost_reason, o.created_at, o.updated_at
        from opportunities o
        left join funds f on f.id = o.fund_id
        left join users u on u.id = o.owner_id
        left join contacts c on c.id = o.contact_id and c.deleted_at is null
        left join organizations org on org.id = o.organization_id and org.deleted_at is null
       where o.deleted_at is null;`);

    this.addSql(`create view "reporting"."lp_commitments" with (security_barrier) as
      select lp.id as lp_profile_id, c.id as contact_id, trim(c.first_name || ' ' || c.last_name) as contact_name,
             org.id as organization_id, org.name as organization_name, org.type::text as organization_type,
             f.id as fund_id, f.name as fund_name, lp.investor_type::text as investor_type, lp.accredited,
             lp.currency, lp.commitment_amount, lp.funded_amount,
             lp.commitment_amount - lp.funded_amount as unfunded_amount, lp.commitment_date,
             lp.legal_docs_signed, lp.signed_date, lp.wire_received, lp.wire_date, lp.k1_sent
        from lp_profiles lp
        join contacts c on c.id = lp.contact_id and c.deleted_at is null
        join funds f on f.id = lp.fund_id
        left join organizations org on org.id = c.organization_id and org.deleted_at is null;`);

    this.addSql(`create view "reporting"."activity" with (security_barrier) as
      select m.id as communication_id, m.communication_date,
             (m.communication_date at time zone 'UTC')::date as communication_day, m.type::text as type,
             m.contact_id, m.opportunity_id, m.created_by_id, u.full_name as created_by_name,
             m.duration_minutes, m.next_action_date
        from communications m
        left join users u on u.id = m.created_by_id
       where not exists (select 1 from contacts hc where hc.id = m.contact_id and hc.deleted_at is not null)
         and not exists (select 1 from opportunities ho where ho.id = m.opportunity_id and ho.deleted_at is not null);`);

    this.addSql(`create view "reporting"."fund_progress" with (security_barrier) as
      with amounts as (
        select lp.fund_id, lp.currency, lp.commitment_amount as committed, lp.funded_amount as funded,
               0::numeric as weighted
          from lp_profiles lp join contacts c on c.id = lp.contact_id and c.deleted_at is null
        union all
        select o.fund_id, o.currency, 0, 0, round(o.expected_amount * o.probability / 100.0, 2)
          from opportunities o
         where o.deleted_at is null and o.fund_id is not null and o.expected_amount is not null
           and o.stage not in ('funded', 'lost')
        union all
        select f.id, f.currency, 0, 0, 0 from funds f
      )
      select f.id as fund_id, f.name as fund_name, f.status::text as status, f.vintage_year, a.currency,
             case when a.currency = f.currency then f.target_amount end as target_amount,
             sum(a.committed) as committed_amount, sum(a.funded) as funded_amount,
             sum(a.weighted) as weighted_pipeline_amount,
             case when a.currency = f.currency then f.target_amount - sum(a.committed) end as gap_to_target
        from amounts a join funds f on f.id = a.fund_id
       group by f.id, a.currency;`);

    // Closes and losses in a window (pipeline analytics) walk this index instead of every deal.
    this.addSql(
      `create index "opportunities_stage_changed_at_index" on "opportunities" ("stage", "stage_changed_at") where "deleted_at" is null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "opportunities_stage_changed_at_index";`);
    this.addSql(`drop schema "reporting" cascade;`);
  }
}
