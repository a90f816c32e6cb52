import { Role } from '../../../common/auth/role.js';
import { ListJobRunsQueryDto } from '../../jobs/dto/job-run.dto.js';
import { JobName, JobTrigger } from '../../jobs/job-run.entity.js';
import type { AdminServices } from '../admin-services.js';
import { assertRole, pageHandler, pageInput } from './page-kit.js';

/** How many backups the Backups page lists (newest first; retention keeps BACKUP_RETENTION_DAYS of them). */
const BACKUPS_SHOWN = 100;

/**
 * Backups (components/Backups.jsx), admins only as GET/POST /api/backups: the backups with the last runs of
 * the backup job; `backUpNow` is POST /api/backups — the same job, lock and job_runs record (trigger `admin`).
 * Files are downloaded through the back office's own route (admin-pipeline.ts), audited like the API's.
 */
export const backupsPage = (s: AdminServices) => {
  const overview = async () => {
    const runsQuery = Object.assign(new ListJobRunsQueryDto(), { job: JobName.Backup, limit: 5, offset: 0 });
    const [backups, runs] = await Promise.all([
      s.backups.list({ limit: BACKUPS_SHOWN, offset: 0 }),
      s.jobRuns.list(runsQuery),
    ]);
    return { backups: backups.data, total: backups.total, runs: runs.data };
  };
  return pageHandler({
    read: async (_query, caller) => {
      assertRole(caller, Role.Admin);
      return overview();
    },
    actions: {
      backUpNow: async (_fields, caller) => {
        assertRole(caller, Role.Admin);
        const made = await s.backups.runNow(JobTrigger.Admin);
        return { made, ...(await overview()) };
      },
    },
  });
};

/** Job runs (components/JobRuns.jsx), admins only: GET /api/jobs/runs with the same filters and paging. */
export const jobRunsPage = (s: AdminServices) =>
  pageHandler({
    read: async (query, caller) => {
      assertRole(caller, Role.Admin);
      return s.jobRuns.list(await pageInput(ListJobRunsQueryDto, query, 'query'));
    },
  });
