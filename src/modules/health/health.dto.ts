import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class MigrationsStatusDto {
  @ApiProperty({
    nullable: true,
    example: 0,
    description: 'Migrations not yet applied (null when the database is down)',
  })
  pending!: number | null;
}

export class HealthReportDto {
  @ApiProperty({ enum: ['ok', 'error'] })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: ['up', 'down'] })
  database!: 'up' | 'down';

  @ApiProperty({ type: MigrationsStatusDto })
  migrations!: MigrationsStatusDto;

  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiPropertyOptional({ description: 'What failed, when status is error' })
  error?: string;
}
