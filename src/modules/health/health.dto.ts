import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class MigrationsStatusDto {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0,
    description: 'Migrations not yet applied (null when the database is down)',
  })
  pending!: number | null;
}

class BackupStatusDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the last verified backup finished (null: none yet)',
  })
  lastVerifiedAt!: Date | null;

  @ApiProperty({ type: Number, nullable: true, example: 14, description: 'Its age in whole hours' })
  ageHours!: number | null;
}

export class HealthReportDto {
  @ApiProperty({
    enum: ['ok', 'degraded', 'error'],
    description:
      'degraded (still 200): the last verified backup is more than 2 days old; error (503): see error',
  })
  status!: 'ok' | 'degraded' | 'error';

  @ApiProperty({ enum: ['up', 'down'] })
  database!: 'up' | 'down';

  @ApiProperty({ type: MigrationsStatusDto })
  migrations!: MigrationsStatusDto;

  @ApiProperty({
    type: BackupStatusDto,
    nullable: true,
    description: 'Null when the database is down or migrations are pending',
  })
  backup!: BackupStatusDto | null;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiPropertyOptional({ description: 'Why the status is degraded' })
  warning?: string;

  @ApiPropertyOptional({ description: 'What failed, when status is error' })
  error?: string;
}
