import type { MikroORM } from '@mikro-orm/postgresql';

import { ActivityQueryDto, DefaultFundQueryDto } from '../reports/dto/report-query.dto.js';
import { Task, TaskStatus } from '../tasks/task.entity.js';
import { User } from '../users/user.entity.js';
import type { AdminServices } from './admin-services.js';
import { fundChoices } from './pages/lp-tracker.page.js';
import { pageHandler, pageInput } from './pages/page-kit.js';

/** Days of activity the home page charts. */
const ACTIVITY_DAYS = 30;

/**
 * The back office's home page (components/Dashboard.jsx): GET /api/reports/dashboard, the last 30 days of
 * /api/reports/activity and /api/reports/fund-progress of the same fund — the same services, so every number
 * equals the API's — plus the signed-in user's name and open tasks (the "My open tasks" card opens exactly
 * those: assignee and status open). `?fundId=` picks the fund; default: the raising fund.
 */
export function dashboardHandler(orm: MikroORM, services: AdminServices) {
  return pageHandler({
    read: async (query, caller) => {
      const { fundId } = await pageInput(DefaultFundQueryDto, query, 'query');
      const em = orm.em.fork();
      const activityQuery = Object.assign(new ActivityQueryDto(), { days: ACTIVITY_DAYS });
      const [report, activity, funds, me, openTasks] = await Promise.all([
        services.reports.dashboard(fundId),
        services.reports.activity(activityQuery),
        fundChoices(em),
        em.findOne(User, caller.id, { fields: ['fullName'] }),
        em.count(Task, { assignee: caller.id, status: TaskStatus.Open }),
      ]);
      const progress = report.fund ? await services.pipelineAnalytics.fundProgress(report.fund.id) : null;
      return {
        fullName: me?.fullName ?? null,
        userId: caller.id,
        openTasks,
        funds,
        report,
        activity,
        progress,
      };
    },
  });
}
