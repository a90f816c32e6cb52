import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ParsedMail } from 'mailparser';

import { Role } from '../src/common/auth/role.js';
import {
  contactFactory,
  opportunityFactory,
  stageChangeFactory,
  taskFactory,
} from '../src/database/factories/index.js';
import { Communication, CommunicationType } from '../src/modules/communications/communication.entity.js';
import { JobCatalog } from '../src/modules/jobs/job-catalog.service.js';
import { inSystemContext } from '../src/modules/jobs/job-context.js';
import { JobName, JobTrigger } from '../src/modules/jobs/job-run.entity.js';
import { OpportunityStage } from '../src/modules/opportunities/opportunity.entity.js';
import { TaskStatus } from '../src/modules/tasks/task.entity.js';
import { localDay } from '../src/modules/tasks/tasks.service.js';
import { User } from '../src/modules/users/user.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { sql } from './helpers/backups.js';
import { startInbox, type Inbox } from './helpers/smtp.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const DAY = 86_400_000;
const MAIL_FROM = 'venture-crm <crm@fund.example>';

describe('digest and task reminders', () => {
  let inbox: Inbox;
  let t: TestApp;
  let ada: SignedInUser;
  let bob: SignedInUser;
  let admin: SignedInUser;
  const ids: Record<string, string> = {};

  const run = (job: JobName) => inSystemContext(t.orm, () => t.app.get(JobCatalog).run(job, JobTrigger.Cli));
  const html = (mail: ParsedMail): string => (typeof mail.html === 'string' ? mail.html : '');

  beforeAll(async () => {
    inbox = await startInbox();
    t = await createTestApp({ SMTP_URL: inbox.url, MAIL_FROM, STALE_DAYS: '21' });
    ada = await signedIn(t, Role.Member, { username: 'ada', email: 'ada@fund.example' });
    bob = await signedIn(t, Role.Manager, { username: 'bob', email: 'bob@fund.example' });
    admin = await signedIn(t, Role.Admin, { username: 'root', email: 'root@fund.example' });
    const em = t.orm.em.fork();
    const [adaUser, bobUser] = await Promise.all([
      em.findOneOrFail(User, ada.id),
      em.findOneOrFail(User, bob.id),
    ]);
    adaUser.fullName = 'Ada Lovelace';
    bobUser.fullName = 'Bob Marsh';
    bobUser.remindersEnabled = false;
    const maya = contactFactory(em, { firstName: 'Maya', lastName: "O'Neil & Co" });
    const overdue = taskFactory(em, {
      title: 'Send the <Q3> letter & deck',
      dueDate: localDay(-2),
      assignee: adaUser,
      contact: maya,
    });
    const today = taskFactory(em, {
      title: 'Call Maya about the re-up',
      dueDate: localDay(),
      assignee: adaUser,
      priority: 'high' as never,
    });
    taskFactory(em, { title: 'Later task', dueDate: localDay(3), assignee: adaUser });
    taskFactory(em, {
      title: 'Done task',
      dueDate: localDay(-1),
      assignee: adaUser,
      status: TaskStatus.Done,
    });
    taskFactory(em, { title: 'Long overdue', dueDate: localDay(-30), assignee: adaUser });
    taskFactory(em, { title: "Bob's task", dueDate: localDay(), assignee: bobUser });
    em.create(Communication, {
      type: CommunicationType.Call,
      contact: maya,
      subject: 'Intro call',
      nextAction: 'Open the data room for Maya',
      nextActionDate: localDay(),
      createdBy: adaUser,
      communicationDate: new Date(Date.now() - DAY),
    });
    em.create(Communication, {
      type: CommunicationType.Email,
      contact: maya,
      subject: 'Old one',
      nextAction: 'A next action long gone',
      nextActionDate: localDay(-20),
      createdBy: adaUser,
    });
    const quiet = opportunityFactory(em, {
      name: 'Redwood re-up',
      owner: adaUser,
      stage: OpportunityStage.Outreach,
      stageChangedAt: new Date(Date.now() - 40 * DAY),
    });
    const busy = opportunityFactory(em, {
      name: 'Summit commitment',
      owner: adaUser,
      stage: OpportunityStage.Lead,
    });
    busy.stage = OpportunityStage.Meeting;
    stageChangeFactory(em, {
      opportunity: busy,
      fromStage: OpportunityStage.Lead,
      toStage: OpportunityStage.Meeting,
      changedBy: bobUser,
    });
    await em.flush();
    Object.assign(ids, { overdue: overdue.id, today: today.id, quiet: quiet.id });
  });

  afterAll(async () => {
    await t.close();
    await inbox.close();
  });

  it('mails each user with something to say a digest, in HTML and text; no mail for nothing', async () => {
    const outcome = await run(JobName.Digest);
    expect(outcome).toMatchObject({
      ran: true,
      status: 'success',
      details: { recipients: 3, sent: 2, nothingToSay: 1, failed: 0 },
    });
    expect(inbox.mails).toHaveLength(2);
    expect(inbox.to('root@fund.example')).toEqual([]);
    expect(inbox.to('bob@fund.example')[0].subject).toMatch(/: 1 task due today$/);
    const [mail] = inbox.to('ada@fund.example');
    expect(mail.subject).toMatch(
      /^venture-crm digest for \w{3}, \w{3} \d+: 2 overdue tasks, 1 task due today, 1 next action, 1 quiet deal, 1 stage change$/,
    );
    expect(mail.from?.value).toEqual([{ name: 'venture-crm', address: 'crm@fund.example' }]);
    for (const part of [mail.text!, html(mail)]) {
      expect(part).toContain('Call Maya about the re-up');
      expect(part).toContain('Open the data room for Maya');
      expect(part).toContain('Redwood re-up');
      expect(part).toContain('Summit commitment');
      expect(part).toContain('Bob Marsh');
      expect(part).not.toContain('Later task');
      expect(part).not.toContain('Done task');
      expect(part).not.toContain('A next action long gone');
    }
    expect(mail.text).toContain('Send the <Q3> letter & deck (due ');
    expect(mail.text).toContain("Maya O'Neil & Co");
    expect(html(mail)).toContain('Send the &lt;Q3&gt; letter &amp; deck');
    expect(html(mail)).toContain('Maya O&#39;Neil &amp; Co');
    expect(html(mail)).not.toContain('<Q3>');

    const audit = await sql(
      t.databaseUrl,
      `select source, actor_label, entity_id from audit_log where action = 'digest.sent'`,
    );
    expect(audit.rows).toEqual(
      expect.arrayContaining([{ source: 'system', actor_label: 'system', entity_id: ada.id }]),
    );
    expect(audit.rows).toHaveLength(2);
  });

  it('mentions stage changes only once: the next digest looks back to the last one', async () => {
    await run(JobName.Digest);
    const second = inbox.to('ada@fund.example')[1];
    expect(second.subject).not.toContain('stage change');
    expect(second.text).not.toContain('Bob Marsh');
  });

  it('lets users opt out themselves, and admins for them; bad input is a 400 naming the field', async () => {
    const me = await t.http.patch('/api/auth/me').set(ada.auth).send({ digestEnabled: false }).expect(200);
    expect(me.body.data).toMatchObject({ id: ada.id, digestEnabled: false, remindersEnabled: true });
    const bad = await t.http.patch('/api/auth/me').set(ada.auth).send({ digestEnabled: 'nope' }).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'digestEnabled' })]);
    await t.http.patch('/api/auth/me').set(ada.auth).send({ role: 'admin' }).expect(400);

    const before = inbox.to('ada@fund.example').length;
    expect(await run(JobName.Digest)).toMatchObject({ details: { recipients: 2, sent: 1 } });
    expect(inbox.to('ada@fund.example')).toHaveLength(before);

    const byAdmin = await t.http
      .patch(`/api/users/${ada.id}`)
      .set(admin.auth)
      .send({ digestEnabled: true })
      .expect(200);
    expect(byAdmin.body.data.digestEnabled).toBe(true);
    await t.http.patch(`/api/users/${ada.id}`).set(bob.auth).send({ digestEnabled: true }).expect(403);
  });

  it('reminds the assignee once per task and due date, and again when the due date moves', async () => {
    const before = inbox.mails.length;
    expect(await run(JobName.Reminders)).toMatchObject({
      status: 'success',
      details: { due: 2, sent: 2, failed: 0 },
    });
    const reminders = inbox.mails.slice(before);
    expect(reminders.map((m) => m.subject).sort()).toEqual([
      'Task due today: Call Maya about the re-up',
      expect.stringMatching(/^Task overdue \(due \w{3}, \w{3} \d+\): Send the <Q3> letter & deck$/),
    ]);
    for (const mail of reminders) {
      expect((mail.to as { text: string }).text).toBe('ada@fund.example');
    }
    const overdue = reminders.find((m) => m.subject!.includes('<Q3>'))!;
    expect(overdue.text).toContain("About: Maya O'Neil & Co");
    expect(html(overdue)).toContain('About: Maya O&#39;Neil &amp; Co');

    expect(await run(JobName.Reminders)).toMatchObject({ details: { due: 0, sent: 0 } });
    expect(inbox.mails).toHaveLength(before + 2);

    // Moving the due date re-arms the reminder (bob, who opted out of reminders, never gets one).
    await t.http
      .patch(`/api/tasks/${ids.today}`)
      .set(ada.auth)
      .send({ dueDate: localDay(-1) })
      .expect(200);
    expect(await run(JobName.Reminders)).toMatchObject({ details: { due: 1, sent: 1 } });
    expect(inbox.mails.at(-1)!.subject).toMatch(/^Task overdue .*: Call Maya about the re-up$/);
    expect(await run(JobName.Reminders)).toMatchObject({ details: { due: 0, sent: 0 } });
    expect(inbox.to('bob@fund.example').filter((m) => m.subject!.startsWith('Task'))).toEqual([]);
    const audit = await sql(
      t.databaseUrl,
      `select count(*)::int as n from audit_log where action = 'reminder.sent' and source = 'system'`,
    );
    expect(audit.rows[0].n).toBe(3);
  });

  it('without SMTP the jobs skip, saying why', async () => {
    const quiet = await createTestApp({ DATABASE_URL: t.databaseUrl });
    try {
      for (const job of [JobName.Digest, JobName.Reminders]) {
        const outcome = await inSystemContext(quiet.orm, () =>
          quiet.app.get(JobCatalog).run(job, JobTrigger.Cli),
        );
        expect(outcome).toMatchObject({
          ran: true,
          status: 'skipped',
          details: { reason: 'mail is not configured (set SMTP_URL or SMTP_HOST, and MAIL_FROM)' },
        });
      }
    } finally {
      await quiet.close();
    }
  });
});
