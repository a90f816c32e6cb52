import type { Dictionary, EntityManager } from '@mikro-orm/core';
import type { ResourceWithOptions } from 'adminjs';

import { Role } from '../../../common/auth/role.js';
import { Communication } from '../../communications/communication.entity.js';
import { Fund } from '../../funds/fund.entity.js';
import { LpProfile } from '../../lp-profiles/lp-profile.entity.js';
import { OpportunityStageChange } from '../../opportunities/opportunity-stage-change.entity.js';
import {
  Opportunity,
  type OpportunityStage,
  STAGE_PROBABILITY,
} from '../../opportunities/opportunity.entity.js';
import { Task } from '../../tasks/task.entity.js';
import { User } from '../../users/user.entity.js';
import type { AdminUser } from '../admin-access.js';
import { nobody } from '../admin-access.js';
import { HISTORY } from './crm.resources.js';
import { customFieldProperties } from './custom-field-properties.js';
import {
  crmResource,
  META_ROWS,
  money,
  NAV,
  type ResourceContext,
  type Rows,
  textarea,
} from './resource-kit.js';

export function fundResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Fund,
    config: { defaultOrder: { name: 'asc' } },
    crm: {
      writeRole: Role.Manager,
      related: [
        { resource: 'Opportunity', entity: Opportunity, via: 'fund', softDelete: true },
        { resource: 'LpProfile', entity: LpProfile, via: 'fund' },
      ],
    },
    options: {
      navigation: NAV.fundraising,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'status', 'targetAmount', 'currency', 'vintageYear'],
      filterProperties: ['name', 'status', 'vintageYear'],
      showProperties: [
        'name',
        'status',
        'targetAmount',
        'currency',
        'vintageYear',
        'related',
        'createdAt',
        'updatedAt',
      ],
      editProperties: ['name', 'status', 'targetAmount', 'currency', 'vintageYear'],
      properties: { targetAmount: money },
    },
  });
}

/**
 * Stage changes made in /admin keep the same history as the pipeline API: a row per move, the time the
 * stage began, and the stage's default probability when none is given.
 */
function stageRules(
  em: EntityManager,
  row: Dictionary,
  previous: Dictionary | undefined,
  user?: AdminUser,
): void {
  const stage = row.stage as OpportunityStage;
  if (previous === undefined && (row.probability === undefined || row.probability === null)) {
    row.probability = STAGE_PROBABILITY[stage];
  }
  if (previous !== undefined && previous.stage === stage) return;
  row.stageChangedAt = new Date();
  em.create(OpportunityStageChange, {
    opportunity: row as Opportunity,
    fromStage: (previous?.stage as OpportunityStage | undefined) ?? null,
    toStage: stage,
    changedAt: new Date(),
    changedBy: user ? em.getReference(User, user.id) : null,
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
];

const OPPORTUNITY_PAGE: Rows = [
  ['name', 'stage', 'probability'],
  ['expectedAmount', 'commitmentAmount', 'currency'],
  ['expectedCloseDate', 'priority', 'stageChangedAt'],
  ['contact', 'organization', 'fund', 'owner'],
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
];

const LP_PROFILE_PAGE: Rows = [...LP_PROFILE_FORM, 'related', ['createdAt', 'updatedAt', 'version']];

export function opportunityResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Opportunity,
    form: OPPORTUNITY_FORM,
    page: OPPORTUNITY_PAGE,
    config: {
      beforeFlush: stageRules,
      defaultOrder: { updatedAt: 'desc' },
      virtual: customFieldProperties('opportunity'),
    },
    crm: {
      softDelete: true,
      related: [
        { resource: 'Communication', entity: Communication, via: 'opportunity' },
        { resource: 'Task', entity: Task, via: 'opportunity' },
        { resource: 'OpportunityStageChange', entity: OpportunityStageChange, via: 'opportunity' },
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
        expectedCloseDate: { type: 'date' },
        probability: {
          description: 'Percent, 0–100. Left empty: the stage default (lead 10 … funded 100).',
          isRequired: false,
        },
        description: textarea,
        lostReason: { ...textarea, description: 'Required when the stage is lost' },
      },
    },
  });
}

export function stageChangeResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: OpportunityStageChange,
    config: { defaultOrder: { changedAt: 'desc' } },
    options: {
      navigation: false,
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
    config: { defaultOrder: { createdAt: 'desc' }, virtual: customFieldProperties('lp_profile') },
    crm: { related: [HISTORY] },
    options: {
      navigation: NAV.fundraising,
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
        commitmentDate: { type: 'date' },
        signedDate: { type: 'date' },
        wireDate: { type: 'date' },
        k1Sent: {},
        notes: textarea,
      },
    },
  });
}
