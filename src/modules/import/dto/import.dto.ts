import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsEnum,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';

import { ListMetaDto } from '../../../common/dto/paging.dto.js';
import { QueryBoolean } from '../../../common/dto/validators.js';
import { oneOf } from '../../../common/entities/enums.js';
import { ImportEntityType } from '../import-fields.js';
import { OnDuplicate } from '../import-types.js';

const ENTITY_TYPE_HELP =
  'What the rows are: contact, organization, opportunity, lp_profile, communication or task (fields per type: README "Importing and exporting")';

export class SuggestMappingDto {
  @ApiProperty({ enum: ImportEntityType, description: ENTITY_TYPE_HELP })
  @IsEnum(ImportEntityType, oneOf(ImportEntityType))
  entityType!: ImportEntityType;

  @ApiProperty({ type: [String], example: ['Name', 'Email Address', 'Company', 'Tags'] })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true, message: 'must be a list of column names' })
  headers!: string[];
}

export class MappingDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { Name: 'name', 'Email Address': 'email', Company: 'organization', Notes: 'ignore' },
    description: 'csvColumn → field, cf.<key> or ignore',
  })
  mapping!: Record<string, string>;
}

/** The options of an import, as JSON or as multipart form fields (booleans as "true"/"false"). */
export class ImportOptionsDto {
  @ApiProperty({ enum: ImportEntityType, description: ENTITY_TYPE_HELP })
  @IsEnum(ImportEntityType, oneOf(ImportEntityType))
  entityType!: ImportEntityType;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'csvColumn → field | cf.<key> | ignore. Left out: the suggested mapping (POST /api/import/suggest). Columns not listed are ignored.',
  })
  @IsOptional()
  @IsObject({ message: 'must be an object of column: field' })
  mapping?: Record<string, string>;

  @ApiPropertyOptional({ default: false, description: 'Report what would happen; write nothing' })
  @IsOptional()
  @QueryBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    enum: OnDuplicate,
    default: OnDuplicate.Skip,
    description:
      'A row matching a record: contact = email (or name + organization); organization = name; opportunity = ' +
      'contact + fund; LP profile = contact + fund (create is refused: one per pair); communication = contact + ' +
      'moment + type + subject; task = title + contact + due date',
  })
  @IsOptional()
  @IsEnum(OnDuplicate, oneOf(OnDuplicate))
  onDuplicate?: OnDuplicate;

  @ApiPropertyOptional({
    default: false,
    description: 'Import the good rows and report the rest (otherwise any rejected row writes nothing)',
  })
  @IsOptional()
  @QueryBoolean()
  partial?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Dates such as 15/3/2024 are day first (European exports)',
  })
  @IsOptional()
  @QueryBoolean()
  dayFirst?: boolean;

  @ApiPropertyOptional({
    enum: ['auto', 'undo', 'keep'],
    default: 'auto',
    description:
      "Remove the apostrophe this app's export puts before formula-like cells: auto = when the file is such an export",
  })
  @IsOptional()
  @IsIn(['auto', 'undo', 'keep'], { message: 'must be one of: auto, undo, keep' })
  formulaEscapes?: 'auto' | 'undo' | 'keep';

  @ApiPropertyOptional({ maxLength: 255, description: 'Shown in the batch list' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  fileName?: string;
}

export class ImportCsvDto extends ImportOptionsDto {
  @ApiProperty({
    oneOf: [
      { type: 'string', description: 'CSV text with a header row' },
      { type: 'array', items: { type: 'object' } },
    ],
    description: 'CSV text (header row first) or JSON rows (objects keyed by column)',
  })
  @IsDefined({ message: 'is required: CSV text or an array of rows' })
  data!: string | Record<string, unknown>[];
}

export class RowIssueDto {
  @ApiProperty({ description: '1 = the first data row under the header' }) row!: number;
  @ApiProperty({ type: String, nullable: true }) column!: string | null;
  @ApiProperty({ type: String, nullable: true }) field!: string | null;
  @ApiProperty() message!: string;
}

export class RowSkipDto {
  @ApiProperty() row!: number;
  @ApiProperty({ enum: ['duplicate', 'blank', 'unchanged'] }) reason!: string;
  @ApiPropertyOptional({ format: 'uuid' }) recordId?: string;
}

export class LinkedCreatedDto {
  @ApiProperty() organizations!: number;
  @ApiProperty() tags!: number;
}

export class ImportReportDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Null for a dry run or a rolled-back run',
  })
  batchId!: string | null;
  @ApiProperty({ enum: ['dry_run', 'committed', 'rolled_back'] }) status!: string;
  @ApiProperty({ enum: ImportEntityType }) entityType!: ImportEntityType;
  @ApiProperty({ description: 'Data rows: created + updated + skipped + rejected' }) rows!: number;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() skipped!: number;
  @ApiProperty() skippedDuplicate!: number;
  @ApiProperty() skippedBlank!: number;
  @ApiProperty({ description: 'Duplicates with onDuplicate=update whose values were already the same' })
  skippedUnchanged!: number;
  @ApiProperty() rejected!: number;
  @ApiProperty({ type: LinkedCreatedDto }) linkedCreated!: LinkedCreatedDto;
  @ApiProperty({ type: [RowIssueDto], description: 'Why each rejected row was rejected' })
  errors!: RowIssueDto[];
  @ApiProperty({ type: [RowIssueDto], description: 'Rows imported with a remark (extra linked names)' })
  warnings!: RowIssueDto[];
  @ApiProperty({ type: [RowSkipDto] }) skips!: RowSkipDto[];
}

export class BatchCountsDto {
  @ApiProperty() rows!: number;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() skipped!: number;
  @ApiProperty() rejected!: number;
}

export class ImportBatchDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ enum: ImportEntityType }) entityType!: string;
  @ApiProperty({ enum: ['committed', 'undone'] }) status!: string;
  @ApiProperty({ type: String, nullable: true }) fileName!: string | null;
  @ApiProperty() actorLabel!: string;
  @ApiProperty({ type: Date, nullable: true }) undoneAt!: Date | null;
  @ApiProperty({ type: BatchCountsDto }) counts!: BatchCountsDto;
}

export class ImportBatchDetailDto extends ImportBatchDto {
  @ApiProperty({ type: 'object', additionalProperties: true }) options!: Record<string, unknown>;
  @ApiProperty({ type: ImportReportDto }) report!: ImportReportDto;
}

export class ImportBatchListDto extends ListMetaDto {
  @ApiProperty({ type: [ImportBatchDto] }) data!: ImportBatchDto[];
}

export class ImportBatchEnvelopeDto {
  @ApiProperty({ type: ImportBatchDetailDto }) data!: ImportBatchDetailDto;
}

export class SuggestMappingResponseDto {
  @ApiProperty({ type: MappingDto }) data!: MappingDto;
}
