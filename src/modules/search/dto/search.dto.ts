import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export enum SearchHitType {
  Contact = 'contact',
  Organization = 'organization',
  Opportunity = 'opportunity',
  Communication = 'communication',
}

export const MAX_SEARCH_LIMIT = 50;

export class SearchQueryDto {
  @ApiProperty({
    minLength: 2,
    maxLength: 200,
    example: 'redwood',
    description:
      'Names and emails match anywhere in a word or by similarity (typos); communications match subject and ' +
      'body in full text (English stemming, web-search syntax)',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(2, 200, { message: 'must be 2–200 characters' })
  q!: string;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_SEARCH_LIMIT,
    default: 10,
    description: 'Most hits answered',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_SEARCH_LIMIT)
  limit: number = 10;
}

export class SearchHitDto {
  @ApiProperty({ enum: SearchHitType }) type!: SearchHitType;
  @ApiProperty({ format: 'uuid', description: 'Id at /api/<type>s/:id' }) id!: string;
  @ApiProperty({ example: 'Redwood Endowment', description: 'Name, or a communication’s subject' })
  title!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'endowment · Palo Alto · USA',
    description:
      'Context: a contact’s title, organization and email; an organization’s type and place; an ' +
      'opportunity’s stage and organization (or contact); a communication’s type, day (UTC), contact and opportunity',
  })
  subtitle!: string | null;
  @ApiProperty({
    example: 0.82,
    description:
      'Relevance in 0–1: trigram similarity for names (a contact found through its organization scores 0.9× the ' +
      'organization), normalized full-text rank for communications (usually lower than a name match)',
  })
  score!: number;
}

export class SearchResponseDto {
  @ApiProperty({
    type: [SearchHitDto],
    description: 'One list across all types, best first (score desc); at most `limit` hits',
  })
  data!: SearchHitDto[];
}
