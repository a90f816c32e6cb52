import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsUUID,
  ValidateIf,
} from 'class-validator';

import { ListMetaDto } from '../../../common/dto/paging.dto.js';
import { RefDto } from '../../../common/dto/refs.dto.js';
import { OptionalUuid } from '../../../common/dto/validators.js';

export class MergeContactDto {
  @ApiProperty({ format: 'uuid', description: 'The contact merged into this one, then deleted (softly)' })
  @IsUUID('all', { message: 'must be a contact id (UUID)' })
  sourceId!: string;
}

export const BULK_ACTIONS = ['tag', 'untag', 'assign', 'delete'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];
export const MAX_BULK_IDS = 500;

export class BulkContactsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_BULK_IDS })
  @IsArray()
  @ArrayMinSize(1, { message: 'must list at least one contact id' })
  @ArrayMaxSize(MAX_BULK_IDS, { message: `must list at most ${MAX_BULK_IDS} contact ids` })
  @IsUUID('all', { each: true, message: 'must be an array of contact ids (UUIDs)' })
  ids!: string[];

  @ApiProperty({ enum: BULK_ACTIONS })
  @IsIn(BULK_ACTIONS, { message: `must be one of: ${BULK_ACTIONS.join(', ')}` })
  action!: BulkAction;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'For tag and untag: the tags' })
  @ValidateIf(
    (dto: BulkContactsDto) => dto.action === 'tag' || dto.action === 'untag' || dto.tagIds !== undefined,
  )
  @IsArray()
  @ArrayNotEmpty({ message: 'must list at least one tag id' })
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true, message: 'must be an array of tag ids (UUIDs)' })
  tagIds?: string[];

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'For assign: the new owner (an active user); null unassigns',
  })
  @OptionalUuid()
  ownerId?: string | null;
}

export class BulkResultDto {
  @ApiProperty({ enum: BULK_ACTIONS }) action!: BulkAction;
  @ApiProperty({ description: 'How many distinct contacts the action was applied to' }) affected!: number;
}

export class BulkResultEnvelopeDto {
  @ApiProperty({ type: BulkResultDto }) data!: BulkResultDto;
}

export const DUPLICATE_REASONS = ['same_email', 'similar_name'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

export class DuplicateContactDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ type: RefDto, nullable: true }) organization!: RefDto | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
}

export class DuplicateGroupDto {
  @ApiProperty({
    enum: DUPLICATE_REASONS,
    description:
      'same_email: equal emails ignoring case; similar_name: similar full names in one organization',
  })
  reason!: DuplicateReason;

  @ApiProperty({
    description: 'Why, in words',
    example: 'similar names at Redwood Endowment (similarity 0.75)',
  })
  explanation!: string;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'similar_name: the highest pg_trgm similarity between two names of the group (0–1)',
  })
  similarity!: number | null;

  @ApiProperty({ type: [DuplicateContactDto], description: 'Oldest first: usually the one to keep' })
  contacts!: DuplicateContactDto[];
}

export class DuplicateListDto extends ListMetaDto {
  @ApiProperty({ type: [DuplicateGroupDto] }) data!: DuplicateGroupDto[];
}
