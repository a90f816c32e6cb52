import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';

import { ListMetaDto, PagingQueryDto } from '../../../common/dto/paging.dto.js';
import { oneOf } from '../../../common/entities/enums.js';
import { JobName, type JobRun, JobRunStatus, JobTrigger } from '../job-run.entity.js';

export class JobRunDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: JobName }) job!: string;
  @ApiProperty({ example: 'crm-1:4711', description: 'host:pid of the instance that ran it' })
  instance!: string;
  @ApiProperty({ enum: JobTrigger }) trigger!: JobTrigger;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The cron time of a scheduled run',
  })
  scheduledFor!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: Date | null;
  @ApiProperty({ enum: JobRunStatus }) status!: JobRunStatus;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    example: { name: 'venture-crm-20261207T013000Z.pgdump', method: 'pg_dump', durationMs: 1840 },
    description: 'What the run did, or `error` / `reason` when it failed or was skipped',
  })
  details!: Record<string, unknown> | null;

  static from(this: void, run: JobRun): JobRunDto {
    return {
      id: run.id,
      job: run.job,
      instance: run.instance,
      trigger: run.trigger,
      scheduledFor: run.scheduledFor ?? null,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt ?? null,
      status: run.status,
      details: run.details ?? null,
    };
  }
}

export class JobRunListDto extends ListMetaDto {
  @ApiProperty({ type: [JobRunDto] }) data!: JobRunDto[];
}

export class ListJobRunsQueryDto extends PagingQueryDto {
  @ApiPropertyOptional({ enum: JobName })
  @IsOptional()
  @IsEnum(JobName, oneOf(JobName))
  job?: JobName;

  @ApiPropertyOptional({ enum: JobRunStatus })
  @IsOptional()
  @IsEnum(JobRunStatus, oneOf(JobRunStatus))
  status?: JobRunStatus;
}
