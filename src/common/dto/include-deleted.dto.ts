import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

import { QueryBoolean } from './validators.js';

export class IncludeDeletedQueryDto {
  @ApiPropertyOptional({ description: 'Managers and admins: also find a deleted record' })
  @IsOptional()
  @QueryBoolean()
  includeDeleted?: boolean;
}
