import { describe, expect, it } from '@jest/globals';

import { ValidationError } from '../../common/errors/index.js';
import type { StageChangeRow } from './opportunities.repository.js';
import { moveStage, type PipelineFields, stageTimeline } from './opportunity-stages.js';
import { OpportunityStage } from './opportunity.entity.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');
const at = (days: number): string => new Date(T0 + days * DAY).toISOString();
const row = (
  from: OpportunityStage | null,
  to: OpportunityStage,
  days: number,
  by = 'u1',
): StageChangeRow => ({
  fromStage: from,
  toStage: to,
  changedAt: at(days),
  userId: by,
  username: by,
  userFullName: `User ${by}`,
});

describe('stageTimeline (stage history and days per stage)', () => {
  it('gives each visit its length until the next change, the last one until now', () => {
    const { stageHistory } = stageTimeline(
      [row(null, OpportunityStage.Lead, 0), row(OpportunityStage.Lead, OpportunityStage.Meeting, 2.5)],
      new Date(T0 + 10 * DAY),
    );
    expect(stageHistory).toEqual([
      {
        from: null,
        to: 'lead',
        at: at(0),
        by: { id: 'u1', username: 'u1', fullName: 'User u1' },
        days: 2.5,
      },
      { from: 'lead', to: 'meeting', at: at(2.5), by: expect.any(Object), days: 7.5 },
    ]);
  });

  it('adds up every visit of a stage, and lists the stages in pipeline order, not visit order', () => {
    const { daysPerStage } = stageTimeline(
      [
        row(null, OpportunityStage.Meeting, 0),
        row(OpportunityStage.Meeting, OpportunityStage.Lead, 1),
        row(OpportunityStage.Lead, OpportunityStage.Meeting, 3),
        row(OpportunityStage.Meeting, OpportunityStage.Lost, 4.25),
      ],
      new Date(T0 + 5 * DAY),
    );
    expect(daysPerStage).toEqual([
      { stage: 'lead', days: 2, visits: 1 },
      { stage: 'meeting', days: 2.25, visits: 2 },
      { stage: 'lost', days: 0.75, visits: 1 },
    ]);
  });

  it('rounds to two decimals and never counts negative time (a clock behind the last change)', () => {
    const { stageHistory, daysPerStage } = stageTimeline(
      [row(null, OpportunityStage.Lead, 0)],
      new Date(T0 - DAY),
    );
    expect(stageHistory[0].days).toBe(0);
    expect(daysPerStage).toEqual([{ stage: 'lead', days: 0, visits: 1 }]);
    const third = stageTimeline([row(null, OpportunityStage.Lead, 0)], new Date(T0 + DAY / 3));
    expect(third.daysPerStage[0].days).toBe(0.33);
  });

  it('a change by no user (the CLI) has no `by`; an empty history has no days', () => {
    const cli = { ...row(null, OpportunityStage.Lead, 0), userId: null, username: null, userFullName: null };
    expect(stageTimeline([cli], new Date(T0)).stageHistory[0].by).toBeNull();
    expect(stageTimeline([], new Date(T0))).toEqual({ stageHistory: [], daysPerStage: [] });
  });
});

describe('moveStage (the pipeline rules of every write)', () => {
  const now = new Date(T0);
  const opp = (fields: Partial<PipelineFields> = {}): PipelineFields => ({
    stage: OpportunityStage.Lead,
    probability: 10,
    lostReason: null,
    stageChangedAt: new Date(0),
    ...fields,
  });
  const by = { userId: 'u1', now };

  it('a new stage writes a history row, restarts stageChangedAt and takes the stage default probability', () => {
    const o = opp();
    const change = moveStage(
      o,
      { stage: OpportunityStage.DueDiligence, lostReason: undefined, probability: undefined },
      by,
    );
    expect(change).toMatchObject({
      fromStage: 'lead',
      toStage: 'due_diligence',
      changedAt: now,
      changedBy: 'u1',
    });
    expect(o).toMatchObject({ stage: 'due_diligence', probability: 60, stageChangedAt: now });
  });

  it('a creation is a change from nothing', () => {
    const change = moveStage(
      opp(),
      { stage: OpportunityStage.Lead, lostReason: undefined, probability: undefined },
      {
        ...by,
        isNew: true,
      },
    );
    expect(change).toMatchObject({ fromStage: null, toStage: 'lead' });
  });

  it('a probability sent with the move wins; without a move it is set and no history is written', () => {
    const o = opp();
    moveStage(o, { stage: OpportunityStage.Meeting, lostReason: undefined, probability: 50 }, by);
    expect(o.probability).toBe(50);
    expect(
      moveStage(o, { stage: OpportunityStage.Meeting, lostReason: undefined, probability: 40 }, by),
    ).toBeNull();
    expect(o.probability).toBe(40);
  });

  it('lost needs a reason; the stored one is kept by an edit that stays lost; leaving lost clears it', () => {
    expect(() =>
      moveStage(opp(), { stage: OpportunityStage.Lost, lostReason: undefined, probability: undefined }, by),
    ).toThrow(new ValidationError('lostReason: is required when the stage is lost'));
    const o = opp();
    moveStage(o, { stage: OpportunityStage.Lost, lostReason: 'Allocation full', probability: undefined }, by);
    expect(o).toMatchObject({ stage: 'lost', probability: 0, lostReason: 'Allocation full' });
    moveStage(o, { stage: OpportunityStage.Lost, lostReason: undefined, probability: undefined }, by);
    expect(o.lostReason).toBe('Allocation full');
    expect(() =>
      moveStage(o, { stage: OpportunityStage.Lost, lostReason: null, probability: undefined }, by),
    ).toThrow('lostReason');
    moveStage(o, { stage: OpportunityStage.Lead, lostReason: undefined, probability: undefined }, by);
    expect(o).toMatchObject({ stage: 'lead', lostReason: null, probability: 10 });
  });

  it('refuses a reason on any other stage', () => {
    expect(() =>
      moveStage(
        opp(),
        { stage: OpportunityStage.Meeting, lostReason: 'Too early', probability: undefined },
        by,
      ),
    ).toThrow('lostReason: only applies when the stage is lost');
  });
});
