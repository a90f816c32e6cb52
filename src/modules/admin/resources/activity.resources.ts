import type { ActionContext, ResourceWithOptions } from 'adminjs';

import { Role } from '../../../common/auth/role.js';
import { Communication } from '../../communications/communication.entity.js';
import { liveLinksSql } from '../../communications/communications.repository.js';
import { Task } from '../../tasks/task.entity.js';
import { atLeast } from '../admin-access.js';
import type { CrmResource } from './crm-resource.js';
import {
  choiceProperty,
  choiceVirtual,
  TASK_DONE,
  TASK_DUE,
  TASK_HIDDEN_BY_DEFAULT,
} from './list-filters.js';
import { crmResource, NAV, type ResourceContext, type Rows, textarea, writeAction } from './resource-kit.js';
import { communicationWriter, taskFromNextAction, taskWriter } from './writers.js';

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

const hasNextAction = (context: ActionContext): boolean => {
  const next = context.record?.params.nextAction as unknown;
  return typeof next === 'string' && next.trim() !== '';
};

/** "Create task" on a communication with a next action: one confirmation, then the new task's page. */
function createTaskAction(ctx: ResourceContext) {
  const write = atLeast(Role.Member);
  return writeAction(ctx, {
    icon: 'CheckSquare',
    guard: 'Create a task from this next action, assigned to you and due on the next-action date?',
    isAccessible: write,
    isVisible: (c) => write(c) && hasNextAction(c),
    run: async (context) => {
      const resource = context.resource as unknown as CrmResource;
      const taskId = await resource.runWrite(() =>
        taskFromNextAction(ctx.services, context.record!.params, context),
      );
      return {
        record: context.record!.toJSON(context.currentAdmin),
        notice: { message: 'Task created and assigned to you', type: 'success' },
        redirectUrl: context.h.recordActionUrl({ resourceId: 'Task', recordId: taskId, actionName: 'show' }),
      };
    },
  });
}

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
      actions: { createTask: createTaskAction(ctx) },
    },
  });
}

export function taskResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Task,
    form: TASK_FORM,
    page: [...TASK_FORM, 'completedAt', ...BOOKKEEPING],
    config: {
      defaultOrder: { dueDate: 'asc' },
      writer: taskWriter(ctx.services),
      virtual: [choiceVirtual(TASK_DUE), choiceVirtual(TASK_DONE)],
      hiddenByDefault: TASK_HIDDEN_BY_DEFAULT,
    },
    crm: {},
    options: {
      navigation: NAV.activity,
      titleProperty: 'title',
      sort: { sortBy: 'dueDate', direction: 'asc' },
      listProperties: ['title', 'status', 'priority', 'dueDate', 'assignee', 'contact', 'opportunity'],
      filterProperties: [
        'title',
        'status',
        'due',
        'doneTasks',
        'priority',
        'dueDate',
        'assignee',
        'contact',
        'organization',
        'opportunity',
      ],
      properties: {
        description: textarea,
        // Overdue open tasks in red, with how late ("3 days late").
        dueDate: {
          components: {
            list: ctx.components.TaskDue,
            show: ctx.components.TaskDue,
            edit: ctx.components.DayPicker,
          },
        },
        due: choiceProperty(TASK_DUE),
        doneTasks: choiceProperty(TASK_DONE),
      },
    },
  });
}
