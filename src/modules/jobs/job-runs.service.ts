import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';

import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';
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
    const [rows, total] = await findAndCountTotal(this.em, JobRun, () => where, query, {
      orderBy: { startedAt: 'desc', id: 'desc' },
    });
    return listResponse(rows.map(JobRunDto.from), total, query);
  }
}
