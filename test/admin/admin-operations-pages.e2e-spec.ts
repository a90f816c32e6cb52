import { createHash } from 'node:crypto';

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { createUser, type TestUser } from '../helpers/auth.js';
import { sql } from '../helpers/backups.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  adminAgent,
  adminClient,
  describeWithBrowser,
  go,
  launchBrowser,
  newContext,
  openPage,
  screenshot,
  serve,
  signInPage,
} from './admin-helpers.js';

/** The Backups and Job runs pages of the back office (issue 11): admins only, the same job as the API. */
describeWithBrowser('back office: Backups and Job runs pages', () => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    t = await createTestApp({ BACKUP_METHOD: 'portable' });
    admin = await createUser(t, Role.Admin);
    member = await createUser(t, Role.Member);
    browser = await launchBrowser();
    context = await newContext(browser, await serve(t));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('refuses members and managers, and cross-site posts', async () => {
    for (const role of [Role.Member, Role.Manager]) {
      const agent = await adminAgent(t, await createUser(t, role));
      await agent.get('/admin/api/pages/backups').expect(403);
      await agent.post('/admin/api/pages/backups').send({ action: 'backUpNow' }).expect(403);
      await agent.get('/admin/api/pages/jobRuns').expect(403);
      await agent.get('/admin/backups/venture-crm-20261207T013000123Z.vcrm/download').expect(403);
    }
    const anonymous = await adminClient(t);
    const res = await anonymous.get('/admin/api/pages/backups');
    expect(res.status).toBe(302);
    const asAdmin = await adminAgent(t, admin);
    await asAdmin
      .post('/admin/api/pages/backups')
      .set('Origin', 'https://evil.example')
      .send({ action: 'backUpNow' })
      .expect(403);
    const runs = await sql(t.databaseUrl, 'select count(*)::int as n from job_runs');
    expect(runs.rows[0].n).toBe(0);
  });

  it('answers 400 for a bad job filter and for a name that is not a backup file', async () => {
    const asAdmin = await adminAgent(t, admin);
    const bad = await asAdmin.get('/admin/api/pages/jobRuns?job=rm').expect(400);
    expect(bad.body.message).toMatch(/job.*backup, digest, reminders/);
    await asAdmin.get('/admin/backups/..%2F..%2Fetc%2Fpasswd/download').expect(400);
  });

  it('an admin backs up from the page, downloads the file it lists, and sees the run', async () => {
    const { page, outside, errors } = await openPage(context);
    await signInPage(page, admin);
    await go(page, '/admin/pages/backups');
    await page.getByTestId('backups-table-empty').waitFor();
    await screenshot(page, 'backups-empty');
    await page.getByTestId('backup-now').click();
    await page.getByTestId('backup-made').waitFor({ timeout: 60_000 });
    await page.getByTestId('backups-table').waitFor();
    await screenshot(page, 'backups-made');

    const listed = await page.getByTestId('backup-download').first().getAttribute('href');
    const fromApi = (await sql(t.databaseUrl, `select details from job_runs where job = 'backup'`)).rows;
    expect(fromApi).toHaveLength(1);
    const { name, sha256 } = fromApi[0].details as { name: string; sha256: string };
    expect(listed).toBe(`/admin/backups/${name}/download`);
    const asAdmin = await adminAgent(t, admin);
    const file = await asAdmin
      .get(listed!)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(
      createHash('sha256')
        .update(file.body as Buffer)
        .digest('hex'),
    ).toBe(sha256);
    expect(file.headers['x-backup-sha256']).toBe(sha256);
    const audited = await sql(t.databaseUrl, `select source from audit_log where action = 'backup.download'`);
    expect(audited.rows).toEqual([{ source: 'admin' }]);

    await go(page, '/admin/pages/jobRuns');
    const row = page.getByTestId('job-runs-table').locator('tbody tr').first();
    await row.waitFor();
    expect(await row.innerText()).toMatch(/backup\s+success[\s\S]*admin/);
    await screenshot(page, 'job-runs');
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('members see neither page in the sidebar', async () => {
    const { page } = await openPage(context);
    await signInPage(page, member);
    await page.locator('[data-css="sidebar"]').waitFor();
    const sidebar = await page.locator('[data-css="sidebar"]').innerText();
    expect(sidebar).not.toContain('Backups');
    expect(sidebar).not.toContain('Job runs');
  });
});
