import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

import { ListMetaDto, PagingQueryDto } from '../../../common/dto/paging.dto.js';
import { RequiredText } from '../../../common/dto/validators.js';
import type { Tag } from '../tag.entity.js';

export class TagResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Re-up Target' }) name!: string;
  @ApiProperty({ example: '#2563eb' }) color!: string;
  @ApiProperty({ description: 'Live contacts with this tag' }) contactCount!: number;
  @ApiProperty({ description: 'Live organizations with this tag' }) organizationCount!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;

  static from(this: void, tag: Tag, counts: { contacts: number; organizations: number }): TagResponseDto {
    return {
      id: tag.id,
      name: tag.name,
      color: tag.color,
      contactCount: counts.contacts,
      organizationCount: counts.organizations,
      createdAt: tag.createdAt,
      updatedAt: tag.updatedAt,
    };
  }
}

export class TagEnvelopeDto {
  @ApiProperty({ type: TagResponseDto }) data!: TagResponseDto;
}

export class TagListDto extends ListMetaDto {
  @ApiProperty({ type: [TagResponseDto] }) data!: TagResponseDto[];
}

export class CreateTagDto {
  @ApiProperty({ example: 'Re-up Target', maxLength: 60 })
  @RequiredText(60)
  name!: string;

  @ApiPropertyOptional({ example: '#2563eb', default: '#64748b' })
  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'must be a colour as #rrggbb' })
  color?: string;
}

export class UpdateTagDto extends PartialType(CreateTagDto, { skipNullProperties: false }) {}

export class ListTagsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ description: 'Matches the name, anywhere' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;
}
