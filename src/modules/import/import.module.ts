import { Module } from '@nestjs/common';

import { CommunicationsModule } from '../communications/communications.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module.js';
import { LpProfilesModule } from '../lp-profiles/lp-profiles.module.js';
import { OpportunitiesModule } from '../opportunities/opportunities.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { TasksModule } from '../tasks/tasks.module.js';
import { ExportController } from './export.controller.js';
import { ExportService } from './export.service.js';
import { ImportRequests } from './import-requests.js';
import { ImportUndo } from './import-undo.js';
import { ImportController } from './import.controller.js';
import { ImportService } from './import.service.js';

@Module({
  imports: [
    CustomFieldsModule,
    ContactsModule,
    OrganizationsModule,
    CommunicationsModule,
    OpportunitiesModule,
    LpProfilesModule,
    TasksModule,
  ],
  controllers: [ImportController, ExportController],
  providers: [ImportService, ImportUndo, ImportRequests, ExportService],
  exports: [ImportService, ImportRequests],
})
export class ImportModule {}
