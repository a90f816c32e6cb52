import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEnum, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { IncludeDeletedQueryDto } from '../../../common/dto/include-deleted.dto.js';
import { CustomFieldFilterQueryDto } from '../../../common/dto/paging.dto.js';
import { SortField, SortOrderField, type SortOrder } from '../../../common/dto/sort.js';
import {
  CustomFieldsInput,
  IsCurrency,
  IsDateOnly,
  IsMoney,
  OptionalText,
  OptionalUuid,
  QueryBoolean,
  QueryList,
  QueryUuid,
  RequiredText,
} from '../../../common/dto/validators.js';
import { oneOf, Priority } from '../../../common/entities/enums.js';
import { VersionInput } from '../../../common/entities/versioning.js';
import { OpportunityStage } from '../opportunity.entity.js';

const PROBABILITY_HELP = 'Percent 0–100; defaults to the stage’s probability (10/20/35/60/90/100/0)';

/** A probability in percent, as a whole number. */
function Probability(): PropertyDecorator {
  return applyDecorators(
    IsOptional(),
    IsInt({ message: 'must be a whole number (percent)' }),
    Min(0, { message: 'must be at least 0' }),
    Max(100, { message: 'must be at most 100' }),
  );
}

export class CreateOpportunityDto {
  @ApiProperty({ example: 'Redwood Endowment — Fund II', maxLength: 200 })
  @RequiredText(200)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A live contact' })
  @OptionalUuid()
  contactId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A live organization' })
  @OptionalUuid()
  organizationId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true })
  @OptionalUuid()
  fundId?: string | null;

  @ApiPropertyOptional({ enum: OpportunityStage, default: OpportunityStage.Lead })
  @IsOptional()
  @IsEnum(OpportunityStage, oneOf(OpportunityStage))
  stage?: OpportunityStage;

  @ApiPropertyOptional({ type: Number, nullable: true, example: 5000000 })
  @IsOptional()
  @IsMoney()
  expectedAmount?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @IsMoney()
  commitmentAmount?: number | null;

  @ApiPropertyOptional({ example: 'USD', default: 'USD' })
  @IsOptional()
  @IsCurrency()
  currency?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: PROBABILITY_HELP })
  @Probability()
  probability?: number;

  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, example: '2026-06-30' })
  @IsOptional()
  @IsDateOnly()
  expectedCloseDate?: string | null;

  @ApiPropertyOptional({ maxLength: 20000 }) @OptionalText(20000) description?: string | null;
  @ApiPropertyOptional({ maxLength: 500 }) @OptionalText(500) nextStep?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'An active user; on create it defaults to the caller',
  })
  @OptionalUuid()
  ownerId?: string | null;

  @ApiPropertyOptional({ enum: Priority, default: Priority.Medium })
  @IsOptional()
  @IsEnum(Priority, oneOf(Priority))
  priority?: Priority;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Required when the stage is lost, refused otherwise' })
  @OptionalText(2000)
  lostReason?: string | null;

  @CustomFieldsInput()
  customFields?: Record<string, unknown>;
}

/** PUT: the whole record; fields left out are cleared (probability back to the stage's default). */
export class ReplaceOpportunityDto extends CreateOpportunityDto {
  @VersionInput()
  version?: number;
}

/** PATCH: only the fields sent change; null clears an optional field. */
export class UpdateOpportunityDto extends PartialType(ReplaceOpportunityDto, { skipNullProperties: false }) {}

/** PATCH /opportunities/:id/stage — a move on the pipeline board. */
export class ChangeStageDto {
  @ApiProperty({ enum: OpportunityStage })
  @IsEnum(OpportunityStage, oneOf(OpportunityStage))
  stage!: OpportunityStage;

  @ApiPropertyOptional({ maxLength: 2000, description: 'Required when moving to lost' })
  @OptionalText(2000)
  lostReason?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'Overrides the new stage’s default' })
  @Probability()
  probability?: number;

  @VersionInput()
  version?: number;
}

export const OPPORTUNITY_SORTS = [
  'updatedAt',
  'createdAt',
  'name',
  'stage',
  'expectedAmount',
  'expectedCloseDate',
  'probability',
] as const;

export type OpportunitySort = (typeof OPPORTUNITY_SORTS)[number];

export class ListOpportunitiesQueryDto extends CustomFieldFilterQueryDto {
  @ApiPropertyOptional({
    description:
      'Matches, case-insensitively and anywhere in the word, the name, the contact’s name or email, or the organization’s name',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: OpportunityStage })
  @IsOptional()
  @IsEnum(OpportunityStage, oneOf(OpportunityStage))
  stage?: OpportunityStage;

  @ApiPropertyOptional({ enum: Priority })
  @IsOptional()
  @IsEnum(Priority, oneOf(Priority))
  priority?: Priority;

  @QueryUuid('a user')
  ownerId?: string;

  @QueryUuid('a fund')
  fundId?: string;

  @QueryUuid('a contact')
  contactId?: string;

  @QueryUuid('an organization')
  organizationId?: string;

  @ApiPropertyOptional({
    description:
      'Default updatedAt (most recently updated first). stage sorts in pipeline order; an opportunity without ' +
      'expectedAmount sorts as the smallest, one without expectedCloseDate as the latest',
  })
  @SortField(OPPORTUNITY_SORTS, 'updatedAt')
  sort?: OpportunitySort;

  @ApiPropertyOptional({ description: 'desc when sort is left out, asc otherwise' })
  @SortOrderField()
  order?: SortOrder;

  @ApiPropertyOptional({ description: 'Managers and admins: include deleted opportunities' })
  @IsOptional()
  @QueryBoolean()
  includeDeleted?: boolean;
}

/** What GET /opportunities/:id embeds besides the opportunity's own fields: all unless `include` lists some. */
export const OPPORTUNITY_INCLUDES = [
  'contact',
  'organization',
  'fund',
  'owner',
  'customFields',
  'stageHistory',
  'communications',
] as const;
export type OpportunityInclude = (typeof OPPORTUNITY_INCLUDES)[number];

export class OpportunityDetailQueryDto extends IncludeDeletedQueryDto {
  @QueryList(
    OPPORTUNITY_INCLUDES,
    'Embed only these (the others are left out of the answer); without it, all of them. `stageHistory` ' +
      'brings `daysPerStage` with it, `communications` brings `communicationsTotal`.',
  )
  include?: OpportunityInclude[];
}
