import { Module } from '@nestjs/common';

import { CommunicationsModule } from '../communications/communications.module.js';
import { ContactsModule } from '../contacts/contacts.module.js';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module.js';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ExportController } from './export.controller.js';
import { ExportService } from './export.service.js';
import { ImportRequests } from './import-requests.js';
import { ImportUndo } from './import-undo.js';
import { ImportController } from './import.controller.js';
import { ImportService } from './import.service.js';

@Module({
  imports: [CustomFieldsModule, ContactsModule, OrganizationsModule, CommunicationsModule],
  controllers: [ImportController, ExportController],
  providers: [ImportService, ImportUndo, ImportRequests, ExportService],
  exports: [ImportService, ImportRequests],
})
export class ImportModule {}
