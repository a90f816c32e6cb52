import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

import { ListMetaDto, PagingQueryDto } from '../../../common/dto/paging.dto.js';
import { oneOf } from '../../../common/entities/enums.js';
import { type AuditLog } from '../audit-log.entity.js';
import { AuditSource } from '../../../common/context/audit-source.js';

export class AuditActorDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) userId!: string | null;
  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'Set when the change came through an API token',
  })
  tokenId!: string | null;
  @ApiProperty({ example: 'grant', description: 'Username, "user (token: name)", cli (os user) or system' })
  label!: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ enum: AuditSource }) source!: AuditSource;
  @ApiProperty({
    example: 'update',
    description:
      'create, update, delete, soft_delete, restore, merge, stage_change, auth.login.success, export, …',
  })
  action!: string;
  @ApiProperty({ nullable: true, type: String, example: 'contact' }) entityType!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) entityId!: string | null;
  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    example: { email: { from: 'old@x.example', to: 'new@x.example' } },
    description: 'Field-level changes { field: { from, to } }; secrets appear only as "[redacted]"',
  })
  changes!: Record<string, { from: unknown; to: unknown }> | null;
  @ApiProperty({ nullable: true, type: String }) requestId!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) meta!: Record<
    string,
    unknown
  > | null;

  static from(this: void, row: AuditLog): AuditEntryDto {
    return {
      id: row.id,
      createdAt: row.createdAt,
      actor: { userId: row.actorUserId ?? null, tokenId: row.actorTokenId ?? null, label: row.actorLabel },
      source: row.source,
      action: row.action,
      entityType: row.entityType ?? null,
      entityId: row.entityId ?? null,
      changes: row.changes ?? null,
      requestId: row.requestId ?? null,
      ip: row.ip ?? null,
      meta: row.meta ?? null,
    };
  }
}

export class AuditListDto extends ListMetaDto {
  @ApiProperty({ type: [AuditEntryDto] }) data!: AuditEntryDto[];
}

export class AuditLogQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ example: 'contact' })
  @IsOptional()
  @Matches(/^[a-z_]{1,64}$/, { message: 'must be an entity type such as contact or lp_profile' })
  entityType?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The acting user' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  userId?: string;

  @ApiPropertyOptional({ example: 'update' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ enum: AuditSource })
  @IsOptional()
  @IsEnum(AuditSource, oneOf(AuditSource))
  source?: AuditSource;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'From this time (inclusive)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date or date-time' })
  from?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Up to this time (exclusive)' })
  @IsOptional()
  @Type(() => Date)
  @IsDate({ message: 'must be an ISO 8601 date or date-time' })
  to?: Date;

  @ApiPropertyOptional({
    enum: ['json', 'csv'],
    default: 'json',
    description: 'csv streams every matching row (no paging)',
  })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'must be json or csv' })
  format?: 'json' | 'csv';
}
