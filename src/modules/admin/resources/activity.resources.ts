import type { ResourceWithOptions } from 'adminjs';

import { Communication } from '../../communications/communication.entity.js';
import { Task, TaskStatus } from '../../tasks/task.entity.js';
import { User } from '../../users/user.entity.js';
import { crmResource, NAV, type ResourceContext, textarea } from './resource-kit.js';

export function communicationResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Communication,
    config: {
      defaultOrder: { communicationDate: 'desc' },
      beforeFlush: (em, row, previous, user) => {
        if (previous === undefined && user) row.createdBy = em.getReference(User, user.id);
      },
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
      showProperties: [
        'communicationDate',
        'type',
        'subject',
        'contact',
        'opportunity',
        'body',
        'durationMinutes',
        'outcome',
        'nextAction',
        'nextActionDate',
        'attendees',
        'createdBy',
        'createdAt',
        'updatedAt',
      ],
      editProperties: [
        'communicationDate',
        'type',
        'subject',
        'contact',
        'opportunity',
        'body',
        'durationMinutes',
        'outcome',
        'nextAction',
        'nextActionDate',
      ],
      properties: {
        communicationDate: { type: 'datetime' },
        nextActionDate: { type: 'date' },
        body: textarea,
        outcome: textarea,
        durationMinutes: {},
        attendees: { isArray: true, type: 'string' },
      },
    },
  });
}

export function taskResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Task,
    config: {
      defaultOrder: { dueDate: 'asc' },
      beforeFlush: (em, row, previous, user) => {
        if (previous === undefined && user) row.createdBy = em.getReference(User, user.id);
        // completedAt follows the status (the database insists on it).
        if (row.status === TaskStatus.Done && !row.completedAt) row.completedAt = new Date();
        if (row.status !== TaskStatus.Done) row.completedAt = null;
      },
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
        'priority',
        'dueDate',
        'assignee',
        'contact',
        'organization',
        'opportunity',
      ],
      showProperties: [
        'title',
        'status',
        'priority',
        'dueDate',
        'assignee',
        'contact',
        'organization',
        'opportunity',
        'description',
        'completedAt',
        'createdBy',
        'createdAt',
        'updatedAt',
      ],
      editProperties: [
        'title',
        'status',
        'priority',
        'dueDate',
        'assignee',
        'contact',
        'organization',
        'opportunity',
        'description',
      ],
      properties: {
        dueDate: { type: 'date' },
        description: textarea,
      },
    },
  });
}
