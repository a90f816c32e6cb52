import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';

import { AppConfig, type MailSettings } from '../../config/app-config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Sends mail through the SMTP server of the settings (SMTP_URL, or SMTP_HOST/PORT/USER/PASSWORD, and
 * MAIL_FROM). Without them mail is off: callers ask `configured` and skip, and the first to do so logs it.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private transporter?: Transporter;
  private toldUnconfigured = false;

  constructor(private readonly config: AppConfig) {}

  get configured(): boolean {
    return this.config.mail !== null;
  }

  /** Says once per process that mail is off, naming what is not sent; answers the reason for a job's record. */
  unconfiguredReason(what: string): string {
    const reason = 'mail is not configured (set SMTP_URL or SMTP_HOST, and MAIL_FROM)';
    if (!this.toldUnconfigured) {
      this.toldUnconfigured = true;
      this.logger.warn(`${what} not sent: ${reason}`);
    }
    return reason;
  }

  async send(message: MailMessage): Promise<void> {
    const settings = this.config.mail;
    if (!settings) throw new Error(this.unconfiguredReason('Mail'));
    this.transporter ??= createTransporter(settings);
    await this.transporter.sendMail({ from: settings.from, ...message });
  }

  onApplicationShutdown(): void {
    this.transporter?.close();
  }
}

function createTransporter(settings: MailSettings): Transporter {
  if (settings.url) return nodemailer.createTransport(settings.url);
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    // 465 is SMTP over TLS from the first byte; other ports upgrade with STARTTLS when the server offers it.
    secure: settings.port === 465,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
  });
}
