import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';

import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { JobRun } from './job-run.entity.js';
import { JobRunDto, type ListJobRunsQueryDto } from './dto/job-run.dto.js';

/** The record of job runs, newest first. */
@Injectable()
export class JobRunsService {
  constructor(private readonly em: EntityManager) {}

  async list(query: ListJobRunsQueryDto): Promise<ListResponse<JobRunDto>> {
    const where: FilterQuery<JobRun> = {};
    if (query.job) where.job = query.job;
    if (query.status) where.status = query.status;
    const [rows, total] = await this.em.findAndCount(JobRun, where, {
      orderBy: { startedAt: 'desc', id: 'desc' },
      limit: query.limit,
      offset: query.offset,
    });
    return listResponse(rows.map(JobRunDto.from), total, query);
  }
}
