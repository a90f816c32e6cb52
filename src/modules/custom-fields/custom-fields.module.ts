import { Global, Module } from '@nestjs/common';

import { constraintMessages } from '../../common/errors/index.js';
import { CustomFieldDefinitionsService } from './custom-field-definitions.service.js';
import { CustomFieldIndexes } from './custom-field-indexes.js';
import { CustomFieldsController } from './custom-fields.controller.js';
import { CustomFieldsService } from './custom-fields.service.js';
import { CUSTOM_FIELD_CONSTRAINTS } from './custom-fields.errors.js';

/**
 * Global: every module with custom fields validates and filters them through CustomFieldsService; the back
 * office manages definitions through CustomFieldDefinitionsService.
 */
@Global()
@Module({
  controllers: [CustomFieldsController],
  providers: [
    constraintMessages('custom-fields', CUSTOM_FIELD_CONSTRAINTS),
    CustomFieldsService,
    CustomFieldDefinitionsService,
    CustomFieldIndexes,
  ],
  exports: [CustomFieldsService, CustomFieldDefinitionsService],
})
export class CustomFieldsModule {}
