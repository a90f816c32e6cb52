import type { EntityManager } from '@mikro-orm/core';
import type { ActionContext, ActionRequest, ActionResponse } from 'adminjs';

import { Communication } from '../../communications/communication.entity.js';
import { Contact } from '../../contacts/contact.entity.js';
import { LpProfile } from '../../lp-profiles/lp-profile.entity.js';
import { Opportunity } from '../../opportunities/opportunity.entity.js';
import { Task, TaskStatus } from '../../tasks/task.entity.js';
import type { ResourceContext } from './resource-kit.js';

/** How many rows of each kind a record page shows inline; the "all …" links open the full lists. */
const SHOWN = 10;

const contactName = (c: { firstName: string; lastName?: string | null }): string =>
  `${c.firstName} ${c.lastName ?? ''}`.trim();

type Where = Record<string, unknown>;

/** The rows a contact's or an organization's page shows inline (components/RecordHub.jsx). */
async function hubRows(
  em: EntityManager,
  where: { tasks: Where; communications: Where; opportunities: Where; commitments: Where },
) {
  const [tasks, communications, opportunities, commitments] = await Promise.all([
    em.find(
      Task,
      { ...where.tasks, status: TaskStatus.Open },
      {
        orderBy: [{ dueDate: 'asc nulls last' }, { id: 'asc' }],
        limit: SHOWN,
        populate: ['assignee'],
        fields: ['title', 'dueDate', 'priority', 'status', 'assignee.fullName'],
      },
    ),
    em.find(Communication, where.communications, {
      orderBy: [{ communicationDate: 'desc' }, { id: 'desc' }],
      limit: SHOWN,
      populate: ['contact'],
      fields: [
        'type',
        'subject',
        'communicationDate',
        'nextAction',
        'nextActionDate',
        'contact.firstName',
        'contact.lastName',
      ],
    }),
    em.find(
      Opportunity,
      { ...where.opportunities, deletedAt: null },
      {
        orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
        limit: SHOWN,
        fields: ['name', 'stage', 'expectedAmount', 'currency', 'probability'],
      },
    ),
    em.find(LpProfile, where.commitments, {
      orderBy: [{ commitmentAmount: 'desc' }, { id: 'asc' }],
      limit: SHOWN,
      populate: ['fund', 'contact'],
      fields: [
        'commitmentAmount',
        'fundedAmount',
        'currency',
        'wireReceived',
        'fund.name',
        'contact.firstName',
        'contact.lastName',
      ],
    }),
  ]);
  return {
    tasks: tasks.map((t) => ({
      id: t.id,
      title: t.title,
      dueDate: t.dueDate ?? null,
      priority: t.priority,
      assignee: t.assignee?.getEntity().fullName ?? null,
    })),
    communications: communications.map((c) => ({
      id: c.id,
      type: c.type,
      subject: c.subject ?? null,
      date: c.communicationDate,
      nextAction: c.nextAction ?? null,
      nextActionDate: c.nextActionDate ?? null,
      contact: c.contact ? contactName(c.contact.getEntity()) : null,
    })),
    opportunities: opportunities.map((o) => ({
      id: o.id,
      name: o.name,
      stage: o.stage,
      probability: o.probability,
      expectedAmount: o.expectedAmount ?? null,
      currency: o.currency,
    })),
    commitments: commitments.map((l) => ({
      id: l.id,
      fund: l.fund.getEntity().name,
      contact: contactName(l.contact.getEntity()),
      commitmentAmount: l.commitmentAmount,
      fundedAmount: l.fundedAmount,
      currency: l.currency,
      wireReceived: l.wireReceived,
    })),
  };
}

const setHub = (response: ActionResponse, hub: object): ActionResponse => {
  (response.record as { params: Record<string, unknown> }).params.hub = JSON.stringify(hub);
  return response;
};

/** After a contact's `show`: open tasks, communications, opportunities and LP commitments, inline. */
export function contactHub(ctx: ResourceContext) {
  return async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
    const id = context.record?.id();
    if (!id || !response.record) return response;
    const em = ctx.orm.em.fork();
    const rows = await hubRows(em, {
      tasks: { contact: id },
      communications: { contact: id },
      opportunities: { contact: id },
      commitments: { contact: id },
    });
    return setHub(response, { kind: 'contact', ...rows });
  };
}

/** After an organization's `show`: its contacts, deals, LPs, communications with its people, open tasks. */
export function organizationHub(ctx: ResourceContext) {
  return async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
    const id = context.record?.id();
    if (!id || !response.record) return response;
    const em = ctx.orm.em.fork();
    const people = { organization: id, deletedAt: null };
    const [rows, contacts] = await Promise.all([
      hubRows(em, {
        tasks: { organization: id },
        communications: { contact: people },
        opportunities: { organization: id },
        commitments: { contact: people },
      }),
      em.find(Contact, people, {
        orderBy: [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }],
        limit: SHOWN * 2,
        fields: ['firstName', 'lastName', 'title', 'email'],
      }),
    ]);
    return setHub(response, {
      kind: 'organization',
      ...rows,
      contacts: contacts.map((c) => ({ id: c.id, name: contactName(c), title: c.title ?? null })),
    });
  };
}
