import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Opportunity, OpportunityStage } from '../../src/modules/opportunities/opportunity.entity.js';
import { Organization } from '../../src/modules/organizations/organization.entity.js';
import { Tag } from '../../src/modules/tags/tag.entity.js';
import { createUser, type TestUser } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  describeWithBrowser,
  launchBrowser,
  screenshot,
  serve,
  signInPage,
  stageHistory,
  visitPage,
} from './admin-helpers.js';
import { contrastFailures, laptopContext, type Morning, seedMorning } from './daywork-fixtures.js';

/** Issue 17 at 1280×800: lists and filters people use, tasks that show what is late, the opportunity's stage. */
describeWithBrowser('back office for a day’s work: lists, filters, tasks and stages', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let member: TestUser;
  let data: Morning;
  let page: Page;
  const errors: string[] = [];

  const visit = (path: string, part: string) => visitPage(page, path, part);
  const titles = (resource: string, property: string) =>
    page
      .locator(`td[data-property-name="${property}"]`)
      .allTextContents()
      .then((all) => all.map((s) => s.trim()));
  const taskList = '/api/resources/Task/actions/list';

  beforeAll(async () => {
    t = await createTestApp();
    let base: string;
    [base, browser] = await Promise.all([serve(t), launchBrowser()]);
    context = await laptopContext(browser, base, true);
    member = await createUser(t, Role.Member, { username: 'ira.member' });
    data = await seedMorning(t, member);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (e) => errors.push(e.message));
    await signInPage(page, member);
    // App, browser and sign-in: slow on a busy machine, so more than jest's 30 s.
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the dashboard’s “My open tasks: 2” opens exactly those 2; the sidebar is in view at 1280 px', async () => {
    await page.getByTestId('kpi-tasks').getByText('2').waitFor();
    expect(await page.locator('[data-css="sidebar"]').isVisible()).toBe(true);
    const sidebar = await page.locator('[data-css="sidebar"]').boundingBox();
    expect(sidebar!.x).toBeGreaterThanOrEqual(0);
    await page.locator('[data-css="sidebar"]').getByText('Pipeline board').waitFor();
    await page.locator('[data-testid="chart-activity"] canvas').waitFor();
    await screenshot(page, 'daywork-dashboard');
    expect(await contrastFailures(page)).toEqual([]);
    await Promise.all([
      page.waitForResponse((r) => r.url().includes(taskList)),
      page.getByTestId('kpi-tasks').click(),
    ]);
    await page.locator('td[data-property-name="title"]').first().waitFor();
    expect((await titles('Task', 'title')).sort()).toEqual([
      'Call Ada about the side letter',
      'Prepare the Q4 report',
    ]);
    await page.getByTestId('chip-status').getByText('Open').waitFor();
    await page.getByTestId('chip-assignee').getByText('me').waitFor();
  });

  it('hides done tasks by default, shows an overdue one in red with how late, and a preset brings done ones back', async () => {
    await visit('/admin/resources/Task', taskList);
    await page.locator('td[data-property-name="title"]', { hasText: 'Prepare the Q4 report' }).waitFor();
    expect(await titles('Task', 'title')).not.toContain('Book the annual meeting venue');
    await page.getByTestId('done-hidden-note').waitFor();
    const late = page
      .locator('tr', { hasText: 'Call Ada about the side letter' })
      .locator('[data-overdue="true"]');
    await expect(late.textContent()).resolves.toContain('3 days late');
    // Red at a contrast of 6.5:1 on white.
    // (Browser-side code as a string: this project is not compiled with the DOM's types.)
    const color = await page.evaluate<string>(
      `getComputedStyle(document.querySelector('[data-overdue="true"]')).color`,
    );
    expect(color).toBe('rgb(180, 35, 24)');
    // The task due later is not late.
    const later = page.locator('tr', { hasText: 'Prepare the Q4 report' });
    expect(await later.locator('[data-overdue="true"]').count()).toBe(0);
    await screenshot(page, 'daywork-tasks-overdue');
    expect(await contrastFailures(page)).toEqual([]);

    await Promise.all([
      page.waitForResponse((r) => r.url().includes(taskList)),
      page.getByTestId('preset-with-done').click(),
    ]);
    await page
      .locator('td[data-property-name="title"]', { hasText: 'Book the annual meeting venue' })
      .waitFor();
    await page.getByTestId('chip-doneTasks').getByText('Show done tasks too').waitFor();

    await Promise.all([
      page.waitForResponse((r) => r.url().includes(taskList)),
      page.getByTestId('preset-overdue').click(),
    ]);
    await page.getByTestId('chip-due').getByText('Overdue').waitFor();
    await page
      .locator('td[data-property-name="title"]', { hasText: 'Prepare the Q4 report' })
      .waitFor({ state: 'detached' });
    expect(await titles('Task', 'title')).toEqual(['Call Ada about the side letter']);
  });

  it('filters tasks by status in a readable drawer that closes on Apply; the filter is a removable chip', async () => {
    await visit('/admin/resources/Task?filters.doneTasks=include', taskList);
    await page
      .locator('td[data-property-name="title"]', { hasText: 'Book the annual meeting venue' })
      .waitFor();
    await page.locator('[data-css="Task-filter-button"]').click();
    const drawer = page.locator('[data-css="Task-filter-drawer"]');
    await drawer.waitFor();
    await drawer.locator('input[name="filter-title"]').fill('a');
    // The status select: open it, pick "Open".
    await drawer
      .locator('[data-testid="property-filter-status"]')
      .getByText('Select…')
      .or(drawer.locator('[data-testid="property-filter-status"] [class*="control"]'))
      .first()
      .click();
    await page.getByText('Open', { exact: true }).last().click();
    await screenshot(page, 'daywork-filter-drawer');
    expect(await contrastFailures(page)).toEqual([]);
    await Promise.all([
      page.waitForResponse((r) => r.url().includes(taskList) && r.url().includes('status')),
      drawer.getByRole('button', { name: /Apply/ }).click(),
    ]);
    // Closed: the drawer no longer covers the results.
    await page.waitForFunction(`(() => {
      const d = document.querySelector('[data-css="Task-filter-drawer"]');
      if (!d) return true;
      const r = d.getBoundingClientRect(), s = getComputedStyle(d);
      return r.left >= window.innerWidth || r.width === 0 || s.display === 'none' || s.visibility === 'hidden';
    })()`);
    await page.getByTestId('chip-status').getByText('Open').waitFor();
    await page
      .locator('td[data-property-name="title"]', { hasText: 'Book the annual meeting venue' })
      .waitFor({ state: 'detached' });
    expect((await titles('Task', 'title')).sort()).toEqual([
      'Call Ada about the side letter',
      'Prepare the Q4 report',
    ]);
    await screenshot(page, 'daywork-tasks-filtered');
    await Promise.all([
      page.waitForResponse((r) => r.url().includes(taskList)),
      page.getByTestId('remove-chip-status').click(),
    ]);
    expect(await page.getByTestId('chip-status').count()).toBe(0);
    await page.getByTestId('chip-title').waitFor();
  });

  it('filters contacts and organizations by tag, and finds contacts with no activity in 30 days', async () => {
    const em = t.orm.em.fork();
    const tag = em.create(Tag, { name: 'Endowments', color: '#0e7490' });
    const ada = await em.findOneOrFail(Contact, data.ada.id, { populate: ['tags'] });
    ada.tags.add(tag);
    const redwood = await em.findOneOrFail(Organization, data.redwood.id, { populate: ['tags'] });
    redwood.tags.add(tag);
    em.create(Organization, { name: 'Atlas Family Office' });
    await em.flush();
    await visit(
      `/admin/resources/Organization?filters.tags=${tag.id}`,
      '/api/resources/Organization/actions/list',
    );
    await page.getByTestId('chip-tags').getByText('Endowments').waitFor();
    await page.locator('td[data-property-name="name"]', { hasText: 'Redwood Endowment' }).waitFor();
    expect(await titles('Organization', 'name')).toEqual(['Redwood Endowment']);
    await visit(`/admin/resources/Contact?filters.tags=${tag.id}`, '/api/resources/Contact/actions/list');
    await page.getByTestId('chip-tags').getByText('Endowments').waitFor();
    await page.locator('td[data-property-name="name"]', { hasText: 'Ada Byron' }).waitFor();
    expect(await titles('Contact', 'name')).toEqual(['Ada Byron']);
    await screenshot(page, 'daywork-contacts-by-tag');
    expect(await contrastFailures(page)).toEqual([]);
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/resources/Contact/actions/list')),
      page.getByTestId('preset-quiet').click(),
    ]);
    await page.getByTestId('chip-activity').getByText('No activity in 30 days').waitFor();
    // Ada had a meeting two days ago; Carl has had nothing.
    await page.locator('td[data-property-name="name"]', { hasText: 'Carl Jung' }).waitFor();
    expect(await titles('Contact', 'name')).toEqual(['Carl Jung']);
    await visit('/admin/resources/LpProfile', '/api/resources/LpProfile/actions/list');
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/resources/LpProfile/actions/list')),
      page.getByTestId('preset-not-wired').click(),
    ]);
    await page.getByTestId('chip-wireReceived').getByText('No').waitFor();
    await page.locator('td[data-property-name="contact"]', { hasText: 'Ada Byron' }).waitFor();
  });

  it('shows soft-circled deals beside funded commitments on the fund page', async () => {
    await visit(`/admin/resources/Fund/records/${data.fund.id}/show`, `/records/${data.fund.id}/show`);
    await page.getByTestId('fund-soft-circled').getByText('$12,000,000').waitFor();
    await page.getByTestId('fund-committed').getByText('$5,000,000').waitFor();
    await screenshot(page, 'daywork-fund');
    expect(await contrastFailures(page)).toEqual([]);
  });

  it('changing the stage in the form shows the stage’s probability before saving; history by time; next stage and lost', async () => {
    const em = t.orm.em.fork();
    const deal = em.create(Opportunity, {
      name: 'Atlas — Fund II',
      stage: OpportunityStage.Lead,
      probability: 10,
    });
    await em.flush();
    const id = deal.id;
    await visit(`/admin/resources/Opportunity/records/${id}/edit`, `/records/${id}/edit`);
    await expect(page.locator('input[name=probability]').inputValue()).resolves.toBe('10');
    await page.locator('[data-testid="property-edit-stage"] [class*="control"]').first().click();
    await page.getByText('Due diligence', { exact: true }).last().click();
    // The field takes the stage's default in an effect after the stage's render (with its hint), not in the click.
    await page.getByTestId('probability-hint').waitFor();
    await page.waitForFunction(`document.querySelector('input[name=probability]')?.value === '60'`);
    await expect(page.locator('input[name=probability]').inputValue()).resolves.toBe('60');
    await screenshot(page, 'daywork-opportunity-stage-probability');
    expect(await contrastFailures(page)).toEqual([]);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/edit'));
    expect(await t.orm.em.fork().findOneOrFail(Opportunity, id)).toMatchObject({
      stage: 'due_diligence',
      probability: 60,
    });

    // "Move to next stage": due diligence → committed, in one click.
    await visit(`/admin/resources/Opportunity/records/${id}/show`, `/records/${id}/show`);
    await page.getByText('Move to next stage', { exact: true }).click();
    await page.getByTestId('move-next').click();
    await page.getByText('Moved to Committed').waitFor();
    expect(await t.orm.em.fork().findOneOrFail(Opportunity, id)).toMatchObject({
      stage: 'committed',
      probability: 90,
    });
    // Lost asks for a reason first.
    await visit(`/admin/resources/Opportunity/records/${id}/show`, `/records/${id}/show`);
    await page.getByText('Move to next stage', { exact: true }).click();
    await page.getByTestId('mark-lost').click();
    await expect(page.getByTestId('confirm-lost').isDisabled()).resolves.toBe(true);
    await page.getByTestId('lost-reason').fill('Allocation went to a competitor');
    await screenshot(page, 'daywork-opportunity-lost-reason');
    expect(await contrastFailures(page)).toEqual([]);
    await page.getByTestId('confirm-lost').click();
    await page.getByText('Moved to Lost').waitFor();
    expect(await t.orm.em.fork().findOneOrFail(Opportunity, id)).toMatchObject({
      stage: 'lost',
      lostReason: 'Allocation went to a competitor',
    });
    expect((await stageHistory(t, id)).map(([from, to]) => `${from}→${to}`)).toEqual(
      ['null→lead', 'lead→due_diligence', 'due_diligence→committed', 'committed→lost'].slice(-3),
    );

    // The stage history list: newest first, by time.
    await visit(
      `/admin/resources/OpportunityStageChange?filters.opportunity=${id}`,
      '/api/resources/OpportunityStageChange/actions/list',
    );
    await page.locator('td[data-property-name="toStage"]').first().waitFor();
    expect(await titles('OpportunityStageChange', 'toStage')).toEqual(['Lost', 'Committed', 'Due Diligence']);
    await screenshot(page, 'daywork-stage-history');
    expect(errors).toEqual([]);
  });
});
