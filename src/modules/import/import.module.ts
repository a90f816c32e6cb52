import { Module } from '@nestjs/common';

import { CustomFieldsModule } from '../custom-fields/custom-fields.module.js';
import { ImportRequests } from './import-requests.js';
import { ImportUndo } from './import-undo.js';
import { ImportController } from './import.controller.js';
import { ImportService } from './import.service.js';

@Module({
  imports: [CustomFieldsModule],
  controllers: [ImportController],
  providers: [ImportService, ImportUndo, ImportRequests],
  exports: [ImportService],
})
export class ImportModule {}
