import { Module } from '@nestjs/common';

import { constraintMessages } from '../../common/errors/index.js';
import { TagsModule } from '../tags/tags.module.js';
import { ContactBulkService } from './contact-bulk.service.js';
import { ContactDetailRepository } from './contact-detail.repository.js';
import { ContactMergeService } from './contact-merge.service.js';
import { ContactsController } from './contacts.controller.js';
import { ContactsRepository } from './contacts.repository.js';
import { ContactsService } from './contacts.service.js';
import { CONTACT_CONSTRAINTS } from './contacts.errors.js';

@Module({
  imports: [TagsModule],
  controllers: [ContactsController],
  providers: [
    constraintMessages('contacts', CONTACT_CONSTRAINTS),
    ContactsService,
    ContactsRepository,
    ContactDetailRepository,
    ContactMergeService,
    ContactBulkService,
  ],
  exports: [ContactsService, ContactMergeService, ContactsRepository],
})
export class ContactsModule {}
