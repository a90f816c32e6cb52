import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { assignFields } from '../../common/entities/fields.js';
import { NotFoundError } from '../../common/errors/index.js';
import { LpProfile } from '../lp-profiles/lp-profile.entity.js';
import { Opportunity } from '../opportunities/opportunity.entity.js';
import {
  type CreateFundDto,
  emptySummary,
  FundResponseDto,
  type FundSummaryDto,
  type ListFundsQueryDto,
  type UpdateFundDto,
} from './dto/fund.dto.js';
import { Fund, FundStatus } from './fund.entity.js';
import { FundExistsError, FundInUseError } from './funds.errors.js';
import { FundsRepository } from './funds.repository.js';

/** Fields a PUT replaces (absent ones are cleared to these) and a PATCH may set; null clears. */
const OPTIONAL_FIELDS = {
  targetAmount: null,
  currency: 'USD',
  vintageYear: null,
  status: FundStatus.Raising,
};

@Injectable()
export class FundsService {
  constructor(
    private readonly em: EntityManager,
    private readonly funds: FundsRepository,
  ) {}

  async list(query: ListFundsQueryDto): Promise<ListResponse<FundResponseDto>> {
    const { rows, total } = await this.funds.list(query);
    const summaries = await this.funds.summaries(rows);
    return listResponse(
      rows.map((r) => FundResponseDto.from(r, summaries.get(r.id))),
      total,
      query,
    );
  }

  /** One fund with its summary (the answer of writes too). */
  get(id: string): Promise<FundResponseDto> {
    return this.response(id);
  }

  async create(dto: CreateFundDto): Promise<FundResponseDto> {
    await this.assertNameFree(dto.name);
    const fund = this.em.create(Fund, {
      name: dto.name,
      targetAmount: dto.targetAmount ?? null,
      currency: dto.currency ?? 'USD',
      vintageYear: dto.vintageYear ?? null,
      status: dto.status ?? FundStatus.Raising,
    });
    await this.em.flush();
    // A new fund has no LP profile or deal yet: its summary is empty without asking.
    return this.response(fund.id, emptySummary());
  }

  async replace(id: string, dto: CreateFundDto): Promise<FundResponseDto> {
    const fund = await this.find(id);
    await this.assertNameFree(dto.name, id);
    fund.name = dto.name;
    assignFields(fund, dto, OPTIONAL_FIELDS, true);
    await this.em.flush();
    return this.get(id);
  }

  async update(id: string, dto: UpdateFundDto): Promise<FundResponseDto> {
    const fund = await this.find(id);
    if (dto.name !== undefined) {
      await this.assertNameFree(dto.name, id);
      fund.name = dto.name;
    }
    assignFields(fund, dto, OPTIONAL_FIELDS, false);
    await this.em.flush();
    return this.get(id);
  }

  /** Only an unused fund can go: opportunities (even deleted ones) and LP profiles keep it. */
  async remove(id: string): Promise<void> {
    const fund = await this.find(id);
    const [opportunities, lpProfiles] = await Promise.all([
      this.em.count(Opportunity, { fund: id }),
      this.em.count(LpProfile, { fund: id }),
    ]);
    if (opportunities > 0 || lpProfiles > 0) throw new FundInUseError(fund.name, opportunities, lpProfiles);
    this.em.remove(fund);
    await this.em.flush();
  }

  async find(id: string): Promise<Fund> {
    const fund = await this.em.findOne(Fund, id);
    if (!fund) throw new NotFoundError('Fund', id);
    return fund;
  }

  /** The response for one fund as stored now, with `summary` or (without it) the summary read now. */
  private async response(id: string, summary?: FundSummaryDto): Promise<FundResponseDto> {
    const row = await this.funds.row(id);
    if (!row) throw new NotFoundError('Fund', id);
    return FundResponseDto.from(row, summary ?? (await this.funds.summaries([row])).get(id));
  }

  private async assertNameFree(name: string, exceptId?: string): Promise<void> {
    if (await this.funds.named(name, exceptId)) throw new FundExistsError();
  }
}
