import { Module } from '@nestjs/common';

import { MailModule } from '../mail/mail.module.js';
import { DigestService } from './digest.service.js';
import { NotificationsRepository } from './notifications.repository.js';
import { RemindersService } from './reminders.service.js';

/** The daily digest and task reminders, mailed by the scheduled jobs. */
@Module({
  imports: [MailModule],
  providers: [NotificationsRepository, DigestService, RemindersService],
  exports: [DigestService, RemindersService],
})
export class NotificationsModule {}
