import { Check, Entity, Enum, Index, ManyToOne, type Opt, Property, type Ref } from '@mikro-orm/core';

import { SoftDeletableEntity } from '../../database/crm-base.entity.js';
import { Priority } from '../../common/entities/enums.js';
import { money } from '../../common/entities/money.js';
import { Contact } from '../contacts/contact.entity.js';
import { Fund } from '../funds/fund.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';

export enum OpportunityStage {
  Lead = 'lead',
  Outreach = 'outreach',
  Meeting = 'meeting',
  DueDiligence = 'due_diligence',
  Committed = 'committed',
  Funded = 'funded',
  Lost = 'lost',
}

/** Pipeline order, and the probability each stage implies unless one is set explicitly. */
export const STAGE_ORDER: OpportunityStage[] = Object.values(OpportunityStage);

export const STAGE_PROBABILITY: Record<OpportunityStage, number> = {
  [OpportunityStage.Lead]: 10,
  [OpportunityStage.Outreach]: 20,
  [OpportunityStage.Meeting]: 35,
  [OpportunityStage.DueDiligence]: 60,
  [OpportunityStage.Committed]: 90,
  [OpportunityStage.Funded]: 100,
  [OpportunityStage.Lost]: 0,
};

@Entity({ tableName: 'opportunities' })
@Index({
  name: 'opportunities_stage_index',
  // The board's default "one stage, most recently updated first" page and its count come from the index alone.
  expression:
    'create index "opportunities_stage_index" on "opportunities" ("stage", "updated_at", "id") include ("deleted_at")',
})
// Reports: deals closed (funded or lost) in a window, by when they reached that stage.
@Index({
  name: 'opportunities_stage_changed_at_index',
  expression:
    'create index "opportunities_stage_changed_at_index" on "opportunities" ("stage", "stage_changed_at") where "deleted_at" is null',
})
// Reports: live deals by fund, stage and currency with the amounts they add up, read from the index alone.
@Index({
  name: 'opportunities_live_fund_stage_index',
  expression:
    'create index "opportunities_live_fund_stage_index" on "opportunities" ("fund_id", "stage", "currency") include ("expected_amount", "commitment_amount", "probability", "owner_id", "priority") where "deleted_at" is null',
})
@Index({ name: 'opportunities_owner_id_index', properties: ['owner'] })
@Index({ name: 'opportunities_fund_id_index', properties: ['fund'] })
// A contact's deals; whether a contact has a live deal in a fund, from the index alone (re-up targets).
@Index({
  name: 'opportunities_contact_id_index',
  expression:
    'create index "opportunities_contact_id_index" on "opportunities" ("contact_id", "fund_id") include ("deleted_at")',
})
@Index({ name: 'opportunities_organization_id_index', properties: ['organization'] })
@Index({ name: 'opportunities_priority_index', properties: ['priority'] })
@Index({ name: 'opportunities_deleted_at_index', properties: ['deletedAt'] })
// Sorts the list offers (the list walks one of these in order and stops after a page).
// The default order also carries what a search alone reads, so that it finds its first matches along it.
@Index({
  name: 'opportunities_updated_at_index',
  expression:
    'create index "opportunities_updated_at_index" on "opportunities" ("updated_at", "id") include ("deleted_at", "search_text")',
})
@Index({ name: 'opportunities_created_at_index', properties: ['createdAt'] })
@Index({ name: 'opportunities_name_index', properties: ['name'] })
@Index({ name: 'opportunities_probability_index', properties: ['probability', 'updatedAt'] })
@Index({ name: 'opportunities_expected_close_date_index', properties: ['expectedCloseDate'] })
@Index({
  name: 'opportunities_expected_amount_index',
  // A deal without an amount sorts as the smallest: last when reading largest first, first the other way.
  expression:
    'create index "opportunities_expected_amount_index" on "opportunities" ("expected_amount" desc nulls last)',
})
@Index({
  name: 'opportunities_name_trgm_index',
  expression:
    'create index "opportunities_name_trgm_index" on "opportunities" using gin ("name" gin_trgm_ops)',
})
// `search=` (see searchText).
@Index({
  name: 'opportunities_search_trgm_index',
  expression:
    'create index "opportunities_search_trgm_index" on "opportunities" using gin ("search_text" gin_trgm_ops)',
})
@Index({
  name: 'opportunities_custom_fields_index',
  expression:
    'create index "opportunities_custom_fields_index" on "opportunities" using gin ("custom_fields" jsonb_path_ops)',
})
@Check({ name: 'opportunities_name_check', expression: `"name" ~ '\\S'` })
@Check({
  name: 'opportunities_expected_amount_check',
  expression: `"expected_amount" is null or "expected_amount" >= 0`,
})
@Check({
  name: 'opportunities_commitment_amount_check',
  expression: `"commitment_amount" is null or "commitment_amount" >= 0`,
})
@Check({ name: 'opportunities_probability_check', expression: `"probability" >= 0 and "probability" <= 100` })
@Check({
  name: 'opportunities_lost_reason_check',
  expression: `"stage" <> 'lost' or coalesce("lost_reason", '') ~ '\\S'`,
})
@Check({ name: 'opportunities_currency_check', expression: `"currency" ~ '^[A-Z]{3}$'` })
export class Opportunity extends SoftDeletableEntity<'stage' | 'priority' | 'currency' | 'stageChangedAt'> {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @ManyToOne(() => Contact, { ref: true, nullable: true, deleteRule: 'set null' })
  contact?: Ref<Contact> | null;

  @ManyToOne(() => Organization, { ref: true, nullable: true, deleteRule: 'set null' })
  organization?: Ref<Organization> | null;

  @ManyToOne(() => Fund, { ref: true, nullable: true, deleteRule: 'restrict' })
  fund?: Ref<Fund> | null;

  @Enum({
    items: () => OpportunityStage,
    nativeEnumName: 'opportunity_stage',
    default: OpportunityStage.Lead,
  })
  stage: OpportunityStage = OpportunityStage.Lead;

  /** When the current stage began: "days in stage" without reading the history. */
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  stageChangedAt: Date = new Date();

  @Property({ ...money, nullable: true })
  expectedAmount?: number | null;

  @Property({ ...money, nullable: true })
  commitmentAmount?: number | null;

  @Property({ type: 'string', length: 3, default: 'USD' })
  currency: string = 'USD';

  @Property({ type: 'integer' })
  probability!: number;

  @Property({ type: 'date', nullable: true })
  expectedCloseDate?: string | null;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  nextStep?: string | null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  owner?: Ref<User> | null;

  @Enum({ items: () => Priority, nativeEnumName: 'priority', default: Priority.Medium })
  priority: Priority = Priority.Medium;

  @Property({ type: 'text', nullable: true })
  lostReason?: string | null;

  /**
   * What `search=` matches: the name, the contact's names and email, the organization's name, lower-cased, one
   * line each. Written by PostgreSQL only (triggers of migration 20261207200000 follow renames); never loaded,
   * never in an answer.
   */
  @Property({ type: 'text', default: '', lazy: true, hidden: true })
  searchText?: string & Opt;
}
