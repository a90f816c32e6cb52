import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

import { ListMetaDto, PagingQueryDto } from '../../../common/dto/paging.dto.js';
import { RefDto, UserRefDto } from '../../../common/dto/refs.dto.js';
import { timestamp, refOf, userRefOf } from '../../../common/utils/record-rows.js';
import { SortField, type SortOrder } from '../../../common/dto/sort.js';
import {
  IsDateOnly,
  OptionalText,
  OptionalUuid,
  QueryBoolean,
  WhenPresent,
} from '../../../common/dto/validators.js';
import { oneOf } from '../../../common/entities/enums.js';
import { CommunicationType } from '../communication.entity.js';
import type { CommunicationFieldsRow, CommunicationRow } from '../communications.repository.js';
import { IsDateOrDateTime, IsDateTime } from '../date-range.js';
import { contactRef } from '../linked-records.js';

export class CommunicationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CommunicationType }) type!: CommunicationType;
  @ApiProperty({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty({ nullable: true, type: String }) body!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) communicationDate!: string;
  @ApiProperty({ nullable: true, type: Number }) durationMinutes!: number | null;
  @ApiProperty({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty({ nullable: true, type: String }) nextAction!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date', example: '2024-03-22' })
  nextActionDate!: string | null;
  @ApiProperty({ type: [String], description: 'Names or emails of the people present' })
  attendees!: string[];
  @ApiProperty({ type: RefDto, nullable: true, description: 'name is "First Last"' })
  contact!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true }) opportunity!: RefDto | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) createdBy!: UserRefDto | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;

  /** The response of a row (communications.repository.ts): lists, details, the export and the answers of writes. */
  static from(this: void, r: CommunicationRow): CommunicationResponseDto {
    return {
      ...communicationFields(r),
      attendees: r.attendees,
      contact: r.contactId
        ? contactRef({ id: r.contactId, firstName: r.contactFirstName!, lastName: r.contactLastName! })
        : null,
      opportunity: refOf(r.opportunityId, r.opportunityName),
      createdBy: userRefOf(r),
      createdAt: timestamp(r.createdAt),
      updatedAt: timestamp(r.updatedAt),
    };
  }
}

/** The fields every communication response starts with, in its order (this one's and the contact detail's). */
export function communicationFields(r: CommunicationFieldsRow) {
  return {
    id: r.id,
    type: r.type,
    subject: r.subject,
    body: r.body,
    communicationDate: timestamp(r.communicationDate),
    durationMinutes: r.durationMinutes,
    outcome: r.outcome,
    nextAction: r.nextAction,
    nextActionDate: r.nextActionDate,
  };
}

export class CommunicationEnvelopeDto {
  @ApiProperty({ type: CommunicationResponseDto }) data!: CommunicationResponseDto;
}

export class CommunicationListDto extends ListMetaDto {
  @ApiProperty({ type: [CommunicationResponseDto] }) data!: CommunicationResponseDto[];
}

export class CreateCommunicationDto {
  @ApiProperty({ enum: CommunicationType })
  @IsEnum(CommunicationType, oneOf(CommunicationType))
  type!: CommunicationType;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'A live contact. Give contactId, opportunityId or both.',
  })
  @OptionalUuid()
  contactId?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: "A live opportunity. Given alone, the opportunity's contact (if any) becomes the contact.",
  })
  @OptionalUuid()
  opportunityId?: string | null;

  @ApiPropertyOptional({ maxLength: 300 }) @OptionalText(300) subject?: string | null;
  @ApiPropertyOptional({ maxLength: 50000 }) @OptionalText(50000) body?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'When it happened (ISO 8601); default now. PUT keeps the stored one when left out.',
  })
  @WhenPresent()
  @IsDateTime()
  communicationDate?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1440, nullable: true, type: Number })
  @IsOptional()
  @IsInt({ message: 'must be a whole number of minutes' })
  @Min(0, { message: 'must not be negative' })
  @Max(1440, { message: 'must be at most 1440 (one day)' })
  durationMinutes?: number | null;

  @ApiPropertyOptional({ maxLength: 500 }) @OptionalText(500) outcome?: string | null;
  @ApiPropertyOptional({ maxLength: 500 }) @OptionalText(500) nextAction?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2024-03-22', nullable: true })
  @IsOptional()
  @IsDateOnly()
  nextActionDate?: string | null;

  @ApiPropertyOptional({
    type: [String],
    maxItems: 50,
    description: 'Up to 50 names or emails, ≤ 200 chars each',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.trim() : v)) : value,
  )
  @IsArray()
  @ArrayMaxSize(50, { message: 'must have at most 50 entries' })
  @IsString({ each: true, message: 'must be an array of strings' })
  @MinLength(1, { each: true, message: 'entries must not be blank' })
  @MaxLength(200, { each: true, message: 'entries must be at most 200 characters' })
  attendees?: string[] | null;
}

/** PUT: the whole record; optional fields left out are cleared (communicationDate is kept). */
export class ReplaceCommunicationDto extends CreateCommunicationDto {}

/** PATCH: only the fields sent change; null clears an optional field. */
export class UpdateCommunicationDto extends PartialType(CreateCommunicationDto, {
  skipNullProperties: false,
}) {}

/** Filters shared by `/communications` and `/contacts/:id/communications`. */
export class CommunicationFiltersQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ enum: CommunicationType })
  @IsOptional()
  @IsEnum(CommunicationType, oneOf(CommunicationType))
  type?: CommunicationType;

  @ApiPropertyOptional({
    description:
      'Full-text search on subject and body (English stemming: "meeting" also finds "meetings"); ' +
      'web-search syntax: "exact phrase", or, -excluded',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({
    description:
      'communicationDate on or after: a day (YYYY-MM-DD, from its start in server time) or an ISO date-time',
  })
  @IsOptional()
  @IsDateOrDateTime()
  from?: string;

  @ApiPropertyOptional({
    description:
      'communicationDate on or before: a day (YYYY-MM-DD, the whole day in server time) or an ISO date-time',
  })
  @IsOptional()
  @IsDateOrDateTime()
  to?: string;

  @ApiPropertyOptional({
    description:
      'Managers and admins: include communications whose contact or opportunity is deleted (hidden otherwise)',
  })
  @IsOptional()
  @QueryBoolean()
  includeDeleted?: boolean;
}

export const COMMUNICATION_SORTS = ['communicationDate', 'createdAt', 'type'] as const;

export class ListCommunicationsQueryDto extends CommunicationFiltersQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a contact id (UUID)' })
  contactId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an opportunity id (UUID)' })
  opportunityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Logged by this user' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a user id (UUID)' })
  createdById?: string;

  @SortField(COMMUNICATION_SORTS, 'communicationDate')
  sort?: (typeof COMMUNICATION_SORTS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc', description: 'Newest first by default' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'must be asc or desc' })
  order?: SortOrder;
}
