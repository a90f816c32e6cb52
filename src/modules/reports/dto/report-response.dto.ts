import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

import { RefDto, UserRefDto } from '../../../common/dto/refs.dto.js';

/** An amount in one currency: amounts in different currencies are never added together. */
export class MoneyDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ example: 2500000.5 }) amount!: number;
}

export class DealTotalsDto {
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'Sum of expectedAmount' }) expected!: number;
  @ApiProperty({ description: 'Sum of commitmentAmount' }) committed!: number;
  @ApiProperty({ description: 'Sum of expectedAmount × probability / 100, each rounded to the cent' })
  weighted!: number;
}

/** One group of deals (a stage, an owner, a priority): count over all currencies, money per currency. */
export class DealGroupDto {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The stage, priority or owner id (null: no owner)',
  })
  key!: string | null;
  @ApiProperty() label!: string;
  @ApiProperty() count!: number;
  @ApiProperty({ type: [DealTotalsDto] }) totals!: DealTotalsDto[];
}

/** The fund a report is about (not its figures: FundSummaryDto of /api/funds is those). */
export class ReportFundDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['raising', 'closed'] }) status!: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ nullable: true, type: Number }) targetAmount!: number | null;
  @ApiProperty({ nullable: true, type: Number }) vintageYear!: number | null;
}

export class DashboardKpisDto {
  @ApiProperty({ description: 'LP profiles in the fund' }) lps!: number;
  @ApiProperty({ type: [MoneyDto] }) committed!: MoneyDto[];
  @ApiProperty({ type: [MoneyDto] }) funded!: MoneyDto[];
  @ApiProperty({ type: [MoneyDto], description: 'Expected amount of the fund’s open deals' })
  pipeline!: MoneyDto[];
  @ApiProperty({ type: [MoneyDto] }) weightedPipeline!: MoneyDto[];
  @ApiProperty({ description: 'Open deals (not funded, not lost), all funds' }) activeOpportunities!: number;
  @ApiProperty({ description: 'Live contacts of type prospect' }) prospects!: number;
  @ApiProperty({ description: 'Distinct LPs over all funds (one person in two funds counts once)' })
  lpsAllFunds!: number;
  @ApiProperty({ description: 'Communications since the 1st of this month (UTC)' })
  communicationsThisMonth!: number;
}

export class RecentCommunicationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() type!: string;
  @ApiProperty({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) date!: Date;
  @ApiProperty({ nullable: true, type: RefDto }) contact!: RefDto | null;
  @ApiProperty({ nullable: true, type: RefDto }) opportunity!: RefDto | null;
  @ApiProperty({ nullable: true, type: UserRefDto }) createdBy!: UserRefDto | null;
}

export class NextActionDto {
  @ApiProperty({ format: 'uuid', description: 'The communication' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) nextAction!: string | null;
  @ApiProperty({ format: 'date' }) dueDate!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ nullable: true, type: RefDto }) contact!: RefDto | null;
  @ApiProperty({ nullable: true, type: RefDto }) opportunity!: RefDto | null;
}

export class DueTaskDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ format: 'date' }) dueDate!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty() priority!: string;
  @ApiProperty({ nullable: true, type: UserRefDto }) assignee!: UserRefDto | null;
}

export class StageChangeReportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: RefDto }) opportunity!: RefDto;
  @ApiProperty({ nullable: true, type: String }) from!: string | null;
  @ApiProperty() to!: string;
  @ApiProperty({ type: String, format: 'date-time' }) at!: Date;
  @ApiProperty({ nullable: true, type: UserRefDto }) by!: UserRefDto | null;
}

export class DashboardDto {
  @ApiProperty({ nullable: true, type: ReportFundDto, description: 'The fund the fund figures are about' })
  fund!: ReportFundDto | null;
  @ApiProperty({ type: DashboardKpisDto }) kpis!: DashboardKpisDto;
  @ApiProperty({ type: [DealGroupDto], description: 'Every stage of the fund, in pipeline order' })
  pipelineByStage!: DealGroupDto[];
  @ApiProperty({ type: [RecentCommunicationDto] }) recentCommunications!: RecentCommunicationDto[];
  @ApiProperty({ type: [NextActionDto], description: 'Due within 14 days, overdue first' })
  nextActions!: NextActionDto[];
  @ApiProperty({ type: [DueTaskDto], description: 'Open tasks due within 14 days, overdue first' })
  tasks!: DueTaskDto[];
  @ApiProperty({ type: [StageChangeReportDto] }) recentStageChanges!: StageChangeReportDto[];
}

export class DashboardEnvelopeDto {
  @ApiProperty({ type: DashboardDto }) data!: DashboardDto;
}

export class PipelineReportDto {
  @ApiProperty({ nullable: true, type: RefDto, description: 'The fund asked for; null: all funds' })
  fund!: RefDto | null;
  @ApiProperty({ type: [DealGroupDto] }) byStage!: DealGroupDto[];
  @ApiProperty({ type: [DealGroupDto] }) byOwner!: DealGroupDto[];
  @ApiProperty({ type: [DealGroupDto] }) byPriority!: DealGroupDto[];
}

export class PipelineReportEnvelopeDto {
  @ApiProperty({ type: PipelineReportDto }) data!: PipelineReportDto;
}

export class LpTotalsDto {
  @ApiProperty() currency!: string;
  @ApiProperty() count!: number;
  @ApiProperty() committed!: number;
  @ApiProperty() funded!: number;
  @ApiProperty() unfunded!: number;
}

export class LpGroupDto {
  @ApiProperty({ nullable: true, type: String, description: 'null: not set' }) key!: string | null;
  @ApiProperty() count!: number;
  @ApiProperty({ type: [LpTotalsDto] }) totals!: LpTotalsDto[];
}

export class LpRowDto {
  @ApiProperty({ format: 'uuid', description: 'The LP profile' }) id!: string;
  @ApiProperty({ type: RefDto }) contact!: RefDto;
  @ApiProperty({ description: 'The contact record is deleted (the commitment still counts)' })
  contactDeleted!: boolean;
  @ApiProperty({ nullable: true, type: RefDto }) organization!: RefDto | null;
  @ApiProperty({ nullable: true, type: String }) organizationType!: string | null;
  @ApiProperty({ type: RefDto }) fund!: RefDto;
  @ApiProperty({ nullable: true, type: String }) investorType!: string | null;
  @ApiProperty() currency!: string;
  @ApiProperty() commitment!: number;
  @ApiProperty() funded!: number;
  @ApiProperty() unfunded!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) commitmentDate!: string | null;
  @ApiProperty() legalDocsSigned!: boolean;
  @ApiProperty() wireReceived!: boolean;
  @ApiProperty() k1Sent!: boolean;
}

export class LpSummaryDto {
  @ApiProperty() lps!: number;
  @ApiProperty() legalDocsSigned!: number;
  @ApiProperty() wireReceived!: number;
  @ApiProperty() k1Sent!: number;
  @ApiProperty({ type: [LpTotalsDto] }) totals!: LpTotalsDto[];
}

export class LpBreakdownDto {
  @ApiProperty({ nullable: true, type: RefDto }) fund!: RefDto | null;
  @ApiProperty({ type: LpSummaryDto }) summary!: LpSummaryDto;
  @ApiProperty({ type: [LpGroupDto] }) byInvestorType!: LpGroupDto[];
  @ApiProperty({ type: [LpGroupDto] }) byOrganizationType!: LpGroupDto[];
  @ApiProperty({ type: [LpRowDto], description: 'Largest commitment first' }) lps!: LpRowDto[];
}

export class LpBreakdownEnvelopeDto {
  @ApiProperty({ type: LpBreakdownDto }) data!: LpBreakdownDto;
}

export class CountDto {
  @ApiProperty({ nullable: true, type: String }) key!: string | null;
  @ApiProperty() label!: string;
  @ApiProperty() count!: number;
}

export class DayCountDto {
  @ApiProperty({ format: 'date' }) date!: string;
  @ApiProperty() count!: number;
}

export class ActivityReportDto {
  @ApiProperty({ format: 'date' }) from!: string;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty() days!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ type: [CountDto], description: 'By author (key: user id, null: unknown), most first' })
  byUser!: CountDto[];
  @ApiProperty({ type: [CountDto], description: 'Every type, zeros included' }) byType!: CountDto[];
  @ApiProperty({ type: [DayCountDto], description: 'Every day of the window, zeros included' })
  byDay!: DayCountDto[];
}

export class ActivityEnvelopeDto {
  @ApiProperty({ type: ActivityReportDto }) data!: ActivityReportDto;
}

export class StageDaysReportDto {
  @ApiProperty() stage!: string;
  @ApiProperty({ description: 'Finished visits that began in the window' }) visits!: number;
  @ApiProperty({ nullable: true, type: Number }) medianDays!: number | null;
  @ApiProperty({ nullable: true, type: Number }) meanDays!: number | null;
}

export class ConversionDto {
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty({ description: 'Deals that reached `from` or beyond' }) reached!: number;
  @ApiProperty({ description: 'Of those, deals that reached `to` or beyond' }) converted!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'converted / reached, 4 decimals' }) rate!:
    number | null;
}

export class VelocityDto {
  @ApiProperty() currency!: string;
  @ApiProperty() openDeals!: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Average won amount in the window' })
  averageWonAmount!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Money per day; null without a won deal' })
  perDay!: number | null;
}

export class LostReasonDto {
  @ApiProperty() reason!: string;
  @ApiProperty() count!: number;
}

export class PipelineAnalyticsDto {
  @ApiProperty({ nullable: true, type: RefDto }) fund!: RefDto | null;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) from!: string | null;
  @ApiProperty({ format: 'date' }) to!: string;
  @ApiProperty({ type: [StageDaysReportDto] }) daysPerStage!: StageDaysReportDto[];
  @ApiProperty({ type: [ConversionDto] }) conversion!: ConversionDto[];
  @ApiProperty() won!: number;
  @ApiProperty() lost!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'won / (won + lost), 4 decimals' })
  winRate!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Mean days from first stage to funded' })
  averageCycleDays!: number | null;
  @ApiProperty({
    type: [VelocityDto],
    description: 'open deals × win rate × average won amount ÷ cycle days',
  })
  velocity!: VelocityDto[];
  @ApiProperty({ type: [LostReasonDto] }) lostReasons!: LostReasonDto[];
}

export class PipelineAnalyticsEnvelopeDto {
  @ApiProperty({ type: PipelineAnalyticsDto }) data!: PipelineAnalyticsDto;
}

export class EarlierCommitmentDto {
  @ApiProperty({ type: RefDto }) fund!: RefDto;
  @ApiProperty() currency!: string;
  @ApiProperty() amount!: number;
}

export class ReUpTargetDto {
  @ApiProperty({ type: RefDto }) contact!: RefDto;
  @ApiProperty({ nullable: true, type: String }) organizationName!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastContactDate!: Date | null;
  @ApiProperty({ type: [EarlierCommitmentDto] }) earlierCommitments!: EarlierCommitmentDto[];
}

export class FundProgressDto {
  @ApiProperty({ type: ReportFundDto }) fund!: ReportFundDto;
  @ApiProperty({ type: [MoneyDto] }) committed!: MoneyDto[];
  @ApiProperty({ type: [MoneyDto] }) funded!: MoneyDto[];
  @ApiProperty({ type: [MoneyDto] }) weightedPipeline!: MoneyDto[];
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'target − committed in the fund’s currency (other currencies are not converted); null without a target',
  })
  gapToTarget!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'weighted pipeline ÷ gap, in the fund’s currency, 4 decimals; null when there is no gap',
  })
  coverage!: number | null;
  @ApiProperty({ description: 'LPs of earlier funds not yet in this fund (no LP profile, no live deal)' })
  reUpTargetCount!: number;
  @ApiProperty({
    type: [ReUpTargetDto],
    description: 'The 100 with the largest earlier commitment, largest first',
  })
  reUpTargets!: ReUpTargetDto[];
}

export class FundProgressEnvelopeDto {
  @ApiProperty({ type: FundProgressDto }) data!: FundProgressDto;
}
