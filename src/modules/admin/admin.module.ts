import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { BackupsModule } from '../backups/backups.module.js';
import { CommunicationsModule } from '../communications/communications.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { FundsModule } from '../funds/funds.module.js';
import { ImportModule } from '../import/import.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { LpProfilesModule } from '../lp-profiles/lp-profiles.module.js';
import { OpportunitiesModule } from '../opportunities/opportunities.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ReportsModule } from '../reports/reports.module.js';
import { SearchModule } from '../search/search.module.js';
import { TagsModule } from '../tags/tags.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { AdminServices } from './admin-services.js';
import { AdminSessions } from './admin-sessions.js';
import { BackOffice } from './back-office.js';

/**
 * The back office at /admin (back-office.ts): AdminJS over the same entities, users, roles and 2FA as the API,
 * loaded after the API listens. What it needs from the app: sessions and the services it writes through.
 */
@Module({
  imports: [
    AuthModule,
    OrganizationsModule,
    ContactsModule,
    TagsModule,
    FundsModule,
    OpportunitiesModule,
    LpProfilesModule,
    CommunicationsModule,
    TasksModule,
    BackupsModule,
    JobsModule,
    ReportsModule,
    SearchModule,
    ImportModule,
  ],
  providers: [AdminSessions, AdminServices, BackOffice],
  exports: [BackOffice],
})
export class BackOfficeModule {}
