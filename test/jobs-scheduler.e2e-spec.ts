import { readdir } from 'node:fs/promises';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { taskFactory } from '../src/database/factories/index.js';
import { JobCatalog } from '../src/modules/jobs/job-catalog.service.js';
import { JobScheduler } from '../src/modules/jobs/job-scheduler.service.js';
import { localDay } from '../src/modules/tasks/tasks.service.js';
import { User } from '../src/modules/users/user.entity.js';
import { createUser } from './helpers/auth.js';
import { sql } from './helpers/backups.js';
import { startInbox, type Inbox } from './helpers/smtp.js';
import { createTestApp, createTestDatabase, type TestApp } from './helpers/test-app.js';

const MAIL_FROM = 'crm@fund.example';

interface RunRow {
  job: string;
  instance: string;
  status: string;
  slot: string | null;
}

/** Two app instances on one database, as behind a load balancer, each with its own BACKUP_DIR. */
async function twoInstances(databaseUrl: string, env: Record<string, string>): Promise<[TestApp, TestApp]> {
  const apps = [] as TestApp[];
  for (const name of ['instance-a', 'instance-b']) {
    const app = await createTestApp({ DATABASE_URL: databaseUrl, ...env });
    // Both live in this one process: tell them apart in job_runs.
    (app.config.jobs as { instance: string }).instance = name;
    apps.push(app);
  }
  return apps as [TestApp, TestApp];
}

async function seedDueTask(t: TestApp): Promise<void> {
  const user = await createUser(t, Role.Member, { email: 'ada@fund.example' });
  const em = t.orm.em.fork();
  taskFactory(em, { title: 'Call Maya', dueDate: localDay(), assignee: em.getReference(User, user.id) });
  await em.flush();
}

const runs = async (databaseUrl: string): Promise<RunRow[]> =>
  (
    await sql(
      databaseUrl,
      `select job, instance, status::text, to_char(scheduled_for at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as slot
         from job_runs order by started_at`,
    )
  ).rows as RunRow[];

const backupFiles = async (apps: TestApp[]): Promise<string[]> =>
  (await Promise.all(apps.map((a) => readdir(a.config.backups.dir).catch(() => [] as string[]))))
    .flat()
    .filter((n) => n.endsWith('.vcrm'));

describe('scheduled jobs on two instances', () => {
  let inbox: Inbox;

  beforeAll(async () => {
    inbox = await startInbox();
  });

  afterAll(async () => {
    await inbox.close();
  });

  it('fired at the same time on both, each job runs once: one success, the other skipped or nothing', async () => {
    const databaseUrl = await createTestDatabase();
    const apps = await twoInstances(databaseUrl, {
      SMTP_URL: inbox.url,
      MAIL_FROM,
      BACKUP_METHOD: 'portable',
    });
    try {
      await seedDueTask(apps[0]);
      const slot = new Date('2026-12-07T02:30:00Z');
      for (const job of apps[0].app.get(JobCatalog).jobs()) {
        await Promise.all(apps.map((a) => a.app.get(JobScheduler).fire(job, slot)));
      }
      const rows = await runs(databaseUrl);
      for (const job of ['backup', 'digest', 'reminders']) {
        const mine = rows.filter((r) => r.job === job);
        expect(mine.filter((r) => r.status === 'success')).toHaveLength(1);
        expect(
          mine.every((r) => r.slot === '2026-12-07T02:30:00' && ['success', 'skipped'].includes(r.status)),
        ).toBe(true);
        expect(mine.length).toBeLessThanOrEqual(2);
      }
      expect(await backupFiles(apps)).toHaveLength(1);
      expect(
        inbox
          .to('ada@fund.example')
          .map((m) => m.subject!.split(':')[0])
          .sort(),
      ).toEqual(['Task due today', expect.stringMatching(/^venture-crm digest for/)]);

      // The same scheduled time fired again later (a slow instance): already run, nothing happens.
      await apps[1].app.get(JobScheduler).fire(apps[1].app.get(JobCatalog).jobs()[0], slot);
      expect(await runs(databaseUrl)).toHaveLength(rows.length);
    } finally {
      for (const a of apps) await a.close();
    }
  }, 120_000);

  it('with their clocks running, every tick of every job runs on exactly one instance', async () => {
    inbox.mails.length = 0;
    const databaseUrl = await createTestDatabase();
    const everyTwoSeconds = '*/2 * * * * *';
    const apps = await twoInstances(databaseUrl, {
      SMTP_URL: inbox.url,
      MAIL_FROM,
      BACKUP_METHOD: 'portable',
      SCHEDULER_ENABLED: 'true',
      BACKUP_CRON: everyTwoSeconds,
      DIGEST_CRON: everyTwoSeconds,
      REMINDER_CRON: everyTwoSeconds,
    });
    let files: string[];
    try {
      await seedDueTask(apps[0]);
      await new Promise((r) => setTimeout(r, 7_000));
      // What stopping the app does first: the clocks stop, the runs in flight finish.
      await Promise.all(apps.map((a) => a.app.get(JobScheduler).beforeApplicationShutdown()));
      files = await backupFiles(apps);
    } finally {
      for (const a of apps) await a.close();
    }
    const rows = await runs(databaseUrl);
    expect(rows.filter((r) => r.status === 'running')).toEqual([]);
    const slots = (job: string, status: string): string[] =>
      rows.filter((r) => r.job === job && r.status === status).map((r) => r.slot!);
    for (const job of ['backup', 'digest', 'reminders']) {
      const ran = slots(job, 'success');
      expect(ran.length).toBeGreaterThanOrEqual(2);
      expect(new Set(ran).size).toBe(ran.length);
      expect(rows.filter((r) => r.job === job && !['success', 'skipped'].includes(r.status))).toEqual([]);
    }
    // Both instances did some of the work.
    expect(new Set(rows.filter((r) => r.status === 'success').map((r) => r.instance))).toEqual(
      new Set(['instance-a', 'instance-b']),
    );
    expect(files).toHaveLength(slots('backup', 'success').length);
    // One digest mail per digest run that found something to say (the first ticks may precede the task).
    const sent = await sql(
      databaseUrl,
      `select sum((details->>'sent')::int)::int as n from job_runs where job = 'digest'`,
    );
    const digests = inbox.to('ada@fund.example').filter((m) => m.subject!.startsWith('venture-crm digest'));
    expect(digests.length).toBeGreaterThanOrEqual(1);
    expect(digests).toHaveLength(sent.rows[0].n);
    expect(inbox.to('ada@fund.example').filter((m) => m.subject!.startsWith('Task due today'))).toHaveLength(
      1,
    );
  }, 120_000);
});
