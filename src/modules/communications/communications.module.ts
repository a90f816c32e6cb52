import { Module } from '@nestjs/common';

import { CommunicationsController } from './communications.controller.js';
import { CommunicationsService } from './communications.service.js';
import { ContactCommunicationsController } from './contact-communications.controller.js';

@Module({
  controllers: [CommunicationsController, ContactCommunicationsController],
  providers: [CommunicationsService],
  exports: [CommunicationsService],
})
export class CommunicationsModule {}
