import { randomUUID } from 'node:crypto';

import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';

import { User } from '../users/user.entity.js';
import { Opportunity, OpportunityStage } from './opportunity.entity.js';

/** One move of an opportunity through the pipeline (the first row, from null, is its creation). */
@Entity({ tableName: 'opportunity_stage_history' })
// A deal's history in order, with its stages: analytics walk it from the index alone.
@Index({
  name: 'opportunity_stage_history_opportunity_index',
  expression:
    'create index "opportunity_stage_history_opportunity_index" on "opportunity_stage_history" ("opportunity_id", "changed_at", "id") include ("to_stage")',
})
// Newest changes first, in a stable order when several share a timestamp.
@Index({ name: 'opportunity_stage_history_changed_at_index', properties: ['changedAt', 'id'] })
export class OpportunityStageChange {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id: string = randomUUID();

  @ManyToOne(() => Opportunity, { ref: true, deleteRule: 'cascade' })
  opportunity!: Ref<Opportunity>;

  @Enum({ items: () => OpportunityStage, nativeEnumName: 'opportunity_stage', nullable: true })
  fromStage?: OpportunityStage | null;

  @Enum({ items: () => OpportunityStage, nativeEnumName: 'opportunity_stage' })
  toStage!: OpportunityStage;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  changedAt: Date = new Date();

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  changedBy?: Ref<User> | null;
}
