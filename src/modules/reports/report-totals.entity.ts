import { DecimalType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';

import { Priority } from '../../common/entities/enums.js';
import { money } from '../../common/entities/money.js';
import { CommunicationType } from '../communications/communication.entity.js';
import { ContactType } from '../contacts/contact.entity.js';
import { Opportunity, OpportunityStage } from '../opportunities/opportunity.entity.js';

/** A sum of many numeric(15,2) amounts: room for more digits than one amount. */
const total = () => ({ type: new DecimalType('string'), precision: 20, scale: 2, default: 0 }) as const;

/** A summary group's slot: 0, or another when transactions wrote the group at once (migration 20261207100000). */
const slot = () => ({ type: 'smallint', default: 0 }) as const;

/**
 * Live deals (not soft-deleted) counted and added up per fund, stage, currency, owner and priority. Written
 * only by statement triggers on `opportunities` (migration 20261206350000), in the transaction of the change,
 * with `insert … on conflict do update` deltas: always exactly a `group by` over the live deals, never a
 * cached result. A group is the sum of its slots (one row, or up to SLOTS when transactions wrote it at once:
 * migration 20261207100000); groups whose deals are all gone stay with zeros. The reports read it instead of
 * the table.
 */
@Entity({ tableName: 'report_deal_totals' })
@Index({
  name: 'report_deal_totals_group_unique',
  // One row per group and slot; a deal without fund or owner is a group of its own (null equals null here).
  expression:
    'create unique index "report_deal_totals_group_unique" on "report_deal_totals" ("fund_id", "stage", "currency", "owner_id", "priority", "slot") nulls not distinct',
})
export class ReportDealTotal {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'uuid', nullable: true })
  fundId?: string | null;

  @Enum({ items: () => OpportunityStage, nativeEnumName: 'opportunity_stage' })
  stage!: OpportunityStage;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ type: 'uuid', nullable: true })
  ownerId?: string | null;

  @Enum({ items: () => Priority, nativeEnumName: 'priority' })
  priority!: Priority;

  @Property(slot())
  slot!: number;

  @Property({ type: 'integer', default: 0 })
  deals!: number;

  /** Sum of expected_amount. */
  @Property(total())
  expected!: string;

  /** Sum of commitment_amount. */
  @Property(total())
  committed!: string;

  /** Sum of round(expected_amount × probability / 100, 2), each deal rounded to the cent. */
  @Property(total())
  weighted!: string;
}

/** Live contacts (not soft-deleted) counted per type, kept like ReportDealTotal by triggers on `contacts`. */
@Entity({ tableName: 'report_contact_totals' })
export class ReportContactTotal {
  @Enum({ items: () => ContactType, nativeEnumName: 'contact_type', primary: true })
  contactType!: ContactType;

  @PrimaryKey(slot())
  slot!: number;

  @Property({ type: 'integer', default: 0 })
  contacts!: number;
}

/**
 * Every communication counted per UTC day, author and type, kept like ReportDealTotal by triggers on
 * `communications`. Hidden ones (their contact or deal deleted) are in it: the reports take them away.
 */
@Entity({ tableName: 'report_communication_days' })
@Index({
  name: 'report_communication_days_group_unique',
  // One row per group and slot, in day order for a window of days; a communication without author is a group of its own.
  expression:
    'create unique index "report_communication_days_group_unique" on "report_communication_days" ("day", "created_by_id", "type", "slot") nulls not distinct',
})
export class ReportCommunicationDay {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'date' })
  day!: string;

  @Property({ type: 'uuid', nullable: true })
  createdById?: string | null;

  @Enum({ items: () => CommunicationType, nativeEnumName: 'communication_type' })
  type!: CommunicationType;

  @Property(slot())
  slot!: number;

  @Property({ type: 'integer', default: 0 })
  communications!: number;
}

/**
 * Per deal (live or soft-deleted, with stage history or not): its first and last stage change and the furthest
 * stage it reached (pipeline order, lost aside; null without history), and of the deal itself its fund,
 * liveness, stage, when it got there, currency and amount (commitment, else expected). Written only by statement
 * triggers on stage history and on `opportunities` (migrations 20261206400000 and 20261206410000), in the
 * transaction of the change: pipeline analytics read the funnel and the closed deals of a window from its two
 * partial indexes instead of grouping stage history or reading the deals.
 */
@Entity({ tableName: 'report_deal_stages' })
@Index({
  name: 'report_deal_stages_funnel_index',
  expression:
    'create index "report_deal_stages_funnel_index" on "report_deal_stages" ("fund_id", "last_at") include ("first_at", "furthest_stage") where "live" and "furthest_stage" is not null',
})
@Index({
  name: 'report_deal_stages_closed_index',
  expression: `create index "report_deal_stages_closed_index" on "report_deal_stages" ("fund_id", "stage_changed_at") include ("stage", "currency", "amount", "first_at") where "live" and "stage" in ('funded', 'lost')`,
})
export class ReportDealStage {
  @ManyToOne(() => Opportunity, { primary: true, ref: true, deleteRule: 'cascade' })
  opportunity!: Ref<Opportunity>;

  @Property({ type: 'uuid', nullable: true })
  fundId?: string | null;

  @Property({ type: 'boolean' })
  live!: boolean;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  firstAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastAt?: Date | null;

  @Enum({ items: () => OpportunityStage, nativeEnumName: 'opportunity_stage', nullable: true })
  furthestStage?: OpportunityStage | null;

  @Enum({ items: () => OpportunityStage, nativeEnumName: 'opportunity_stage' })
  stage!: OpportunityStage;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  stageChangedAt!: Date;

  @Property({ type: 'string', length: 3 })
  currency!: string;

  @Property({ ...money, nullable: true })
  amount?: number | null;
}

/**
 * One visit of a stage (a stage history row, same id) with when it ended (the deal's next change; null while the
 * deal is there), its length in seconds (generated) and its deal's fund and liveness, kept like ReportDealStage.
 * The finished visits of live deals are read by stage and start from one partial index that holds fund and length.
 */
@Entity({ tableName: 'report_stage_visits' })
@Index({
  name: 'report_stage_visits_finished_index',
  expression:
    'create index "report_stage_visits_finished_index" on "report_stage_visits" ("stage", "started_at") include ("fund_id", "seconds") where "live" and "ended_at" is not null',
})
export class ReportStageVisit {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => Opportunity, {
    ref: true,
    deleteRule: 'cascade',
    index: 'report_stage_visits_opportunity_index',
  })
  opportunity!: Ref<Opportunity>;

  @Property({ type: 'uuid', nullable: true })
  fundId?: string | null;

  @Property({ type: 'boolean' })
  live!: boolean;

  @Enum({ items: () => OpportunityStage, nativeEnumName: 'opportunity_stage' })
  stage!: OpportunityStage;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  startedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  endedAt?: Date | null;

  /** Written by PostgreSQL only. */
  @Property({
    type: 'double',
    columnType: 'double precision',
    nullable: true,
    generated: `(date_part('epoch', "ended_at" - "started_at")) stored`,
  })
  seconds?: number | null;
}
