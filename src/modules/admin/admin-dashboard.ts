import { type MikroORM, raw } from '@mikro-orm/postgresql';
import type { CurrentAdmin } from 'adminjs';

import { Communication } from '../communications/communication.entity.js';
import { liveLinksSql } from '../communications/communications.service.js';
import { Contact } from '../contacts/contact.entity.js';
import { Opportunity, OpportunityStage } from '../opportunities/opportunity.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { Task, TaskStatus } from '../tasks/task.entity.js';
import { User } from '../users/user.entity.js';
import { adminUser } from './admin-access.js';

const OPEN_STAGES = Object.values(OpportunityStage).filter(
  (s) => s !== OpportunityStage.Funded && s !== OpportunityStage.Lost,
);

/**
 * The numbers on the back office's home page (components/Dashboard.jsx): indexed counts, the open pipeline
 * summed per currency (dollars and euros are not added together), and the next actions still live.
 */
export function dashboardHandler(orm: MikroORM) {
  return async (_request: unknown, _response: unknown, context: { currentAdmin?: CurrentAdmin }) => {
    const user = adminUser(context);
    const em = orm.em.fork();
    const [contacts, organizations, openTasks, pipeline, nextActions, me] = await Promise.all([
      em.count(Contact, { deletedAt: null }),
      em.count(Organization, { deletedAt: null }),
      user ? em.count(Task, { assignee: user.id, status: TaskStatus.Open }) : 0,
      em
        .createQueryBuilder(Opportunity, 'o')
        .select(['o.currency', raw('sum(o.expected_amount) as total')])
        .where({ deletedAt: null, stage: { $in: OPEN_STAGES }, expectedAmount: { $ne: null } })
        .groupBy('o.currency')
        .orderBy({ [raw('sum(o.expected_amount)')]: 'desc' })
        .execute<{ currency: string; total: string }[]>('all'),
      em.find(
        Communication,
        {
          nextActionDate: { $gte: new Date().toISOString().slice(0, 10) },
          [raw((alias: string) => liveLinksSql(alias))]: [],
        },
        { orderBy: { nextActionDate: 'asc' }, limit: 8, fields: ['nextAction', 'nextActionDate'] },
      ),
      user ? em.findOne(User, user.id) : null,
    ]);
    return {
      // The "My open tasks" card opens the task list filtered on exactly these: assignee and status open.
      userId: user?.id ?? null,
      fullName: me?.fullName ?? null,
      contacts,
      organizations,
      openTasks,
      pipeline: pipeline.map((p) => ({ currency: p.currency, amount: Number(p.total) })),
      nextActions: nextActions.map((c) => ({
        id: c.id,
        nextAction: c.nextAction,
        nextActionDate: c.nextActionDate,
      })),
    };
  };
}
