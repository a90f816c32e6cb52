import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { createUser, type TestUser } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  describeWithBrowser,
  go,
  launchBrowser,
  openPage,
  screenshot,
  serve,
  signInPage,
} from './admin-helpers.js';
import { accessibilityFailures, laptopContext, type Morning, seedMorning } from './daywork-fixtures.js';

/** What each page shows once its data is in: the element to wait for. */
const PAGES: [name: string, path: string, ready: string][] = [
  ['dashboard', '/admin', 'kpi-lps'],
  ['pipeline board', '/admin/pages/pipeline', 'board-card'],
  ['LP tracker', '/admin/pages/lpTracker', 'lp-tracker-table'],
  ['duplicates', '/admin/pages/duplicates', 'duplicate-group'],
  ['search results', '/admin/pages/search?q=byron', 'search-page-hit'],
  ['backups', '/admin/pages/backups', 'backups-table-empty'],
  ['job runs', '/admin/pages/jobRuns', 'job-runs-table-empty'],
  ['import wizard', '/admin/pages/importWizard', 'batches-table-empty'],
];

/**
 * axe-core on the back office's pages at 1280×800 (issue 14): no contrast failure and no serious or critical
 * violation on any of them, with data on the screen.
 */
describeWithBrowser('back office pages: accessibility (axe-core)', () => {
  let t: TestApp;
  let admin: TestUser;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let morning: Morning;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, Role.Admin);
    morning = await seedMorning(t, admin);
    const em = t.orm.em.fork();
    // A likely duplicate of Ada for the Duplicates page.
    em.create(Contact, {
      firstName: 'Ada',
      lastName: 'Byron',
      email: 'ada@redwood.example.org',
      organization: morning.redwood,
    });
    await em.flush();
    browser = await launchBrowser();
    context = await laptopContext(browser, await serve(t), true);
    ({ page } = await openPage(context));
    page.setDefaultTimeout(15_000);
    await signInPage(page, admin);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it.each(PAGES)('%s', async (name, path, ready) => {
    await go(page, path);
    await page.getByTestId(ready).first().waitFor();
    expect(await accessibilityFailures(page)).toEqual([]);
    await screenshot(page, `axe-${name.replace(/ /g, '-')}`);
  });

  it('import wizard with a mapping and a dry-run report', async () => {
    await go(page, '/admin/pages/importWizard');
    await page.getByTestId('import-file').setInputFiles({
      name: 'people.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`Name,Email,Company\n${morning.ada.firstName} Lovelace,bad-email,Analytical\n`),
    });
    await page.getByTestId('mapping-table').waitFor();
    expect(await accessibilityFailures(page)).toEqual([]);
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('dry-run-report-problems').waitFor();
    expect(await accessibilityFailures(page)).toEqual([]);
  });
});
