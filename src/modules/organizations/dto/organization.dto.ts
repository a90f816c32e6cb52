import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { Embedded, EmbeddedCustomFields, EmbeddedTags, included } from '../../../common/dto/embedded.js';
import { IncludeDeletedQueryDto } from '../../../common/dto/include-deleted.dto.js';
import { CustomFieldFilterQueryDto, ListMetaDto } from '../../../common/dto/paging.dto.js';
import { RefDto, TagRefDto } from '../../../common/dto/refs.dto.js';
import { SortField, SortOrderField, type SortOrder } from '../../../common/dto/sort.js';
import {
  CustomFieldsInput,
  IsWebUrl,
  OptionalText,
  QueryBoolean,
  QueryList,
  RequiredText,
  TagIdsInput,
} from '../../../common/dto/validators.js';
import { VersionInput } from '../../../common/entities/versioning.js';
import { oneOf } from '../../../common/entities/enums.js';
import { OrganizationType } from '../organization.entity.js';
import type {
  OpportunityRow,
  OrganizationDetailDocument,
  OrganizationRow,
} from '../organizations.repository.js';
import { timestamp, timestampOrNull, moneyOrNull, refOf } from '../../../common/utils/record-rows.js';

export class OrganizationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Redwood Endowment' }) name!: string;
  @ApiProperty({ enum: OrganizationType }) type!: OrganizationType;
  @ApiProperty({ nullable: true, type: String }) industry!: string | null;
  @ApiProperty({ nullable: true, type: String }) website!: string | null;
  @ApiProperty({ nullable: true, type: String }) phone!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty({ nullable: true, type: String }) city!: string | null;
  @ApiProperty({ nullable: true, type: String }) state!: string | null;
  @ApiProperty({ nullable: true, type: String }) country!: string | null;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: [TagRefDto] }) tags!: TagRefDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Custom field values by key' })
  customFields!: Record<string, unknown>;
  @ApiProperty({ description: 'Send it back with updates; a stale one gets 409' }) version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) deletedAt!: string | null;

  /** The response of a row (organizations.repository.ts): lists, details and the answers of writes. */
  static from(this: void, r: OrganizationRow): OrganizationResponseDto {
    return {
      id: r.id,
      name: r.name,
      type: r.type,
      industry: r.industry,
      website: r.website,
      phone: r.phone,
      email: r.email,
      address: r.address,
      city: r.city,
      state: r.state,
      country: r.country,
      description: r.description,
      tags: r.tags.map((t) => ({ id: t.id, name: t.name, color: t.color })),
      customFields: r.customFields,
      version: r.version,
      createdAt: timestamp(r.createdAt),
      updatedAt: timestamp(r.updatedAt),
      deletedAt: timestampOrNull(r.deletedAt),
    };
  }
}

export class OrganizationContactDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty() contactType!: string;
}

export class OrganizationOpportunityDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() stage!: string;
  @ApiProperty({ nullable: true, type: Number }) expectedAmount!: number | null;
  @ApiProperty({ type: RefDto, nullable: true }) fund!: RefDto | null;

  static fromRow(
    this: void,
    { fundId, fundName, expectedAmount, ...o }: OpportunityRow,
  ): OrganizationOpportunityDto {
    return { ...o, expectedAmount: moneyOrNull(expectedAmount), fund: refOf(fundId, fundName) };
  }
}

/** What GET /organizations/:id embeds besides the organization's own fields: all unless `include` lists some. */
export const ORGANIZATION_INCLUDES = ['tags', 'customFields', 'contacts', 'opportunities'] as const;
export type OrganizationInclude = (typeof ORGANIZATION_INCLUDES)[number];

export class OrganizationDetailQueryDto extends IncludeDeletedQueryDto {
  @QueryList(
    ORGANIZATION_INCLUDES,
    'Embed only these (the others are left out of the answer); without it, all of them.',
  )
  include?: OrganizationInclude[];
}

export class OrganizationDetailDto extends OmitType(OrganizationResponseDto, [
  'tags',
  'customFields',
] as const) {
  @EmbeddedTags() tags?: TagRefDto[];
  @EmbeddedCustomFields() customFields?: Record<string, unknown>;
  @Embedded({ type: [OrganizationContactDto], description: 'Live contacts by name' })
  contacts?: OrganizationContactDto[];
  @Embedded({ type: [OrganizationOpportunityDto], description: 'Live opportunities, newest first' })
  opportunities?: OrganizationOpportunityDto[];

  /** The detail document as the response shows it: the organization's own fields and what `include` asks for. */
  static from(
    this: void,
    doc: OrganizationDetailDocument,
    include: ReadonlySet<OrganizationInclude>,
  ): OrganizationDetailDto {
    const { tags, customFields, ...own } = OrganizationResponseDto.from(doc.record);
    return {
      ...own,
      ...included({ tags, customFields }, include),
      ...(doc.contacts && { contacts: doc.contacts }),
      ...(doc.opportunities && { opportunities: doc.opportunities.map(OrganizationOpportunityDto.fromRow) }),
    };
  }
}

export class OrganizationEnvelopeDto {
  @ApiProperty({ type: OrganizationResponseDto }) data!: OrganizationResponseDto;
}

export class OrganizationDetailEnvelopeDto {
  @ApiProperty({ type: OrganizationDetailDto }) data!: OrganizationDetailDto;
}

export class OrganizationListDto extends ListMetaDto {
  @ApiProperty({ type: [OrganizationResponseDto] }) data!: OrganizationResponseDto[];
}

export class CreateOrganizationDto {
  @ApiProperty({ example: 'Redwood Endowment', maxLength: 200 })
  @RequiredText(200)
  name!: string;

  @ApiPropertyOptional({ enum: OrganizationType, default: OrganizationType.Other })
  @IsOptional()
  @IsEnum(OrganizationType, oneOf(OrganizationType))
  type?: OrganizationType;

  @ApiPropertyOptional({ maxLength: 120 }) @OptionalText(120) industry?: string | null;

  @ApiPropertyOptional({ example: 'https://redwood.example', maxLength: 500 })
  @OptionalText(500)
  @IsWebUrl()
  website?: string | null;

  @ApiPropertyOptional({ maxLength: 50 }) @OptionalText(50) phone?: string | null;

  @ApiPropertyOptional({ maxLength: 254 })
  @OptionalText(254)
  @IsEmail({}, { message: 'must be a valid email address' })
  email?: string | null;

  @ApiPropertyOptional({ maxLength: 500 }) @OptionalText(500) address?: string | null;
  @ApiPropertyOptional({ maxLength: 120 }) @OptionalText(120) city?: string | null;
  @ApiPropertyOptional({ maxLength: 120 }) @OptionalText(120) state?: string | null;
  @ApiPropertyOptional({ maxLength: 120 }) @OptionalText(120) country?: string | null;
  @ApiPropertyOptional({ maxLength: 20000 }) @OptionalText(20000) description?: string | null;

  @TagIdsInput()
  tagIds?: string[];

  @CustomFieldsInput()
  customFields?: Record<string, unknown>;
}

/** PUT: the whole record; fields left out are cleared. */
export class ReplaceOrganizationDto extends CreateOrganizationDto {
  @VersionInput()
  version?: number;
}

/** PATCH: only the fields sent change; null clears an optional field. */
export class UpdateOrganizationDto extends PartialType(ReplaceOrganizationDto, {
  skipNullProperties: false,
}) {}

export const ORGANIZATION_SORTS = ['name', 'type', 'city', 'country', 'createdAt', 'updatedAt'] as const;

export class ListOrganizationsQueryDto extends CustomFieldFilterQueryDto {
  @ApiPropertyOptional({ description: 'Matches the name anywhere, case-insensitively' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: OrganizationType })
  @IsOptional()
  @IsEnum(OrganizationType, oneOf(OrganizationType))
  type?: OrganizationType;

  @ApiPropertyOptional({ format: 'uuid', description: 'Organizations carrying this tag (id)' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a tag id (UUID)' })
  tag?: string;

  @SortField(ORGANIZATION_SORTS, 'name')
  sort?: (typeof ORGANIZATION_SORTS)[number];

  @SortOrderField()
  order?: SortOrder;

  @ApiPropertyOptional({ description: 'Managers and admins: include deleted organizations' })
  @IsOptional()
  @QueryBoolean()
  includeDeleted?: boolean;
}
