import { describe, expect, it } from '@jest/globals';

import { OpportunityStage } from '../../opportunities/opportunity.entity.js';
import { nextStage } from './writers.js';

describe('nextStage ("Move to next stage")', () => {
  it('moves one stage on in pipeline order', () => {
    expect(nextStage(OpportunityStage.Lead)).toBe(OpportunityStage.Outreach);
    expect(nextStage(OpportunityStage.Outreach)).toBe(OpportunityStage.Meeting);
    expect(nextStage(OpportunityStage.Meeting)).toBe(OpportunityStage.DueDiligence);
    expect(nextStage(OpportunityStage.DueDiligence)).toBe(OpportunityStage.Committed);
    expect(nextStage(OpportunityStage.Committed)).toBe(OpportunityStage.Funded);
  });

  it('has no next stage after funded, nor out of lost (lost is never "next")', () => {
    expect(nextStage(OpportunityStage.Funded)).toBeUndefined();
    expect(nextStage(OpportunityStage.Lost)).toBeUndefined();
  });
});
