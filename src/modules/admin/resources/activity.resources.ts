import type { ResourceWithOptions } from 'adminjs';

import { Communication } from '../../communications/communication.entity.js';
import { liveLinksSql } from '../../communications/communications.service.js';
import { Task } from '../../tasks/task.entity.js';
import { crmResource, NAV, type ResourceContext, type Rows, textarea } from './resource-kit.js';
import { communicationWriter, taskWriter } from './writers.js';

const COMMUNICATION_FORM: Rows = [
  ['communicationDate', 'type', 'durationMinutes'],
  ['contact', 'opportunity'],
  'subject',
  'body',
  'outcome',
  ['nextAction', 'nextActionDate'],
];

const TASK_FORM: Rows = [
  'title',
  ['status', 'priority', 'dueDate'],
  ['assignee', 'contact'],
  ['organization', 'opportunity'],
  'description',
];

const BOOKKEEPING: Rows = [['createdBy', 'createdAt', 'updatedAt']];

export function communicationResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Communication,
    form: COMMUNICATION_FORM,
    page: [...COMMUNICATION_FORM, 'attendees', ...BOOKKEEPING],
    config: {
      defaultOrder: { communicationDate: 'desc' },
      writer: communicationWriter(ctx.services),
      visible: liveLinksSql,
    },
    crm: {},
    options: {
      navigation: NAV.activity,
      titleProperty: 'subject',
      sort: { sortBy: 'communicationDate', direction: 'desc' },
      listProperties: [
        'communicationDate',
        'type',
        'subject',
        'contact',
        'opportunity',
        'nextActionDate',
        'createdBy',
      ],
      filterProperties: [
        'type',
        'subject',
        'contact',
        'opportunity',
        'communicationDate',
        'nextActionDate',
        'createdBy',
      ],
      properties: {
        communicationDate: { type: 'datetime' },
        body: textarea,
        outcome: textarea,
        attendees: { isArray: true, type: 'string' },
      },
    },
  });
}

export function taskResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Task,
    form: TASK_FORM,
    page: [...TASK_FORM, 'completedAt', ...BOOKKEEPING],
    config: { defaultOrder: { dueDate: 'asc' }, writer: taskWriter(ctx.services) },
    crm: {},
    options: {
      navigation: NAV.activity,
      titleProperty: 'title',
      sort: { sortBy: 'dueDate', direction: 'asc' },
      listProperties: ['title', 'status', 'priority', 'dueDate', 'assignee', 'contact', 'opportunity'],
      filterProperties: [
        'title',
        'status',
        'priority',
        'dueDate',
        'assignee',
        'contact',
        'organization',
        'opportunity',
      ],
      properties: {
        description: textarea,
      },
    },
  });
}
