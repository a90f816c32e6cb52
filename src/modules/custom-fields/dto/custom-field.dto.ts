import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

import { ListMetaDto, PagingQueryDto } from '../../../common/dto/paging.dto.js';
import { OptionalText, QueryBoolean, RequiredText } from '../../../common/dto/validators.js';
import { oneOf } from '../../../common/entities/enums.js';
import {
  type CustomFieldDefinition,
  CustomFieldEntityType,
  CustomFieldIndexStatus,
  CustomFieldType,
} from '../custom-field-definition.entity.js';

export class CustomFieldResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: CustomFieldEntityType }) entityType!: CustomFieldEntityType;
  @ApiProperty({
    example: 'check_size',
    description: 'Stable snake_case key: customFields.<key> and cf.<key>= in the API',
  })
  key!: string;
  @ApiProperty({ example: 'Typical check size' }) label!: string;
  @ApiProperty({ enum: CustomFieldType }) fieldType!: CustomFieldType;
  @ApiProperty({ type: [String], description: 'Choices of select and multi_select fields' })
  options!: string[];
  @ApiProperty() required!: boolean;
  @ApiProperty() displayOrder!: number;
  @ApiProperty({ nullable: true, type: String }) helpText!: string | null;
  @ApiProperty({
    enum: CustomFieldIndexStatus,
    nullable: true,
    description:
      'Number, currency and date fields: their range-filter index, built CONCURRENTLY after the change is saved (`building`, then `ready`; `failed` is logged — save the definition again to retry). null for other types.',
  })
  indexStatus!: CustomFieldIndexStatus | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;

  static from(this: void, d: CustomFieldDefinition): CustomFieldResponseDto {
    return {
      id: d.id,
      entityType: d.entityType,
      key: d.key,
      label: d.label,
      fieldType: d.fieldType,
      options: d.options,
      required: d.required,
      displayOrder: d.displayOrder,
      helpText: d.helpText ?? null,
      indexStatus: d.indexStatus ?? null,
      createdAt: d.createdAt,
      updatedAt: d.updatedAt,
    };
  }
}

export class CustomFieldEnvelopeDto {
  @ApiProperty({ type: CustomFieldResponseDto }) data!: CustomFieldResponseDto;
}

export class CustomFieldListDto extends ListMetaDto {
  @ApiProperty({ type: [CustomFieldResponseDto] }) data!: CustomFieldResponseDto[];
}

export class CreateCustomFieldDto {
  @ApiProperty({ enum: CustomFieldEntityType })
  @IsEnum(CustomFieldEntityType, oneOf(CustomFieldEntityType))
  entityType!: CustomFieldEntityType;

  @ApiProperty({
    example: 'check_size',
    description: 'snake_case, starts with a letter, at most 63 characters',
  })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, {
    message: 'must be snake_case: lowercase letters, digits and _, starting with a letter',
  })
  key!: string;

  @ApiProperty({ example: 'Typical check size', maxLength: 100 })
  @RequiredText(100)
  label!: string;

  @ApiProperty({ enum: CustomFieldType })
  @IsEnum(CustomFieldType, oneOf(CustomFieldType))
  fieldType!: CustomFieldType;

  @ApiPropertyOptional({
    type: [String],
    example: ['Seed', 'Series A'],
    description: 'Required for select and multi_select',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Length(1, 100, { each: true, message: 'each option must be 1–100 characters' })
  options?: string[];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @IsInt()
  @Min(-10000)
  @Max(10000)
  displayOrder?: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @OptionalText(500)
  helpText?: string | null;
}

/** The entity type of a definition never changes; the key only while no record has a value for it. */
export class UpdateCustomFieldDto extends PartialType(
  OmitType(CreateCustomFieldDto, ['entityType'] as const),
  {
    skipNullProperties: false,
  },
) {}

export class ForceQueryDto {
  @ApiPropertyOptional({
    description: 'Clear the values the change makes invalid (they stay in the audit log)',
  })
  @IsOptional()
  @QueryBoolean()
  force?: boolean;
}

export class ListCustomFieldsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ enum: CustomFieldEntityType })
  @IsOptional()
  @IsEnum(CustomFieldEntityType, oneOf(CustomFieldEntityType))
  entityType?: CustomFieldEntityType;
}
