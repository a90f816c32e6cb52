import type { EntityManager } from '@mikro-orm/postgresql';

import { ValidationError } from '../../common/errors/index.js';
import { userRefOf } from '../../common/utils/record-rows.js';
import type { StageChangeDto, StageDaysDto } from './dto/opportunity-response.dto.js';
import { fractionalDays } from './dto/opportunity-response.dto.js';
import type { StageChangeRow } from './opportunities.repository.js';
import { OpportunityStageChange } from './opportunity-stage-change.entity.js';
import { type Opportunity, OpportunityStage, STAGE_ORDER, STAGE_PROBABILITY } from './opportunity.entity.js';

/** What a write asks of the pipeline fields; `undefined` means "not sent". */
export interface StageInput {
  stage: OpportunityStage;
  lostReason: string | null | undefined;
  probability: number | undefined;
}

/** The pipeline fields of an opportunity, as an entity or a write's plain properties hold them. */
export type PipelineFields = Pick<Opportunity, 'stage' | 'stageChangedAt' | 'probability' | 'lostReason'>;

/** A history row's values: the stage left (null for a new opportunity) and the one entered, when and by whom. */
export interface StageChangeValues {
  fromStage: OpportunityStage | null;
  toStage: OpportunityStage;
  changedAt: Date;
  changedBy: string | null;
}

/**
 * The one place pipeline rules live, for create, PUT, PATCH and the stage endpoint alike, applied to `opp`:
 * - a new stage records a history row (from, to, at, by) and restarts `stageChangedAt`;
 * - probability follows the new stage's default unless the same request sets it;
 * - lost needs a reason, and leaving lost clears it; a reason on any other stage is refused.
 * Returns the history row's values when the stage changed (null otherwise). `userId` null: a change by no user
 * (the CLI).
 */
export function moveStage(
  opp: PipelineFields,
  input: StageInput,
  by: { userId: string | null; now: Date; isNew?: boolean },
): StageChangeValues | null {
  const from = by.isNew ? null : opp.stage;
  const changed = from !== input.stage;
  if (input.stage === OpportunityStage.Lost) {
    const reason = input.lostReason === undefined && !changed ? opp.lostReason : input.lostReason;
    if (!reason) throw ValidationError.field('lostReason', 'is required when the stage is lost');
    opp.lostReason = reason;
  } else {
    if (input.lostReason) {
      throw ValidationError.field('lostReason', 'only applies when the stage is lost');
    }
    opp.lostReason = null;
  }
  if (changed) {
    opp.stage = input.stage;
    opp.stageChangedAt = by.now;
    opp.probability = input.probability ?? STAGE_PROBABILITY[input.stage];
    return { fromStage: from, toStage: input.stage, changedAt: by.now, changedBy: by.userId };
  }
  if (input.probability !== undefined) opp.probability = input.probability;
  return null;
}

/** moveStage on an entity, its history row created in the unit of work (null when the stage did not change). */
export function applyStage(
  em: EntityManager,
  opp: Opportunity,
  input: StageInput,
  by: { userId: string | null; now: Date; isNew?: boolean },
): OpportunityStageChange | null {
  const change = moveStage(opp, input, by);
  return change && em.create(OpportunityStageChange, { ...change, opportunity: opp });
}

/** The history as the API shows it, each visit with its length, and the time per stage in pipeline order. */
export function stageTimeline(
  history: StageChangeRow[],
  now: Date,
): { stageHistory: StageChangeDto[]; daysPerStage: StageDaysDto[] } {
  const totals = new Map<OpportunityStage, { ms: number; visits: number }>();
  const stageHistory = history.map((row, i) => {
    const at = new Date(row.changedAt);
    const next = history[i + 1];
    const ms = (next ? new Date(next.changedAt) : now).getTime() - at.getTime();
    const total = totals.get(row.toStage) ?? { ms: 0, visits: 0 };
    totals.set(row.toStage, { ms: total.ms + Math.max(0, ms), visits: total.visits + 1 });
    return {
      from: row.fromStage,
      to: row.toStage,
      at: at.toISOString(),
      by: userRefOf(row),
      days: fractionalDays(ms),
    };
  });
  const daysPerStage = STAGE_ORDER.filter((s) => totals.has(s)).map((stage) => ({
    stage,
    days: fractionalDays(totals.get(stage)!.ms),
    visits: totals.get(stage)!.visits,
  }));
  return { stageHistory, daysPerStage };
}
