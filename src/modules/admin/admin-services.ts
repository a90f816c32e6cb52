import { Injectable } from '@nestjs/common';

import { ApiTokensService } from '../auth/api-tokens.service.js';
import { BackupsService } from '../backups/backups.service.js';
import { CommunicationsService } from '../communications/communications.service.js';
import { ContactMergeService } from '../contacts/contact-merge.service.js';
import { ContactsService } from '../contacts/contacts.service.js';
import { CustomFieldDefinitionsService } from '../custom-fields/custom-field-definitions.service.js';
import { CustomFieldsService } from '../custom-fields/custom-fields.service.js';
import { FundsService } from '../funds/funds.service.js';
import { ImportRequests } from '../import/import-requests.js';
import { ImportService } from '../import/import.service.js';
import { JobRunsService } from '../jobs/job-runs.service.js';
import { LpProfilesService } from '../lp-profiles/lp-profiles.service.js';
import { OpportunitiesService } from '../opportunities/opportunities.service.js';
import { OrganizationsService } from '../organizations/organizations.service.js';
import { PipelineAnalyticsService } from '../reports/pipeline-analytics.service.js';
import { ReportsService } from '../reports/reports.service.js';
import { SearchService } from '../search/search.service.js';
import { TagsService } from '../tags/tags.service.js';
import { TasksService } from '../tasks/tasks.service.js';
import { UsersService } from '../users/users.service.js';

/**
 * The API's services, which the back office writes through: a save in /admin applies the same rules as the
 * same request to the API (stage history, unique emails, LP investors, task completion, custom fields, merges, …).
 */
@Injectable()
export class AdminServices {
  constructor(
    readonly users: UsersService,
    readonly apiTokens: ApiTokensService,
    readonly organizations: OrganizationsService,
    readonly contacts: ContactsService,
    readonly contactMerge: ContactMergeService,
    readonly tags: TagsService,
    readonly funds: FundsService,
    readonly opportunities: OpportunitiesService,
    readonly lpProfiles: LpProfilesService,
    readonly communications: CommunicationsService,
    readonly tasks: TasksService,
    readonly customFields: CustomFieldsService,
    readonly customFieldDefinitions: CustomFieldDefinitionsService,
    readonly backups: BackupsService,
    readonly jobRuns: JobRunsService,
    readonly reports: ReportsService,
    readonly pipelineAnalytics: PipelineAnalyticsService,
    readonly search: SearchService,
    readonly imports: ImportService,
    readonly importRequests: ImportRequests,
  ) {}
}
