import { Module } from '@nestjs/common';

import { constraintMessages } from '../../common/errors/index.js';
import { CommunicationsController } from './communications.controller.js';
import { CommunicationsRepository } from './communications.repository.js';
import { CommunicationsService } from './communications.service.js';
import { ContactCommunicationsController } from './contact-communications.controller.js';
import { COMMUNICATION_CONSTRAINTS } from './communications.errors.js';

@Module({
  controllers: [CommunicationsController, ContactCommunicationsController],
  providers: [
    constraintMessages('communications', COMMUNICATION_CONSTRAINTS),
    CommunicationsRepository,
    CommunicationsService,
  ],
  exports: [CommunicationsService, CommunicationsRepository],
})
export class CommunicationsModule {}
