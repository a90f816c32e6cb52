import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { assertMayIncludeDeleted } from '../../common/auth/include-deleted.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { Priority } from '../../common/entities/enums.js';
import { assignFields, fieldValues } from '../../common/entities/fields.js';
import { referencedSql, relinkedId } from '../../common/entities/references.js';
import { assertVersion } from '../../common/entities/versioning.js';
import { NotFoundError, ValidationError } from '../../common/errors/index.js';
import { readDetail } from '../../common/utils/record-detail.js';
import { activeUserSql, liveContactSql, liveOrganizationSql } from '../communications/linked-records.js';
import { type AuditedRefs, insertAudited, newLinks, updateAudited } from '../audit/audited-writes.js';
import { Fund } from '../funds/fund.entity.js';
import { findRecord, markDeleted, markRestored } from '../../database/crm-base.entity.js';
import {
  type ChangeStageDto,
  type CreateOpportunityDto,
  type ListOpportunitiesQueryDto,
  OPPORTUNITY_INCLUDES,
  type OpportunityDetailQueryDto,
  type ReplaceOpportunityDto,
  type UpdateOpportunityDto,
} from './dto/opportunity.dto.js';
import { OpportunityDetailDto, OpportunityResponseDto } from './dto/opportunity-response.dto.js';
import {
  BOARD_CARDS_PER_STAGE,
  type PipelineBoardDto,
  type PipelineBoardQueryDto,
} from './dto/pipeline-board.dto.js';
import { OpportunitiesRepository } from './opportunities.repository.js';
import { moveStage, type StageChangeValues, stageTimeline } from './opportunity-stages.js';
import {
  type OpportunityProperties,
  opportunityProperties,
  viewAfter,
  viewOf,
} from './opportunity-properties.js';
import { OpportunityStageChange } from './opportunity-stage-change.entity.js';
import { Opportunity, OpportunityStage, STAGE_ORDER, STAGE_PROBABILITY } from './opportunity.entity.js';
import { CustomFieldEntityType } from '../custom-fields/custom-field-definition.entity.js';
import { CustomFieldsService } from '../custom-fields/custom-fields.service.js';

/**
 * Fields a PUT replaces (absent ones are cleared to these) and a PATCH may set; null clears. The import sets
 * them the same way.
 */
export const OPPORTUNITY_OPTIONAL_FIELDS = {
  description: null,
  nextStep: null,
  expectedCloseDate: null,
  expectedAmount: null,
  commitmentAmount: null,
  currency: 'USD',
  priority: Priority.Medium,
};

@Injectable()
export class OpportunitiesService {
  constructor(
    private readonly em: EntityManager,
    private readonly repository: OpportunitiesRepository,
    private readonly customFields: CustomFieldsService,
  ) {}

  async list(
    query: ListOpportunitiesQueryDto,
    caller: AuthUser,
  ): Promise<ListResponse<OpportunityResponseDto>> {
    assertMayIncludeDeleted(caller, query.includeDeleted);
    const custom = await this.customFields.sqlConditions(CustomFieldEntityType.Opportunity, query.cf, 'o');
    const { rows, total } = await this.repository.list(query, custom);
    const now = new Date();
    return listResponse(
      rows.map((o) => OpportunityResponseDto.from(o, now)),
      total,
      query,
    );
  }

  /**
   * The pipeline board: one column per stage (pipeline order) with its count, its expected amounts per
   * currency and its most recently updated cards; filtered by fund and owner.
   */
  async board(query: PipelineBoardQueryDto): Promise<PipelineBoardDto> {
    const { totals, cards, choices } = await this.repository.board(query, BOARD_CARDS_PER_STAGE);
    const now = new Date();
    return {
      columns: STAGE_ORDER.map((stage) => {
        const mine = totals.filter((t) => t.stage === stage);
        return {
          stage,
          count: mine.reduce((sum, t) => sum + t.count, 0),
          totals: mine
            .map(({ currency, amount, count }) => ({ currency, amount, count }))
            .sort((a, b) => b.amount - a.amount || a.currency.localeCompare(b.currency)),
          cards: cards.filter((c) => c.stage === stage).map((c) => OpportunityResponseDto.from(c, now)),
        };
      }),
      ...choices,
    };
  }

  /**
   * One opportunity with its contact, organization, fund, owner, custom fields, stage history, time per stage
   * and the latest communications about it, or only those `include` lists: one statement either way.
   */
  async get(
    id: string,
    caller: AuthUser,
    query: OpportunityDetailQueryDto = {},
  ): Promise<OpportunityDetailDto> {
    const { detail, include } = await readDetail(
      'Opportunity',
      id,
      caller,
      query,
      OPPORTUNITY_INCLUDES,
      this.repository,
    );
    const now = new Date();
    const timeline = detail.stageHistory && stageTimeline(detail.stageHistory, now);
    return OpportunityDetailDto.from(detail, include, timeline, now);
  }

  /**
   * One statement after the custom fields' rules are read (insertAudited): the contact, organization, fund and owner
   * checked live (a 400 names the first missing one), the opportunity, its first history row (from null) and its
   * audit row inserted. The answer is what was written, with the names its links read.
   */
  async create(dto: CreateOpportunityDto, caller: AuthUser): Promise<OpportunityResponseDto> {
    const stage = dto.stage ?? OpportunityStage.Lead;
    const values: OpportunityProperties = {
      name: dto.name,
      contact: relinkedId(null, dto.contactId, true),
      organization: relinkedId(null, dto.organizationId, true),
      fund: relinkedId(null, dto.fundId, true),
      // The owner defaults to whoever creates the opportunity; an explicit null leaves it without one.
      owner: relinkedId(null, dto.ownerId === undefined ? caller.id : dto.ownerId, true),
      stage,
      stageChangedAt: new Date(),
      probability: STAGE_PROBABILITY[stage],
      lostReason: null,
      // Every optional field, at its cleared value when not sent (never undefined).
      ...(fieldValues(Opportunity, dto, OPPORTUNITY_OPTIONAL_FIELDS) as OptionalProperties),
      customFields: await this.customFields.validate(CustomFieldEntityType.Opportunity, dto.customFields, {
        mode: 'create',
      }),
    };
    const move = { stage, lostReason: dto.lostReason, probability: dto.probability };
    const first = moveStage(values, move, { userId: caller.id, now: new Date(), isNew: true })!;
    const id = randomUUID();
    const unlinked = { ...values, contact: null, organization: null, fund: null, owner: null };
    const { record, refs } = await insertAudited(this.em, {
      entity: Opportunity,
      auditType: 'opportunity',
      values: { id, ...values },
      refs: this.linkChecks(unlinked, values),
      inserts: [{ entity: OpportunityStageChange, values: { ...first, opportunity: id } }],
    });
    const timestamps = {
      createdAt: record.createdAt.toISOString(),
      updatedAt: record.updatedAt.toISOString(),
    };
    const view = viewOf({ id, version: 1, ...timestamps, deletedAt: null }, values, refs);
    return OpportunityResponseDto.from(view);
  }

  async replace(
    id: string,
    dto: ReplaceOpportunityDto,
    caller: AuthUser,
    version?: number,
  ): Promise<OpportunityResponseDto> {
    return this.change(id, version, async (opp) => {
      opp.name = dto.name;
      await this.applyFields(opp, dto, true);
      // A stage left out is kept: moving on the pipeline is always explicit.
      const stage = dto.stage ?? opp.stage;
      const probability = dto.probability ?? STAGE_PROBABILITY[stage];
      return moveStage(opp, { stage, lostReason: dto.lostReason ?? null, probability }, stamp(caller));
    });
  }

  async update(
    id: string,
    dto: UpdateOpportunityDto,
    caller: AuthUser,
    version?: number,
  ): Promise<OpportunityResponseDto> {
    return this.change(id, version, async (opp) => {
      if (dto.name !== undefined) opp.name = dto.name;
      await this.applyFields(opp, dto, false);
      const move = {
        stage: dto.stage ?? opp.stage,
        lostReason: dto.lostReason,
        probability: dto.probability,
      };
      return moveStage(opp, move, stamp(caller));
    });
  }

  /** A move on the pipeline board. Moving to the stage it is already in is refused (400), not ignored. */
  async changeStage(
    id: string,
    dto: ChangeStageDto,
    caller: AuthUser,
    version?: number,
  ): Promise<OpportunityResponseDto> {
    return this.change(id, version, (opp) => {
      if (dto.stage === opp.stage) throw ValidationError.field('stage', `is already ${dto.stage}`);
      const move = { stage: dto.stage, lostReason: dto.lostReason, probability: dto.probability };
      return moveStage(opp, move, stamp(caller));
    });
  }

  async softDelete(id: string, caller: AuthUser): Promise<void> {
    markDeleted(this.em, await this.find(id), caller.id);
    await this.em.flush();
  }

  async restore(id: string): Promise<OpportunityResponseDto> {
    const opp = await this.find(id, true);
    if (markRestored(opp)) await this.em.flush();
    return this.response(id);
  }

  /**
   * Changes a live opportunity at the version the caller read: `apply` changes its properties and says which stage
   * move to record. One statement after the record is read (updateAudited): the contact, organization, fund and
   * owner newly sent checked live (a 400 names the first missing one), the fields that differ set, the version
   * raised, the audit row and the stage history row written, only if it is still live at the version read.
   */
  private async change(
    id: string,
    version: number | undefined,
    apply: (opp: OpportunityProperties) => Promise<StageChangeValues | null> | StageChangeValues | null,
  ): Promise<OpportunityResponseDto> {
    const view = await this.repository.findView(id);
    if (!view) throw new NotFoundError('Opportunity', id);
    assertVersion('Opportunity', view.version, version);
    const before = opportunityProperties(view);
    const after = { ...before };
    const move = await apply(after);
    const written = await updateAudited(this.em, {
      entity: Opportunity,
      name: 'Opportunity',
      auditType: 'opportunity',
      id: view.id,
      version: view.version,
      before,
      after,
      refs: this.linkChecks(before, after),
      inserts: move ? [{ entity: OpportunityStageChange, values: { ...move, opportunity: view.id } }] : [],
    });
    return OpportunityResponseDto.from(viewAfter(view, after, written));
  }

  /** The records `after` links to that `before` did not, read by the write's statement, in the order of their 400s. */
  private linkChecks(before: OpportunityProperties, after: OpportunityProperties): AuditedRefs {
    return newLinks(before, after, {
      contact: (ref) => liveContactSql(this.em, ref, 'contactId', ['email']),
      organization: (ref) => liveOrganizationSql(this.em, ref),
      fund: (ref) => referencedSql(this.em, Fund, ref, 'fundId', 'fund', {}, ['id', 'name']),
      owner: (ref) => activeUserSql(this.em, ref, 'ownerId'),
    });
  }

  /** What a write answers: the record as it now is, read back with the names it refers to. */
  private async response(id: string): Promise<OpportunityResponseDto> {
    const view = await this.repository.findView(id, true);
    if (!view) throw new NotFoundError('Opportunity', id);
    return OpportunityResponseDto.from(view);
  }

  /** Live opportunity (or also a deleted one) to change; 404 otherwise. */
  async find(id: string, includeDeleted = false): Promise<Opportunity> {
    return findRecord(this.em, Opportunity, 'Opportunity', id, includeDeleted);
  }

  /** Custom fields, links and plain fields of a PUT (`replace`: what the body leaves out is cleared) or PATCH. */
  private async applyFields(
    opp: OpportunityProperties,
    dto: UpdateOpportunityDto,
    replace: boolean,
  ): Promise<void> {
    opp.customFields = await this.customFields.validate(CustomFieldEntityType.Opportunity, dto.customFields, {
      mode: replace ? 'replace' : 'patch',
      current: opp.customFields,
    });
    opp.contact = relinkedId(opp.contact, dto.contactId, replace);
    opp.organization = relinkedId(opp.organization, dto.organizationId, replace);
    opp.fund = relinkedId(opp.fund, dto.fundId, replace);
    opp.owner = relinkedId(opp.owner, dto.ownerId, replace);
    assignFields(opp, dto, OPPORTUNITY_OPTIONAL_FIELDS, replace);
  }
}

/** The optional fields of a new opportunity, as fieldValues sets them. */
type OptionalProperties = Pick<OpportunityProperties, keyof typeof OPPORTUNITY_OPTIONAL_FIELDS>;

/** Who moves the opportunity, and when. */
function stamp(caller: AuthUser): { userId: string; now: Date } {
  return { userId: caller.id, now: new Date() };
}
