import type { AdminPage, CurrentAdmin } from 'adminjs';

import { Role, roleAtLeast } from '../../common/auth/role.js';
import { ForbiddenError } from '../../common/errors/index.js';
import { ListJobRunsQueryDto } from '../jobs/dto/job-run.dto.js';
import { JobName, JobTrigger } from '../jobs/job-run.entity.js';
import { adminCaller, adminUser } from './admin-access.js';
import type { ComponentId } from './admin-components.js';
import type { AdminServices } from './admin-services.js';
import { validatedDto } from './resources/admin-validation.js';

/** What a page handler reads of AdminJS's request: GET or POST, the query string. */
interface PageRequest {
  method?: string;
  query?: Record<string, unknown>;
}

interface PageDefinition {
  component: ComponentId;
  icon: string;
  handler: (request: PageRequest) => Promise<unknown>;
}

/** Who sees each page in the sidebar and may call its handler (SPEC.md role table); everyone else gets a 403. */
export const PAGE_ROLES: Readonly<Record<string, Role>> = {
  backups: Role.Admin,
  jobRuns: Role.Admin,
};

/** How many backups the Backups page lists (newest first; retention keeps BACKUP_RETENTION_DAYS of them). */
const BACKUPS_SHOWN = 100;

function definitions(services: AdminServices): Record<keyof typeof PAGE_ROLES, PageDefinition> {
  return {
    backups: {
      component: 'Backups',
      icon: 'HardDrive',
      handler: async (request) => {
        const made = request.method === 'post' ? await services.backups.runNow(JobTrigger.Admin) : null;
        const runsQuery = Object.assign(new ListJobRunsQueryDto(), {
          job: JobName.Backup,
          limit: 5,
          offset: 0,
        });
        const [backups, runs] = await Promise.all([
          services.backups.list({ limit: BACKUPS_SHOWN, offset: 0 }),
          services.jobRuns.list(runsQuery),
        ]);
        return { made, backups: backups.data, total: backups.total, runs: runs.data };
      },
    },
    jobRuns: {
      component: 'JobRuns',
      icon: 'Clock',
      handler: async (request) => {
        const query = await validatedDto(ListJobRunsQueryDto, { limit: 25, ...request.query });
        return services.jobRuns.list(query);
      },
    },
  };
}

/** The back office's own pages (AdminJS `pages`), each handler refusing callers below the page's role. */
export function adminPages(services: AdminServices): Record<string, AdminPage> {
  return Object.fromEntries(
    Object.entries(definitions(services)).map(([name, page]) => {
      const handler: AdminPage['handler'] = (request, _response, context) => {
        if (!roleAtLeast(adminCaller(context).role, PAGE_ROLES[name])) {
          throw new ForbiddenError(`Only ${PAGE_ROLES[name]}s may open this page`);
        }
        return page.handler(request as PageRequest);
      };
      return [name, { component: page.component, icon: page.icon, handler }];
    }),
  );
}

/** Whether the signed-in user sees a page in the sidebar. */
export function mayOpenPage(currentAdmin: CurrentAdmin | undefined, name: string): boolean {
  const user = adminUser({ currentAdmin });
  const role = PAGE_ROLES[name];
  return !!user && role !== undefined && roleAtLeast(user.role, role);
}
