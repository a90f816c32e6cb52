import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsDate, IsEnum, IsOptional, IsString, Length } from 'class-validator';

import { Role } from '../../../common/auth/role.js';
import { ListMetaDto, PagingQueryDto } from '../../../common/dto/paging.dto.js';
import type { ApiToken } from '../api-token.entity.js';

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Nightly LP sync', maxLength: 100 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: Role, description: 'At most your own role' })
  @IsEnum(Role, { message: `must be one of: ${Object.values(Role).join(', ')}` })
  role!: Role;

  @ApiPropertyOptional({
    type: String,
    format: 'date-time',
    description: 'When the token stops working; omit for no expiry',
  })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date-time' })
  expiresAt?: Date;
}

export class ApiTokenResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: Role }) role!: Role;
  @ApiProperty({
    example: 'vcrm_AbC1dE',
    description: 'The first characters of the token, to tell tokens apart',
  })
  tokenPrefix!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ example: 'grant' }) username!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;

  static from(this: void, token: ApiToken): ApiTokenResponseDto {
    const user = token.user.getEntity();
    return {
      id: token.id,
      name: token.name,
      role: token.role,
      tokenPrefix: token.tokenPrefix,
      userId: user.id,
      username: user.username,
      expiresAt: token.expiresAt ?? null,
      lastUsedAt: token.lastUsedAt ?? null,
      revokedAt: token.revokedAt ?? null,
      createdAt: token.createdAt,
    };
  }
}

export class CreatedApiTokenDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: Role }) role!: Role;
  @ApiProperty({ description: 'The token itself. Shown only in this answer: store it now.' }) token!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: Date | null;
}

export class CreatedApiTokenEnvelopeDto {
  @ApiProperty({ type: CreatedApiTokenDto }) data!: CreatedApiTokenDto;
}

export class ApiTokenListDto extends ListMetaDto {
  @ApiProperty({ type: [ApiTokenResponseDto] }) data!: ApiTokenResponseDto[];
}

export class ListApiTokensQueryDto extends PagingQueryDto {}
