import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { ImportEntityType } from '../../src/modules/import/import-fields.js';
import { createUser, type TestUser } from '../helpers/auth.js';
import { sql } from '../helpers/backups.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  adminAgent,
  describeWithBrowser,
  go,
  launchBrowser,
  openPage,
  screenshot,
  serve,
  signInPage,
} from './admin-helpers.js';

const LAPTOP = { width: 1280, height: 800 };

/** A small messy export: a column no field is suggested for (Handy), a bad email, a blank row. */
const MESSY_CSV = [
  'Full Name,E-mail,Company,Handy,Notes',
  'Ada Lovelace,ada@example.com,Analytical Engines,+44 7700 900123,First programmer',
  'Grace Hopper,grace(at)navy,US Navy,,',
  ',,,,',
  'Katherine Johnson,katherine@example.com,NASA,+1 555 0100,"Orbits, trajectories"',
].join('\n');

const count = async (t: TestApp, query: string): Promise<number> =>
  (await sql(t.databaseUrl, query)).rows[0].n as number;

const imported = (t: TestApp) =>
  count(
    t,
    `select count(*)::int as n from contacts
      where email in ('ada@example.com', 'katherine@example.com') and deleted_at is null`,
  );

async function chooseFile(page: Page, name = 'messy.csv'): Promise<void> {
  await page.getByTestId('import-file').setInputFiles({
    name,
    mimeType: 'text/csv',
    buffer: Buffer.from(MESSY_CSV),
  });
  await page.getByTestId('mapping-table').waitFor();
}

/** Maps Handy to mobile, imports the good rows after a dry run; answers the dry run's report element. */
async function importMessyFile(page: Page): Promise<void> {
  await chooseFile(page);
  await page.getByLabel('Import column Handy as').selectOption('mobile');
  await page.getByTestId('import-partial').check();
  await page.getByTestId('import-dry-run').click();
  await page.getByTestId('dry-run-report').waitFor();
  await page.getByTestId('import-run').click();
  await page.getByTestId('import-done').waitFor();
}

/** The import wizard of the back office (issue 14): the API's import, dry run, report, batches and undo. */
describeWithBrowser('back office: import wizard', () => {
  let t: TestApp;
  let manager: TestUser;
  let member: TestUser;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    t = await createTestApp();
    manager = await createUser(t, Role.Manager);
    member = await createUser(t, Role.Member);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: LAPTOP, baseURL: await serve(t) });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('refuses members (403), cross-site posts and bad input', async () => {
    const asMember = await adminAgent(t, member);
    await asMember.get('/admin/api/pages/importWizard').expect(403);
    // Refused before the file is read, as the API's guard refuses before its upload is read.
    const refused = await asMember
      .post('/admin/api/pages/importWizard')
      .field('action', 'dryRun')
      .field('entityType', 'contact')
      .attach('file', Buffer.from(MESSY_CSV), 'messy.csv')
      .expect(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    await asMember
      .post('/admin/api/pages/importWizard')
      .send({ action: 'undo', id: crypto.randomUUID() })
      .expect(403);

    const asManager = await adminAgent(t, manager);
    const crossSite = await asManager
      .post('/admin/api/pages/importWizard')
      .set('Origin', 'https://evil.example')
      .field('action', 'run')
      .field('entityType', 'contact')
      .attach('file', Buffer.from(MESSY_CSV), 'messy.csv')
      .expect(403);
    expect(crossSite.body.code).toBe('CROSS_SITE_REQUEST');
    await asManager
      .post('/admin/api/pages/importWizard')
      .set('Origin', 'https://evil.example')
      .send({ action: 'undo', id: crypto.randomUUID() })
      .expect(403);
    expect(await count(t, 'select count(*)::int as n from import_batches')).toBe(0);
    expect(await count(t, 'select count(*)::int as n from contacts')).toBe(0);

    const noFile = await asManager
      .post('/admin/api/pages/importWizard')
      .send({ action: 'run', entityType: 'contact' })
      .expect(400);
    expect(noFile.body.message).toMatch(/file/);
    const badType = await asManager
      .post('/admin/api/pages/importWizard')
      .field('action', 'suggest')
      .field('entityType', 'fund')
      .attach('file', Buffer.from(MESSY_CSV), 'messy.csv')
      .expect(400);
    expect(badType.body.message).toMatch(/entityType/);
    await asManager.post('/admin/api/pages/importWizard').send({ action: 'undo', id: 'nope' }).expect(400);
  });

  it('a member does not see the page in the sidebar', async () => {
    const { page } = await openPage(context);
    await signInPage(page, member);
    await page.locator('[data-css="sidebar"]').waitFor();
    expect(await page.locator('[data-css="sidebar"]').innerText()).not.toContain('Import wizard');
    // Opened by its address anyway: the back office says it is not open to them (the handler answers 403).
    await go(page, '/admin/pages/importWizard');
    await page.getByText('This page is not open to you').waitFor();
    await page.getByText(/your role does not open it/).waitFor();
    expect(await page.getByText('does not exist', { exact: false }).count()).toBe(1);
    await screenshot(page, 'import-wizard-member');
    await page.close();
  });

  it('a manager maps, dry-runs, imports and undoes a messy file', async () => {
    const { page, outside, errors } = await openPage(context);
    page.setDefaultTimeout(15_000);
    await signInPage(page, manager);
    await page.locator('[data-css="sidebar"]').getByText('Import wizard').waitFor();
    await go(page, '/admin/pages/importWizard');
    await page.getByTestId('batches-table-empty').waitFor();
    const types = await page
      .getByTestId('import-entity')
      .locator('option')
      .evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
    expect(types).toEqual(Object.values(ImportEntityType));
    await screenshot(page, 'import-wizard-empty');

    await chooseFile(page);
    const handy = page.getByLabel('Import column Handy as');
    expect(await handy.inputValue()).toBe('ignore');
    expect(await page.getByLabel('Import column E-mail as').inputValue()).toBe('email');
    await handy.selectOption('mobile');
    await screenshot(page, 'import-wizard-mapping');

    await page.getByTestId('import-dry-run').click();
    const report = page.getByTestId('dry-run-report');
    await report.waitFor();
    expect(await report.getAttribute('data-status')).toBe('dry_run');
    const counts = await page.getByTestId('dry-run-report-counts').innerText();
    const [rows, created, updated, skipped, rejected] = [
      ...counts.matchAll(/(\d+) (?:rows|created|updated|skipped|rejected)/g),
    ].map((m) => Number(m[1]));
    expect(rows).toBe(4);
    expect(created + updated + skipped + rejected).toBe(rows);
    expect(rejected).toBe(1);
    const problem = page.getByTestId('dry-run-report-problems').locator('tbody tr').first();
    expect(await problem.innerText()).toMatch(/^2\s+E-mail\s+.*email/i);
    await screenshot(page, 'import-wizard-dry-run', { whole: true });
    expect(await imported(t)).toBe(0);

    // Without "import the good rows" the rejected row would roll the whole file back: tick it, dry-run again.
    await page.getByTestId('import-partial').check();
    expect(await page.getByTestId('import-run').isDisabled()).toBe(true);
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('dry-run-report').waitFor();
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-done').waitFor();
    expect(await page.getByTestId('import-report').getAttribute('data-status')).toBe('committed');
    expect(await page.getByTestId('import-report-counts').innerText()).toMatch(/^4 rows: 2 created/);
    const ada = await t.orm.em.fork().findOneOrFail(Contact, { email: 'ada@example.com' });
    expect([ada.firstName, ada.lastName, ada.mobile]).toEqual(['Ada', 'Lovelace', '+44 7700 900123']);
    expect(await imported(t)).toBe(2);
    const sources = await sql(
      t.databaseUrl,
      `select distinct source from audit_log where entity_type in ('contact', 'import_batch')`,
    );
    expect(sources.rows).toEqual([{ source: 'import' }]);
    const batch = page.getByTestId('batches-table').locator('tbody tr').first();
    await batch.waitFor();
    expect(await batch.innerText()).toMatch(/Contacts\s+messy\.csv\s+committed\s+4 · 2 new/);
    await screenshot(page, 'import-wizard-imported', { whole: true });

    await page.getByTestId('import-undo').click();
    await page.getByTestId('undo-dialog').waitFor();
    await screenshot(page, 'import-wizard-undo-dialog');
    await page.keyboard.press('Escape');
    await page.getByTestId('undo-dialog').waitFor({ state: 'detached' });
    expect(await imported(t)).toBe(2);
    await page.getByTestId('import-undo').click();
    await page.getByTestId('undo-dialog-confirm').click();
    await page.getByTestId('import-notice').waitFor();
    expect(await imported(t)).toBe(0);
    await page.getByTestId('batches-table').getByText('undone').waitFor();
    expect(await page.getByTestId('batch-undo').count()).toBe(0);
    await screenshot(page, 'import-wizard-undone', { whole: true });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an undo refused because a record changed since names the record', async () => {
    const { page } = await openPage(context);
    page.setDefaultTimeout(15_000);
    await signInPage(page, manager);
    await go(page, '/admin/pages/importWizard');
    await page.getByTestId('batches-table').waitFor();
    await importMessyFile(page);
    const em = t.orm.em.fork();
    const ada = await em.findOneOrFail(Contact, { email: 'ada@example.com' });
    ada.title = 'Countess';
    await em.flush();

    await page.getByTestId('batch-undo').first().click();
    await page.getByTestId('undo-dialog-confirm').click();
    const error = page.getByTestId('page-error');
    await error.waitFor();
    expect(await error.innerText()).toBe(
      'Not undone — nothing was changed: the contact “Ada Lovelace” was changed since the import. Undoing the import would lose that.',
    );
    expect(await imported(t)).toBe(2);
    await screenshot(page, 'import-wizard-undo-refused');
    await page.close();
  });
});
