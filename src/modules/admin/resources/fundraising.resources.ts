import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs';

import { Role } from '../../../common/auth/role.js';
import { CustomFieldEntityType } from '../../custom-fields/custom-field-definition.entity.js';
import { Fund } from '../../funds/fund.entity.js';
import { LpProfile } from '../../lp-profiles/lp-profile.entity.js';
import { OpportunityStageChange } from '../../opportunities/opportunity-stage-change.entity.js';
import {
  Opportunity,
  type OpportunityStage,
  STAGE_PROBABILITY,
} from '../../opportunities/opportunity.entity.js';
import { atLeast, nobody } from '../admin-access.js';
import type { CrmResource } from './crm-resource.js';
import { HISTORY } from './crm.resources.js';
import {
  crmResource,
  humanize,
  META_ROWS,
  money,
  NAV,
  type ResourceContext,
  type Rows,
  textarea,
  writeAction,
} from './resource-kit.js';
import {
  fundWriter,
  lpProfileWriter,
  moveOpportunityStage,
  nextStage,
  opportunityWriter,
} from './writers.js';

const FUND_FORM: Rows = [
  ['name', 'status'],
  ['targetAmount', 'currency', 'vintageYear'],
];
const FUND_PAGE: Rows = [
  ['name', 'status', 'vintageYear'],
  ['targetAmount', 'currency'],
  'summary',
  'related',
  ['createdAt', 'updatedAt'],
];

/** After `show`: the fund's raise in numbers, as the API's `summary` computes it. */
function fundSummary(ctx: ResourceContext) {
  return async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
    const id = context.record?.id();
    if (!id || !response.record) return response;
    const { summary } = await ctx.services.funds.get(String(id));
    (response.record as { params: Record<string, unknown> }).params.summary = JSON.stringify(summary);
    return response;
  };
}

export function fundResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Fund,
    form: FUND_FORM,
    page: FUND_PAGE,
    config: {
      defaultOrder: { name: 'asc' },
      writer: fundWriter(ctx.services),
      virtual: [{ path: 'summary', type: 'string' }],
    },
    crm: {
      writeRole: Role.Manager,
      related: [
        { resource: 'Opportunity', via: 'fund' },
        { resource: 'LpProfile', via: 'fund' },
      ],
    },
    options: {
      navigation: NAV.fundraising,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'status', 'targetAmount', 'currency', 'vintageYear'],
      filterProperties: ['name', 'status', 'vintageYear'],
      properties: {
        targetAmount: money,
        summary: {
          isVisible: { list: false, filter: false, show: true, edit: false },
          components: { show: ctx.components.FundSummary },
        },
      },
      actions: { show: { after: [fundSummary(ctx)] } },
    },
  });
}

const OPPORTUNITY_FORM: Rows = [
  ['name', 'stage'],
  ['probability', 'priority'],
  ['expectedAmount', 'commitmentAmount', 'currency'],
  ['expectedCloseDate', 'fund'],
  ['contact', 'organization', 'owner'],
  'nextStep',
  'description',
  'lostReason',
  'customFields',
];

const OPPORTUNITY_PAGE: Rows = [
  ['name', 'stage', 'probability'],
  ['expectedAmount', 'commitmentAmount', 'currency'],
  ['expectedCloseDate', 'priority', 'stageChangedAt'],
  ['contact', 'organization', 'fund', 'owner'],
  'customFields',
  'related',
  'nextStep',
  'description',
  'lostReason',
  ...META_ROWS,
];

const LP_PROFILE_FORM: Rows = [
  ['contact', 'fund'],
  ['commitmentAmount', 'fundedAmount', 'currency'],
  ['commitmentDate', 'investorType', 'preferredCommunication'],
  ['accredited', 'legalDocsSigned', 'signedDate'],
  ['wireReceived', 'wireDate', 'k1Sent'],
  'notes',
  'customFields',
];

const LP_PROFILE_PAGE: Rows = [...LP_PROFILE_FORM, 'related', ['createdAt', 'updatedAt', 'version']];

/**
 * "Move to next stage" on an opportunity's page (components/StageAction.jsx): one button to the next stage
 * in pipeline order, or "Mark as lost" with the reason it asks for. Open, live opportunities only.
 */
function moveStageAction(ctx: ResourceContext) {
  const write = atLeast(Role.Member);
  const open = (c: ActionContext) =>
    !c.record?.params.deletedAt && nextStage(c.record?.params.stage as OpportunityStage) !== undefined;
  return writeAction(ctx, {
    icon: 'ChevronsRight',
    guard: 'Move this opportunity to the next stage?',
    component: ctx.components.StageAction,
    isAccessible: write,
    isVisible: (c) => write(c) && open(c),
    run: async (context, request) => {
      const resource = context.resource as unknown as CrmResource;
      const id = context.record!.id();
      const payload = (request.payload ?? {}) as Record<string, unknown>;
      const stage = await resource.runWrite(() => moveOpportunityStage(ctx.services, id, payload, context));
      const record = await resource.findOne(id, context);
      return {
        record: record!.toJSON(context.currentAdmin),
        notice: { message: `Moved to ${humanize(stage)}`, type: 'success' },
        redirectUrl: context.h.recordActionUrl({
          resourceId: resource.id(),
          recordId: id,
          actionName: 'show',
        }),
      };
    },
  });
}

export function opportunityResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Opportunity,
    form: OPPORTUNITY_FORM,
    page: OPPORTUNITY_PAGE,
    customFields: CustomFieldEntityType.Opportunity,
    config: { defaultOrder: { updatedAt: 'desc' }, writer: opportunityWriter(ctx.services) },
    crm: {
      softDelete: true,
      related: [
        { resource: 'Communication', via: 'opportunity' },
        { resource: 'Task', via: 'opportunity' },
        { resource: 'OpportunityStageChange', via: 'opportunity' },
        HISTORY,
      ],
    },
    options: {
      navigation: NAV.fundraising,
      titleProperty: 'name',
      sort: { sortBy: 'updatedAt', direction: 'desc' },
      listProperties: [
        'name',
        'stage',
        'expectedAmount',
        'probability',
        'organization',
        'fund',
        'expectedCloseDate',
      ],
      filterProperties: [
        'name',
        'stage',
        'priority',
        'fund',
        'owner',
        'contact',
        'organization',
        'expectedCloseDate',
        'deletedRecords',
      ],
      properties: {
        expectedAmount: money,
        commitmentAmount: money,
        probability: {
          description:
            'Percent, 0–100. Changing the stage sets the stage’s default (lead 10 … funded 100); left empty, the default applies.',
          isRequired: false,
          components: { edit: ctx.components.StageProbability },
          props: { stageDefaults: STAGE_PROBABILITY },
        },
        description: textarea,
        lostReason: { ...textarea, description: 'Required when the stage is lost' },
      },
      actions: { moveStage: moveStageAction(ctx) },
    },
  });
}

export function stageChangeResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: OpportunityStageChange,
    config: { defaultOrder: { changedAt: 'desc' } },
    options: {
      navigation: false,
      // By time, newest first (AdminJS would sort by the first sortable column, "from stage").
      sort: { sortBy: 'changedAt', direction: 'desc' },
      listProperties: ['opportunity', 'fromStage', 'toStage', 'changedAt', 'changedBy'],
      filterProperties: ['opportunity', 'toStage', 'changedAt'],
      showProperties: ['opportunity', 'fromStage', 'toStage', 'changedAt', 'changedBy'],
      actions: {
        new: { isAccessible: nobody },
        edit: { isAccessible: nobody },
        delete: { isAccessible: nobody },
        bulkDelete: { isAccessible: nobody },
      },
    },
  });
}

export function lpProfileResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: LpProfile,
    form: LP_PROFILE_FORM,
    page: LP_PROFILE_PAGE,
    customFields: CustomFieldEntityType.LpProfile,
    config: { defaultOrder: { commitmentAmount: 'desc' }, writer: lpProfileWriter(ctx.services) },
    crm: { related: [HISTORY] },
    options: {
      navigation: NAV.fundraising,
      // Largest commitments first, as the API lists them.
      sort: { sortBy: 'commitmentAmount', direction: 'desc' },
      listProperties: [
        'contact',
        'fund',
        'commitmentAmount',
        'fundedAmount',
        'currency',
        'legalDocsSigned',
        'wireReceived',
        'k1Sent',
      ],
      filterProperties: [
        'contact',
        'fund',
        'investorType',
        'accredited',
        'legalDocsSigned',
        'wireReceived',
        'k1Sent',
      ],
      properties: {
        commitmentAmount: money,
        fundedAmount: { ...money, description: 'At most the commitment' },
        k1Sent: {},
        notes: textarea,
      },
    },
  });
}
