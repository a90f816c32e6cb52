import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

import { Priority } from '../../../common/entities/enums.js';
import { oneOf } from '../../../common/entities/enums.js';
import { ListMetaDto, PagingQueryDto } from '../../../common/dto/paging.dto.js';
import { RefDto, UserRefDto } from '../../../common/dto/refs.dto.js';
import { SortField, type SortOrder } from '../../../common/dto/sort.js';
import {
  IsDateOnly,
  OptionalText,
  OptionalUuid,
  RequiredText,
  WhenPresent,
} from '../../../common/dto/validators.js';
import { contactRef } from '../../communications/linked-records.js';
import { timestamp, timestampOrNull, refOf } from '../../../common/utils/record-rows.js';
import { TaskStatus } from '../task.entity.js';
import type { TaskRow } from '../tasks.repository.js';

export class TaskResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Send the Fund II deck' }) title!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date', example: '2024-03-22' }) dueDate!:
    string | null;
  @ApiProperty({ enum: TaskStatus }) status!: TaskStatus;
  @ApiProperty({ enum: Priority }) priority!: Priority;
  @ApiProperty({ type: UserRefDto, nullable: true }) assignee!: UserRefDto | null;
  @ApiProperty({ type: RefDto, nullable: true, description: 'name is "First Last"' }) contact!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true }) organization!: RefDto | null;
  @ApiProperty({ type: RefDto, nullable: true }) opportunity!: RefDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Set when marked done' })
  completedAt!: string | null;
  @ApiProperty({ type: UserRefDto, nullable: true }) createdBy!: UserRefDto | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;

  /** The response of a row (tasks.repository.ts): lists, details, the export and the answers of writes. */
  static from(this: void, r: TaskRow): TaskResponseDto {
    return {
      id: r.id,
      title: r.title,
      description: r.description,
      dueDate: r.dueDate,
      status: r.status,
      priority: r.priority,
      assignee: r.assigneeId
        ? { id: r.assigneeId, username: r.assigneeUsername!, fullName: r.assigneeFullName! }
        : null,
      contact: r.contactId
        ? contactRef({ id: r.contactId, firstName: r.contactFirstName!, lastName: r.contactLastName! })
        : null,
      organization: refOf(r.organizationId, r.organizationName),
      opportunity: refOf(r.opportunityId, r.opportunityName),
      completedAt: timestampOrNull(r.completedAt),
      createdBy: r.createdById
        ? { id: r.createdById, username: r.createdByUsername!, fullName: r.createdByFullName! }
        : null,
      createdAt: timestamp(r.createdAt),
      updatedAt: timestamp(r.updatedAt),
    };
  }
}

export class TaskEnvelopeDto {
  @ApiProperty({ type: TaskResponseDto }) data!: TaskResponseDto;
}

export class TaskListDto extends ListMetaDto {
  @ApiProperty({ type: [TaskResponseDto] }) data!: TaskResponseDto[];
}

export class CreateTaskDto {
  @ApiProperty({ example: 'Send the Fund II deck', maxLength: 300 })
  @RequiredText(300)
  title!: string;

  @ApiPropertyOptional({ maxLength: 20000 }) @OptionalText(20000) description?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date', example: '2024-03-22', nullable: true })
  @IsOptional()
  @IsDateOnly()
  dueDate?: string | null;

  @ApiPropertyOptional({ enum: TaskStatus, default: TaskStatus.Open, description: 'done sets completedAt' })
  @WhenPresent()
  @IsEnum(TaskStatus, oneOf(TaskStatus))
  status?: TaskStatus;

  @ApiPropertyOptional({ enum: Priority, default: Priority.Medium })
  @WhenPresent()
  @IsEnum(Priority, oneOf(Priority))
  priority?: Priority;

  @ApiPropertyOptional({
    format: 'uuid',
    nullable: true,
    description: 'An active user; left out on create, the task is yours; null leaves it unassigned',
  })
  @OptionalUuid()
  assigneeId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A live contact' })
  @OptionalUuid()
  contactId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A live organization' })
  @OptionalUuid()
  organizationId?: string | null;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'A live opportunity' })
  @OptionalUuid()
  opportunityId?: string | null;
}

/** PUT: the whole task; optional fields left out are cleared (status back to open, priority medium). */
export class ReplaceTaskDto extends CreateTaskDto {}

/** PATCH: only the fields sent change; null clears an optional field. */
export class UpdateTaskDto extends PartialType(CreateTaskDto, { skipNullProperties: false }) {}

export enum TaskDue {
  Overdue = 'overdue',
  Today = 'today',
  Week = 'week',
}

export const TASK_SORTS = ['dueDate', 'priority', 'createdAt', 'title'] as const;

export class ListTasksQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ description: 'A user id, or `me` for your own tasks', example: 'me' })
  @IsOptional()
  @Matches(/^(me|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: 'must be a user id (UUID) or me',
  })
  assigneeId?: string;

  @ApiPropertyOptional({ enum: TaskStatus })
  @IsOptional()
  @IsEnum(TaskStatus, oneOf(TaskStatus))
  status?: TaskStatus;

  @ApiPropertyOptional({
    enum: TaskDue,
    description:
      "By the server's local calendar date: overdue = open and due before today; today = due today; " +
      'week = due today or in the next 6 days',
  })
  @IsOptional()
  @IsEnum(TaskDue, oneOf(TaskDue))
  due?: TaskDue;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a contact id (UUID)' })
  contactId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an organization id (UUID)' })
  organizationId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an opportunity id (UUID)' })
  opportunityId?: string;

  @ApiPropertyOptional({ enum: Priority })
  @IsOptional()
  @IsEnum(Priority, oneOf(Priority))
  priority?: Priority;

  @ApiPropertyOptional({ description: 'Matches the title anywhere, case-insensitively' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @SortField(TASK_SORTS, 'dueDate')
  sort?: (typeof TASK_SORTS)[number];

  @ApiPropertyOptional({
    enum: ['asc', 'desc'],
    description:
      'Default per sort: dueDate asc (undated last), priority desc (high first), createdAt desc, title asc',
  })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'must be asc or desc' })
  order?: SortOrder;
}
