import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';

import { AppConfig } from './app-config.js';
import { isCronExpression } from './env-validators.js';

const dataDir = mkdtempSync(join(tmpdir(), 'vcrm-jobs-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const config = (env: Record<string, string> = {}): AppConfig =>
  new AppConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, ...env });

describe('scheduled job settings', () => {
  it('default to a 02:30 backup into DATA_DIR/backups kept 30 days, a 07:00 digest and hourly reminders by day', () => {
    const c = config();
    expect(c.jobs).toMatchObject({
      schedulerEnabled: true,
      backupCron: '30 2 * * *',
      digestCron: '0 7 * * *',
      reminderCron: '0 8-18 * * *',
      staleDays: 21,
    });
    expect(c.backups).toEqual({
      dir: join(dataDir, 'backups'),
      retentionDays: 30,
      encryptionKey: undefined,
      method: 'auto',
    });
    expect(c.mail).toBeNull();
    for (const cron of [c.jobs.backupCron, c.jobs.digestCron, c.jobs.reminderCron])
      expect(isCronExpression(cron)).toBe(true);
  });

  it('keep the scheduler off under NODE_ENV=test unless asked, and off anywhere with SCHEDULER_ENABLED=false', () => {
    expect(config({ NODE_ENV: 'test' }).jobs.schedulerEnabled).toBe(false);
    expect(config({ NODE_ENV: 'test', SCHEDULER_ENABLED: 'true' }).jobs.schedulerEnabled).toBe(true);
    expect(config({ SCHEDULER_ENABLED: 'false' }).jobs.schedulerEnabled).toBe(false);
  });

  it('refuse a bad cron, retention, method or short encryption key, naming the variable', () => {
    expect(() => config({ BACKUP_CRON: '61 2 * * *' })).toThrow(
      /BACKUP_CRON \("61 2 \* \* \*"\): must be a cron expression/,
    );
    expect(() => config({ DIGEST_CRON: 'daily' })).toThrow(/DIGEST_CRON/);
    expect(() => config({ REMINDER_CRON: '* * *' })).toThrow(/REMINDER_CRON/);
    expect(() => config({ BACKUP_RETENTION_DAYS: '0' })).toThrow(/BACKUP_RETENTION_DAYS/);
    expect(() => config({ BACKUP_METHOD: 'tar' })).toThrow(
      /BACKUP_METHOD .*must be auto, pg_dump or portable/,
    );
    expect(() => config({ BACKUP_ENCRYPTION_KEY: 'short' })).toThrow(/BACKUP_ENCRYPTION_KEY .*at least 32/);
    expect(() => config({ STALE_DAYS: 'soon' })).toThrow(/STALE_DAYS/);
  });

  it('accept minute (5-field) and second (6-field) cron expressions only', () => {
    expect(isCronExpression('*/15 8-18 * * 1-5')).toBe(true);
    expect(isCronExpression('*/2 * * * * *')).toBe(true);
    expect(isCronExpression('* * * *')).toBe(false);
    expect(isCronExpression('@daily')).toBe(false);
  });

  it('check mail settings only once SMTP is configured: MAIL_FROM then required, URL and host not both', () => {
    expect(config({ MAIL_FROM: 'not checked while mail is off' }).mail).toBeNull();
    expect(() => config({ SMTP_URL: 'smtp://mail.fund.example:587' })).toThrow(
      /MAIL_FROM \(missing\): is required/,
    );
    expect(() => config({ SMTP_URL: 'http://mail', MAIL_FROM: 'crm@fund.example' })).toThrow(/SMTP_URL/);
    expect(() =>
      config({ SMTP_URL: 'smtp://a.example', SMTP_HOST: 'b.example', MAIL_FROM: 'crm@fund.example' }),
    ).toThrow(/SMTP_HOST .*cannot be combined with SMTP_URL/);
    expect(() => config({ SMTP_HOST: 'mail.fund.example', MAIL_FROM: 'nobody' })).toThrow(/MAIL_FROM/);
    // docker-compose.yml's mail catcher setting.
    expect(
      config({ SMTP_URL: 'smtp://mailpit:1025', MAIL_FROM: 'venture-crm <crm@localhost>' }).mail,
    ).toMatchObject({
      url: 'smtp://mailpit:1025',
      from: 'venture-crm <crm@localhost>',
    });
    expect(
      config({
        SMTP_HOST: 'mail.fund.example',
        SMTP_PORT: '465',
        SMTP_USER: 'crm',
        SMTP_PASSWORD: 'secret',
        MAIL_FROM: 'venture-crm <crm@fund.example>',
      }).mail,
    ).toEqual({
      url: undefined,
      host: 'mail.fund.example',
      port: 465,
      user: 'crm',
      password: 'secret',
      from: 'venture-crm <crm@fund.example>',
    });
  });
});
