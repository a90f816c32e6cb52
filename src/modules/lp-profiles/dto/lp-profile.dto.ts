import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { CustomFieldFilterQueryDto, ListMetaDto } from '../../../common/dto/paging.dto.js';
import { personName, RefDto } from '../../../common/dto/refs.dto.js';
import { SortField, SortOrderField, type SortOrder } from '../../../common/dto/sort.js';
import {
  CustomFieldsInput,
  IsCurrency,
  IsDateOnly,
  IsMoney,
  OptionalText,
  QueryUuid,
} from '../../../common/dto/validators.js';
import { VersionInput } from '../../../common/entities/versioning.js';
import { ContactMethod, oneOf } from '../../../common/entities/enums.js';
import { timestamp, refOf } from '../../../common/utils/record-rows.js';
import { ContactLpProfileDto } from '../../contacts/dto/contact-response.dto.js';
import { InvestorType } from '../lp-profile.entity.js';
import type { LpProfileRow } from '../lp-profiles.repository.js';

export class LpContactDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Dana Ruiz' }) name!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ type: RefDto, nullable: true }) organization!: RefDto | null;
}

export class LpProfileResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: LpContactDto }) contact!: LpContactDto;
  @ApiProperty({ type: RefDto }) fund!: RefDto;
  @ApiProperty({ example: 10000000 }) commitmentAmount!: number;
  @ApiProperty({ example: 2500000 }) fundedAmount!: number;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) commitmentDate!: string | null;
  @ApiProperty({ enum: InvestorType, nullable: true }) investorType!: InvestorType | null;
  @ApiProperty() accredited!: boolean;
  @ApiProperty() legalDocsSigned!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) signedDate!: string | null;
  @ApiProperty() wireReceived!: boolean;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) wireDate!: string | null;
  @ApiProperty() k1Sent!: boolean;
  @ApiProperty({ enum: ContactMethod, nullable: true }) preferredCommunication!: ContactMethod | null;
  @ApiProperty({ nullable: true, type: String }) notes!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Custom field values by key' })
  customFields!: Record<string, unknown>;
  @ApiProperty({ description: 'Send it back with updates; a stale one gets 409' }) version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;

  /** The response of a row (lp-profiles.repository.ts): lists, details, the export and the answers of writes. */
  static from(this: void, r: LpProfileRow): LpProfileResponseDto {
    // The commitment's fields as the contact page maps them; the key order is the response's.
    const { id, fund, version, ...commitment } = ContactLpProfileDto.from(r);
    return {
      id,
      contact: {
        id: r.contactId,
        name: personName({ firstName: r.contactFirstName, lastName: r.contactLastName }),
        email: r.contactEmail,
        organization: refOf(r.organizationId, r.organizationName),
      },
      fund,
      ...commitment,
      preferredCommunication: r.preferredCommunication,
      notes: r.notes,
      customFields: r.customFields,
      version,
      createdAt: timestamp(r.createdAt),
      updatedAt: timestamp(r.updatedAt),
    };
  }
}

export class LpProfileEnvelopeDto {
  @ApiProperty({ type: LpProfileResponseDto }) data!: LpProfileResponseDto;
}

export class LpProfileListDto extends ListMetaDto {
  @ApiProperty({ type: [LpProfileResponseDto] }) data!: LpProfileResponseDto[];
}

const DATE = { type: String, format: 'date', nullable: true, example: '2024-03-15' } as const;

export class CreateLpProfileDto {
  @ApiProperty({ format: 'uuid', description: 'A live contact; it becomes an investor' })
  @IsUUID('all', { message: 'must be a contact id (UUID)' })
  contactId!: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all', { message: 'must be a fund id (UUID)' })
  fundId!: string;

  @ApiPropertyOptional({ default: 0, example: 10000000 })
  @IsOptional()
  @IsMoney()
  commitmentAmount?: number;

  @ApiPropertyOptional({ default: 0, description: 'At most the commitment' })
  @IsOptional()
  @IsMoney()
  fundedAmount?: number;

  @ApiPropertyOptional({ example: 'USD', default: 'USD' })
  @IsOptional()
  @IsCurrency()
  currency?: string;

  @ApiPropertyOptional(DATE) @IsOptional() @IsDateOnly() commitmentDate?: string | null;

  @ApiPropertyOptional({ enum: InvestorType, nullable: true })
  @IsOptional()
  @IsEnum(InvestorType, oneOf(InvestorType))
  investorType?: InvestorType | null;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() accredited?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() legalDocsSigned?: boolean;
  @ApiPropertyOptional(DATE) @IsOptional() @IsDateOnly() signedDate?: string | null;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() wireReceived?: boolean;
  @ApiPropertyOptional(DATE) @IsOptional() @IsDateOnly() wireDate?: string | null;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() k1Sent?: boolean;

  @ApiPropertyOptional({ enum: ContactMethod, nullable: true })
  @IsOptional()
  @IsEnum(ContactMethod, oneOf(ContactMethod))
  preferredCommunication?: ContactMethod | null;

  @ApiPropertyOptional({ maxLength: 20000 }) @OptionalText(20000) notes?: string | null;

  @CustomFieldsInput()
  customFields?: Record<string, unknown>;
}

/** PUT: the whole profile; fields left out are cleared (amounts to 0, flags to false). */
export class ReplaceLpProfileDto extends CreateLpProfileDto {
  @VersionInput()
  version?: number;
}

/** PATCH: only the fields sent change. */
export class UpdateLpProfileDto extends PartialType(ReplaceLpProfileDto, { skipNullProperties: false }) {}

export const LP_PROFILE_SORTS = ['commitmentAmount', 'fundedAmount', 'commitmentDate', 'createdAt'] as const;
export type LpProfileSort = (typeof LP_PROFILE_SORTS)[number];

export class ListLpProfilesQueryDto extends CustomFieldFilterQueryDto {
  @ApiPropertyOptional({
    description: 'Matches the contact’s name or email, or the contact’s organization name, anywhere',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @QueryUuid('a fund')
  fundId?: string;

  @QueryUuid('a contact')
  contactId?: string;

  @ApiPropertyOptional({
    description:
      'Default commitmentAmount (largest first); a profile without commitmentDate sorts as the latest',
  })
  @SortField(LP_PROFILE_SORTS, 'commitmentAmount')
  sort?: LpProfileSort;

  @ApiPropertyOptional({ description: 'desc when sort is left out, asc otherwise' })
  @SortOrderField()
  order?: SortOrder;
}
