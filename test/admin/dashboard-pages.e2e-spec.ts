import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { DemoSeeder } from '../../src/database/seeders/demo.seeder.js';
import { inSystemContext } from '../../src/modules/jobs/job-context.js';
import { createUser, login, type SignedInUser, type TestUser } from '../helpers/auth.js';
import { sql } from '../helpers/backups.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  adminAgent,
  describeWithBrowser,
  go,
  launchBrowser,
  newContext,
  openPage,
  screenshot,
  serve,
  signInPage,
} from './admin-helpers.js';

/** The home page's numbers and the LP tracker against the report API, on the demo data set (issue 14). */
describeWithBrowser('back office: dashboard and LP tracker', () => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let api: SignedInUser;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    t = await createTestApp();
    await inSystemContext(t.orm, () => t.app.get(DemoSeeder).run());
    admin = await createUser(t, Role.Admin);
    member = await createUser(t, Role.Member);
    api = await login(t, admin);
    browser = await launchBrowser();
    context = await newContext(browser, await serve(t));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('the home page answers exactly the report API, for the raising fund and for a picked one', async () => {
    const agent = await adminAgent(t, member);
    const [page, report, activity] = await Promise.all([
      agent.get('/admin/api/dashboard').expect(200),
      t.http.get('/api/reports/dashboard').set(api.auth).expect(200),
      t.http.get('/api/reports/activity?days=30').set(api.auth).expect(200),
    ]);
    expect(page.body.report).toEqual(report.body.data);
    expect(page.body.activity).toEqual(activity.body.data);
    const progress = await t.http.get('/api/reports/fund-progress').set(api.auth).expect(200);
    expect(page.body.progress).toEqual(progress.body.data);

    const other = page.body.funds.find((f: { id: string }) => f.id !== report.body.data.fund.id);
    const picked = await agent.get(`/admin/api/dashboard?fundId=${other.id}`).expect(200);
    const apiPicked = await t.http.get(`/api/reports/dashboard?fundId=${other.id}`).set(api.auth).expect(200);
    expect(picked.body.report).toEqual(apiPicked.body.data);
    const bad = await agent.get('/admin/api/dashboard?fundId=nope').expect(400);
    expect(bad.body.message).toContain('fundId');
  });

  it('shows the KPIs, charts and lists of the report, and the LP tracker sorts and exports', async () => {
    const report = (await t.http.get('/api/reports/dashboard').set(api.auth).expect(200)).body.data;
    const { page, outside, errors } = await openPage(context);
    await page.setViewportSize({ width: 1280, height: 800 });
    await signInPage(page, admin);
    await page.getByTestId('kpi-lps').waitFor();
    expect(await page.getByTestId('kpi-lps').innerText()).toContain(String(report.kpis.lps));
    expect(await page.getByTestId('kpi-active-opportunities').innerText()).toContain(
      String(report.kpis.activeOpportunities),
    );
    expect(await page.getByTestId('kpi-communications').innerText()).toContain(
      String(report.kpis.communicationsThisMonth),
    );
    await page.locator('[data-testid="chart-pipeline"] canvas').waitFor();
    await page.locator('[data-testid="chart-activity"] canvas').waitFor();
    expect(await page.getByTestId('next-action').count()).toBe(report.nextActions.length);
    await screenshot(page, 'dashboard-report');
    await screenshot(page, 'dashboard-report-whole', { whole: true });

    await go(page, '/admin/pages/lpTracker');
    await page.getByText('No LP has committed to this fund yet.').waitFor(); // Fund II, raising: none yet
    const funds = (await t.http.get('/api/funds').set(api.auth)).body.data as { id: string; name: string }[];
    const fundOne = funds.find((f) => f.name === 'Fund I')!;
    await page.getByTestId('lp-tracker-fund').selectOption(fundOne.id);
    const table = page.getByTestId('lp-tracker-table');
    await table.locator('tbody tr').first().waitFor();
    const breakdown = (await t.http.get(`/api/reports/lp-breakdown?fundId=${fundOne.id}`).set(api.auth)).body
      .data;
    expect(breakdown.lps.length).toBeGreaterThan(0);
    expect(await table.locator('tbody tr').count()).toBe(breakdown.lps.length);
    await page.getByTestId('sort-contact').click();
    const names = await table.locator('tbody tr td:first-child').allInnerTexts();
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    await screenshot(page, 'lp-tracker');
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('the LP tracker CSV is the report API’s CSV, for managers and admins only, audited', async () => {
    const funds = (await t.http.get('/api/funds').set(api.auth)).body.data as { id: string; name: string }[];
    const fund = funds.find((f) => f.name === 'Fund I')!;
    const asMember = await adminAgent(t, member);
    await asMember.get(`/admin/reports/lp-breakdown.csv?fundId=${fund.id}`).expect(403);
    const asAdmin = await adminAgent(t, admin);
    const csv = await asAdmin.get(`/admin/reports/lp-breakdown.csv?fundId=${fund.id}`).expect(200);
    const fromApi = await t.http.get(`/api/reports/lp-breakdown?fundId=${fund.id}&format=csv`).set(api.auth);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.text).toBe(fromApi.text);
    const exports = await sql(
      t.databaseUrl,
      `select source, meta->>'report' as report from audit_log where action = 'export' order by created_at`,
    );
    expect(exports.rows).toEqual([
      { source: 'admin', report: 'lp-breakdown' },
      { source: 'api', report: 'lp-breakdown' },
    ]);
    await asAdmin.get('/admin/reports/lp-breakdown.csv?fundId=x').expect(400);
  });
});
