import { ApiProperty } from '@nestjs/swagger';

import { ListMetaDto } from '../../../common/dto/paging.dto.js';
import { personName, RefDto, UserRefDto } from '../../../common/dto/refs.dto.js';
import { Priority } from '../../../common/entities/enums.js';
import { CommunicationType } from '../../communications/communication.entity.js';
import type { Contact } from '../../contacts/contact.entity.js';
import type { OpportunityView } from '../opportunities.repository.js';
import { OpportunityStage } from '../opportunity.entity.js';

const DAY_MS = 86_400_000;

/** Whole days from `since` to `now` (never negative). */
export function wholeDays(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / DAY_MS));
}

/** Days to two decimals, for time spent in stages. */
export function fractionalDays(ms: number): number {
  return Math.round((Math.max(0, ms) / DAY_MS) * 100) / 100;
}

/** expectedAmount × probability / 100, rounded to the cent (computed in cents: no float drift). */
export function weightedAmount(expected: number | null | undefined, probability: number): number | null {
  if (expected === null || expected === undefined) return null;
  return Math.round((Math.round(expected * 100) * probability) / 100) / 100;
}

/** A populated contact reference as `{ id, name }`. */
export function contactRef(
  value: { isInitialized(): boolean; getEntity(): Contact } | null | undefined,
): RefDto | null {
  if (!value) return null;
  // Populate before mapping: an unloaded reference here would mean a query per row.
  if (!value.isInitialized()) throw new Error('Reference not loaded: populate it in the query');
  const c = value.getEntity();
  return { id: c.id, name: personName(c) };
}

export class OpportunityResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Redwood Endowment — Fund II' }) name!: string;
  @ApiProperty({ type: RefDto, nullable: true, description: 'The contact, named "First Last"' })
  contact!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true }) organization!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true }) fund!: RefDto | null;
  @ApiProperty({ enum: OpportunityStage }) stage!: OpportunityStage;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the current stage began' })
  stageChangedAt!: Date;
  @ApiProperty({ description: 'Whole days since the current stage began' }) daysInStage!: number;
  @ApiProperty({ nullable: true, type: Number }) expectedAmount!: number | null;
  @ApiProperty({ nullable: true, type: Number }) commitmentAmount!: number | null;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ minimum: 0, maximum: 100 }) probability!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'expectedAmount × probability / 100' })
  weightedAmount!: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) expectedCloseDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ nullable: true, type: String }) nextStep!: string | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) owner!: UserRefDto | null;
  @ApiProperty({ enum: Priority }) priority!: Priority;
  @ApiProperty({ nullable: true, type: String }) lostReason!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Custom field values by key' })
  customFields!: Record<string, unknown>;
  @ApiProperty({ description: 'Send it back with updates; a stale one gets 409' }) version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt!: Date | null;

  static from(this: void, o: OpportunityView, now: Date = new Date()): OpportunityResponseDto {
    return {
      id: o.id,
      name: o.name,
      contact: o.contact ? { id: o.contact.id, name: personName(o.contact) } : null,
      organization: o.organization ? { id: o.organization.id, name: o.organization.name } : null,
      fund: o.fund ? { id: o.fund.id, name: o.fund.name } : null,
      stage: o.stage,
      stageChangedAt: o.stageChangedAt,
      daysInStage: wholeDays(o.stageChangedAt, now),
      expectedAmount: o.expectedAmount,
      commitmentAmount: o.commitmentAmount,
      currency: o.currency,
      probability: o.probability,
      weightedAmount: weightedAmount(o.expectedAmount, o.probability),
      expectedCloseDate: o.expectedCloseDate,
      description: o.description,
      nextStep: o.nextStep,
      owner: o.owner ? { id: o.owner.id, username: o.owner.username, fullName: o.owner.fullName } : null,
      priority: o.priority,
      lostReason: o.lostReason,
      customFields: o.customFields,
      version: o.version,
      createdAt: o.createdAt,
      updatedAt: o.updatedAt,
      deletedAt: o.deletedAt,
    };
  }
}

export class StageChangeDto {
  @ApiProperty({ enum: OpportunityStage, nullable: true, description: 'null on the first row (creation)' })
  from!: OpportunityStage | null;
  @ApiProperty({ enum: OpportunityStage }) to!: OpportunityStage;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
  @ApiProperty({ type: UserRefDto, nullable: true }) by!: UserRefDto | null;
  @ApiProperty({ description: 'Days spent in `to` on this visit (until the next change, or until now)' })
  days!: number;
}

export class StageDaysDto {
  @ApiProperty({ enum: OpportunityStage }) stage!: OpportunityStage;
  @ApiProperty({ description: 'Total days spent in the stage over every visit, two decimals' })
  days!: number;
  @ApiProperty({ description: 'How many times the opportunity entered the stage' }) visits!: number;
}

export class OpportunityCommunicationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CommunicationType }) type!: CommunicationType;
  @ApiProperty({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) communicationDate!: Date;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes!: number | null;
  @ApiProperty({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty({ nullable: true, type: String }) nextAction!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) nextActionDate!: string | null;
  @ApiProperty({ type: RefDto, nullable: true }) contact!: RefDto | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) createdBy!: UserRefDto | null;
}

export class OpportunityDetailDto extends OpportunityResponseDto {
  @ApiProperty({ type: [StageChangeDto], description: 'Every stage change, oldest first' })
  stageHistory!: StageChangeDto[];
  @ApiProperty({ type: [StageDaysDto], description: 'Time in each stage visited, in pipeline order' })
  daysPerStage!: StageDaysDto[];
  @ApiProperty({ type: [OpportunityCommunicationDto], description: 'The latest 50, newest first' })
  communications!: OpportunityCommunicationDto[];
  @ApiProperty({ description: 'All communications about this opportunity' }) communicationsTotal!: number;
}

export class OpportunityEnvelopeDto {
  @ApiProperty({ type: OpportunityResponseDto }) data!: OpportunityResponseDto;
}

export class OpportunityDetailEnvelopeDto {
  @ApiProperty({ type: OpportunityDetailDto }) data!: OpportunityDetailDto;
}

export class OpportunityListDto extends ListMetaDto {
  @ApiProperty({ type: [OpportunityResponseDto] }) data!: OpportunityResponseDto[];
}
