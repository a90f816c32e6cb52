import type { MikroORM } from '@mikro-orm/postgresql';
import type { AdminJSOptions, CurrentAdmin } from 'adminjs';

import { Role, roleAtLeast } from '../../../common/auth/role.js';
import { adminUser } from '../admin-access.js';
import { COMPONENTS } from '../admin-components.js';
import type { AdminServices } from '../admin-services.js';
import { duplicatesPage } from './duplicates.page.js';
import { importWizardPage } from './import-wizard.page.js';
import { lpTrackerPage } from './lp-tracker.page.js';
import { backupsPage, jobRunsPage } from './operations.page.js';
import { pipelinePage } from './pipeline.page.js';
import { searchPage } from './search.page.js';

/** Who sees each page in the sidebar (its handler checks the caller's role as the API's routes do). */
const PAGE_ROLES: Readonly<Record<string, Role>> = {
  pipeline: Role.Member,
  duplicates: Role.Member,
  search: Role.Member,
  lpTracker: Role.Member,
  importWizard: Role.Manager,
  backups: Role.Admin,
  jobRuns: Role.Admin,
};

/** The back office's own pages (/admin/pages/<name>), in sidebar order; their data and writes via the services. */
export const adminPages = (services: AdminServices, orm: MikroORM): AdminJSOptions['pages'] => ({
  pipeline: { component: COMPONENTS.PipelineBoard, icon: 'Columns', handler: pipelinePage(services) },
  lpTracker: {
    component: COMPONENTS.LpTracker,
    icon: 'Briefcase',
    handler: lpTrackerPage(services, () => orm.em.fork()),
  },
  duplicates: { component: COMPONENTS.Duplicates, icon: 'Copy', handler: duplicatesPage(services) },
  importWizard: {
    component: COMPONENTS.ImportWizard,
    icon: 'Upload',
    handler: importWizardPage(services),
  },
  search: { component: COMPONENTS.SearchPage, icon: 'Search', handler: searchPage(services) },
  backups: { component: COMPONENTS.Backups, icon: 'HardDrive', handler: backupsPage(services) },
  jobRuns: { component: COMPONENTS.JobRuns, icon: 'Clock', handler: jobRunsPage(services) },
});

/** Pages whose writes may carry one CSV file (multipart; read like POST /api/import/upload, admin-http.ts). */
export const UPLOAD_PAGES: ReadonlySet<string> = new Set(['importWizard']);

/** Whether the signed-in user sees a page in the sidebar (an unlisted page: nobody). */
export function mayOpenPage(currentAdmin: CurrentAdmin | undefined, name: string): boolean {
  const user = adminUser({ currentAdmin });
  const role = Object.hasOwn(PAGE_ROLES, name) ? PAGE_ROLES[name] : undefined;
  return !!user && role !== undefined && roleAtLeast(user.role, role);
}
