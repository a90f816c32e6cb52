import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEmail, IsEnum, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

import { IncludeDeletedQueryDto } from '../../../common/dto/include-deleted.dto.js';
import { CustomFieldFilterQueryDto } from '../../../common/dto/paging.dto.js';
import { SortField, SortOrderField, type SortOrder } from '../../../common/dto/sort.js';
import {
  CustomFieldsInput,
  IsWebUrl,
  OptionalText,
  OptionalUuid,
  QueryBoolean,
  QueryList,
  RequiredText,
  TagIdsInput,
} from '../../../common/dto/validators.js';
import { ContactMethod, oneOf } from '../../../common/entities/enums.js';
import { VersionInput } from '../../../common/entities/versioning.js';
import { ContactStatus, ContactType } from '../contact.entity.js';

/** linkedin.com or one of its subdomains (www., uk., …), with or without the scheme. */
const LINKEDIN_URL = /^(https?:\/\/)?([a-z0-9-]+\.)*linkedin\.com(\/|$)/i;

export class CreateContactDto {
  @ApiProperty({ example: 'Dana', maxLength: 100 })
  @RequiredText(100)
  firstName!: string;

  @ApiPropertyOptional({ example: 'Ruiz', maxLength: 100, description: 'null or "" stores an empty name' })
  @OptionalText(100)
  lastName?: string | null;

  @ApiPropertyOptional({
    example: 'dana@summit.example',
    maxLength: 254,
    description: 'Unique among live contacts, ignoring case',
  })
  @OptionalText(254)
  @IsEmail({}, { message: 'must be a valid email address' })
  email?: string | null;

  @ApiPropertyOptional({ maxLength: 50 }) @OptionalText(50) phone?: string | null;
  @ApiPropertyOptional({ maxLength: 50 }) @OptionalText(50) mobile?: string | null;
  @ApiPropertyOptional({ maxLength: 150 }) @OptionalText(150) title?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A live organization' })
  @OptionalUuid()
  organizationId?: string | null;

  @ApiPropertyOptional({ enum: ContactType, default: ContactType.Prospect })
  @IsOptional()
  @IsEnum(ContactType, oneOf(ContactType))
  contactType?: ContactType | null;

  @ApiPropertyOptional({ enum: ContactStatus, default: ContactStatus.Active })
  @IsOptional()
  @IsEnum(ContactStatus, oneOf(ContactStatus))
  status?: ContactStatus | null;

  @ApiPropertyOptional({ maxLength: 100, example: 'referral' }) @OptionalText(100) source?: string | null;
  @ApiPropertyOptional({ maxLength: 20000 }) @OptionalText(20000) notes?: string | null;

  @ApiPropertyOptional({ example: 'https://www.linkedin.com/in/dana-ruiz', maxLength: 500 })
  @OptionalText(500)
  @IsWebUrl()
  @Matches(LINKEDIN_URL, {
    message: 'must be a linkedin.com address such as https://www.linkedin.com/in/name',
  })
  linkedinUrl?: string | null;

  @ApiPropertyOptional({ enum: ContactMethod, nullable: true })
  @IsOptional()
  @IsEnum(ContactMethod, oneOf(ContactMethod))
  preferredContact?: ContactMethod | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'An active user' })
  @OptionalUuid()
  ownerId?: string | null;

  @TagIdsInput()
  tagIds?: string[];

  @CustomFieldsInput()
  customFields?: Record<string, unknown>;
}

/** PUT: the whole record; fields left out are cleared. */
export class ReplaceContactDto extends CreateContactDto {
  @VersionInput()
  version?: number;
}

/** PATCH: only the fields sent change; null clears an optional field. */
export class UpdateContactDto extends PartialType(ReplaceContactDto, { skipNullProperties: false }) {}

export const CONTACT_SORTS = ['lastName', 'firstName', 'email', 'createdAt', 'updatedAt'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

export class ListContactsQueryDto extends CustomFieldFilterQueryDto {
  @ApiPropertyOptional({
    description:
      "Matches first name, last name, email or the name of the contact's organization (unless deleted) anywhere in the word, ignoring case",
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: ContactType, description: 'Contact type' })
  @IsOptional()
  @IsEnum(ContactType, oneOf(ContactType))
  type?: ContactType;

  @ApiPropertyOptional({ enum: ContactStatus })
  @IsOptional()
  @IsEnum(ContactStatus, oneOf(ContactStatus))
  status?: ContactStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an organization id (UUID)' })
  organizationId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Contacts carrying this tag (id)' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a tag id (UUID)' })
  tag?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Contacts owned by this user' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a user id (UUID)' })
  ownerId?: string;

  @SortField(CONTACT_SORTS, 'lastName')
  sort?: ContactSort;

  @SortOrderField()
  order?: SortOrder;

  @ApiPropertyOptional({ description: 'Managers and admins: include deleted contacts' })
  @IsOptional()
  @QueryBoolean()
  includeDeleted?: boolean;
}

/** What GET /contacts/:id embeds besides the contact's own fields: all of them unless `include` lists some. */
export const CONTACT_INCLUDES = [
  'organization',
  'owner',
  'tags',
  'customFields',
  'communications',
  'opportunities',
  'lpProfiles',
  'tasks',
] as const;
export type ContactInclude = (typeof CONTACT_INCLUDES)[number];

export class ContactDetailQueryDto extends IncludeDeletedQueryDto {
  @QueryList(
    CONTACT_INCLUDES,
    'Embed only these (the others are left out of the answer); without it, all of them. ' +
      '`communications` brings `communicationsTotal` with it.',
  )
  include?: ContactInclude[];
}
