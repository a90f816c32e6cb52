import { OpportunityStageChange } from '../../modules/opportunities/opportunity-stage-change.entity.js';
import {
  Opportunity,
  OpportunityStage,
  STAGE_PROBABILITY,
} from '../../modules/opportunities/opportunity.entity.js';
import { defineFactory, type EntityManager, type Overrides } from './types.js';

/**
 * An opportunity and the first row of its stage history (from nothing to its stage, at `stageChangedAt`,
 * by its owner), as the API records it. The probability follows the stage unless given; a lost one gets a
 * reason unless given.
 */
export const opportunityFactory = defineFactory<Opportunity>((em, data, seq) => {
  const stage = data.stage ?? OpportunityStage.Lead;
  const opportunity = em.create(Opportunity, {
    name: `Opportunity ${seq}`,
    stage,
    probability: STAGE_PROBABILITY[stage],
    expectedAmount: 1_000_000 * (1 + (seq % 10)),
    lostReason: stage === OpportunityStage.Lost ? 'Not a fit for this fund' : null,
    ...data,
  });
  stageChangeFactory(em, {
    opportunity,
    fromStage: null,
    toStage: opportunity.stage,
    changedAt: opportunity.stageChangedAt,
    changedBy: opportunity.owner ?? null,
  });
  return opportunity;
});

/** One more move through the pipeline; the caller keeps the opportunity's stage in step. */
export function stageChangeFactory(
  em: EntityManager,
  data: Overrides<OpportunityStageChange> & { opportunity: Opportunity; toStage: OpportunityStage },
): OpportunityStageChange {
  return em.create(OpportunityStageChange, { changedAt: new Date(), ...data });
}
