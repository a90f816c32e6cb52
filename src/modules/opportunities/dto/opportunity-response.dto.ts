import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';

import { Embedded, EmbeddedCustomFields, included } from '../../../common/dto/embedded.js';
import { ListMetaDto } from '../../../common/dto/paging.dto.js';
import { personName, RefDto, UserRefDto } from '../../../common/dto/refs.dto.js';
import { Priority } from '../../../common/entities/enums.js';
import { CommunicationType } from '../../communications/communication.entity.js';
import { timestamp, userRefOf } from '../../../common/utils/record-rows.js';
import type {
  OpportunityCommunicationRow,
  OpportunityDetail,
  OpportunityView,
} from '../opportunities.repository.js';
import type { OpportunityInclude } from './opportunity.dto.js';
import { OpportunityStage } from '../opportunity.entity.js';

const DAY_MS = 86_400_000;

/** Whole days from `since` (a Date or its ISO text) to `now` (never negative). */
export function wholeDays(since: Date | string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(since).getTime()) / DAY_MS));
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

export class OpportunityResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Redwood Endowment — Fund II' }) name!: string;
  @ApiProperty({ type: RefDto, nullable: true, description: 'The contact, named "First Last"' })
  contact!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true }) organization!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true }) fund!: RefDto | null;
  @ApiProperty({ enum: OpportunityStage }) stage!: OpportunityStage;
  @ApiProperty({ type: String, format: 'date-time', description: 'When the current stage began' })
  stageChangedAt!: string;
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
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt!: string | null;

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
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
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
  @ApiProperty({ type: String, format: 'date-time' }) communicationDate!: string;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes!: number | null;
  @ApiProperty({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty({ nullable: true, type: String }) nextAction!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) nextActionDate!: string | null;
  @ApiProperty({ type: RefDto, nullable: true }) contact!: RefDto | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) createdBy!: UserRefDto | null;

  static fromRow(this: void, r: OpportunityCommunicationRow): OpportunityCommunicationDto {
    return {
      id: r.id,
      type: r.type,
      subject: r.subject,
      communicationDate: timestamp(r.communicationDate),
      durationMinutes: r.durationMinutes,
      outcome: r.outcome,
      nextAction: r.nextAction,
      nextActionDate: r.nextActionDate,
      contact: r.contactId
        ? {
            id: r.contactId,
            name: personName({ firstName: r.contactFirstName!, lastName: r.contactLastName! }),
          }
        : null,
      createdBy: userRefOf(r),
    };
  }
}

export class OpportunityDetailDto extends OmitType(OpportunityResponseDto, [
  'contact',
  'organization',
  'fund',
  'owner',
  'customFields',
] as const) {
  @Embedded({ type: RefDto, nullable: true, description: 'The contact, named "First Last"' })
  contact?: RefDto | null;
  @Embedded({ type: RefDto, nullable: true }) organization?: RefDto | null;
  @Embedded({ type: RefDto, nullable: true }) fund?: RefDto | null;
  @Embedded({ type: UserRefDto, nullable: true }) owner?: UserRefDto | null;
  @EmbeddedCustomFields() customFields?: Record<string, unknown>;
  @Embedded({ type: [StageChangeDto], description: 'Every stage change, oldest first' })
  stageHistory?: StageChangeDto[];
  @ApiPropertyOptional({
    type: [StageDaysDto],
    description: 'Time in each stage visited, in pipeline order; comes with stageHistory',
  })
  daysPerStage?: StageDaysDto[];
  @Embedded({ type: [OpportunityCommunicationDto], description: 'The latest 50, newest first' })
  communications?: OpportunityCommunicationDto[];
  @ApiPropertyOptional({
    description: 'All communications about this opportunity; comes with communications',
  })
  communicationsTotal?: number;

  /**
   * The detail as the response shows it: the opportunity's own fields and what `include` asks for (`timeline`
   * computed from the stage history when it is asked for).
   */
  static from(
    this: void,
    detail: OpportunityDetail,
    include: ReadonlySet<OpportunityInclude>,
    timeline: Pick<OpportunityDetailDto, 'stageHistory' | 'daysPerStage'> | undefined,
    now: Date,
  ): OpportunityDetailDto {
    const { contact, organization, fund, owner, customFields, ...own } = OpportunityResponseDto.from(
      detail.view,
      now,
    );
    return {
      ...own,
      ...included({ contact, organization, fund, owner, customFields }, include),
      ...timeline,
      ...(detail.communications && {
        communications: detail.communications.map(OpportunityCommunicationDto.fromRow),
        communicationsTotal: detail.communicationsTotal,
      }),
    };
  }
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
