import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { Communication } from '../../src/modules/communications/communication.entity.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Task, TaskStatus } from '../../src/modules/tasks/task.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createUser, type TestUser } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  apiIdle,
  describeWithBrowser,
  go,
  goAndLoad,
  launchBrowser,
  screenshot,
  serve,
  signInPage,
  visitPage,
} from './admin-helpers.js';
import { contrastFailures, day, laptopContext, type Morning, seedMorning } from './daywork-fixtures.js';

/** Issue 17 at 1280×800: the contact as the hub, forms that come back, next actions as tasks. */
describeWithBrowser('back office for a day’s work: the contact as the hub', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let member: TestUser;
  let data: Morning;
  let page: Page;
  let base: string;
  const errors: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
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

  const contactPage = () => `/admin/resources/Contact/records/${data.ada.id}/show`;

  const visit = (path: string, part: string) => visitPage(page, path, part);

  it('shows the contact’s name as the title, the timeline and open tasks above the fold, deals and LPs inline', async () => {
    await visit(contactPage(), `/records/${data.ada.id}/show`);
    const hub = page.getByTestId('record-hub');
    await expect(hub.getByTestId('record-title').textContent()).resolves.toBe('Ada Byron');
    await hub.getByText('CIO · Redwood Endowment').waitFor();
    await hub.getByTestId('hub-timeline').getByText('Fund II terms meeting').waitFor();
    await hub.getByTestId('hub-task').getByText('Call Ada about the side letter').waitFor();
    await expect(hub.getByTestId('hub-task-due').textContent()).resolves.toContain('3 days late');
    await hub.getByTestId('hub-opportunity').getByText('Redwood — Fund II').waitFor();
    await hub.getByTestId('hub-commitment').getByText('not wired').waitFor();
    // Above the fold: the timeline's and the tasks' boxes start inside the 800 px window.
    for (const id of ['hub-timeline', 'hub-tasks']) {
      const box = await hub.getByTestId(id).boundingBox();
      expect(box!.y).toBeLessThan(800);
    }
    // Email and phone are links; a stored "javascript:" LinkedIn value stays text.
    await expect(page.getByTestId('link-email').getAttribute('href')).resolves.toBe(
      'mailto:ada@redwood.example',
    );
    await expect(page.getByTestId('link-phone').getAttribute('href')).resolves.toBe('tel:+16505550100');
    expect(await page.getByTestId('link-linkedinUrl').count()).toBe(0);
    await page.getByText('javascript:alert(1)').waitFor();
    await screenshot(page, 'daywork-contact-hub');
    expect(await contrastFailures(page)).toEqual([]);
  });

  it('logs a call from the contact: the form is filled in, and saving lands back on the contact', async () => {
    await visit(contactPage(), `/records/${data.ada.id}/show`);
    await page.getByTestId('log-call').click();
    await page.waitForURL(/\/Communication\/actions\/new\?/);
    await page.locator('input[name=subject]').waitFor();
    // The contact is chosen, the type is "call".
    await page.locator('label[for=contact] + div').getByText('Ada Byron').waitFor();
    await page.locator('[data-testid="property-edit-type"]').getByText('Call').waitFor();
    await page.fill('input[name=subject]', 'Quick call about the side letter');
    await screenshot(page, 'daywork-log-call-form');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((url) => url.pathname === contactPage());
    await page.getByTestId('hub-timeline').getByText('Quick call about the side letter').waitFor();
    await screenshot(page, 'daywork-contact-after-call');
    const logged = await t.orm.em
      .fork()
      .findOneOrFail(Communication, { subject: 'Quick call about the side letter' });
    expect(logged).toMatchObject({ type: 'call', contact: expect.objectContaining({ id: data.ada.id }) });
  });

  it('adds a task from the contact: assigned to me, linked to the contact and its organization, and back', async () => {
    await visit(contactPage(), `/records/${data.ada.id}/show`);
    await page.getByTestId('add-task').click();
    await page.locator('input[name=title]').waitFor();
    // Assigned to me, labelled with my name.
    const me = await t.orm.em.fork().findOneOrFail(User, member.id);
    await page.locator('label[for=assignee] + div').getByText(me.fullName, { exact: true }).waitFor();
    await page.fill('input[name=title]', 'Send Ada the Fund II deck');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((url) => url.pathname === contactPage());
    await page.getByTestId('hub-tasks').getByText('Send Ada the Fund II deck').waitFor();
    const task = await t.orm.em.fork().findOneOrFail(Task, { title: 'Send Ada the Fund II deck' });
    expect(task.assignee?.id).toBe(member.id);
    expect(task.contact?.id).toBe(data.ada.id);
    expect(task.organization?.id).toBe(data.redwood.id);
  });

  it('opens a new opportunity for the contact with the organization filled in, owned by me', async () => {
    await visit(contactPage(), `/records/${data.ada.id}/show`);
    await page.getByTestId('new-opportunity').click();
    await page.locator('input[name=name]').waitFor();
    await page.locator('label[for=organization] + div').getByText('Redwood Endowment').waitFor();
    await page.locator('label[for=contact] + div').getByText('Ada Byron').waitFor();
    await page.fill('input[name=name]', 'Redwood — Fund III');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL((url) => url.pathname === contactPage());
    await page.getByTestId('hub-opportunities').getByText('Redwood — Fund III').waitFor();
  });

  it('shows the organization as a hub too: contacts, deals, LPs and communications with its people', async () => {
    await visit(
      `/admin/resources/Organization/records/${data.redwood.id}/show`,
      `/records/${data.redwood.id}/show`,
    );
    const hub = page.getByTestId('record-hub');
    await expect(hub.getByTestId('record-title').textContent()).resolves.toBe('Redwood Endowment');
    await hub.getByTestId('hub-contacts').getByText('Carl Jung').waitFor();
    await hub.getByTestId('hub-opportunities').getByText('Redwood — Fund II', { exact: true }).waitFor();
    await hub.getByTestId('hub-commitments').getByText('Fund II · Ada Byron').waitFor();
    await hub.getByTestId('hub-timeline').getByText('Fund II terms meeting').waitFor();
    await expect(page.getByTestId('link-website').getAttribute('href')).resolves.toBe(
      'https://redwood.example/',
    );
    await screenshot(page, 'daywork-organization-hub');
    expect(await contrastFailures(page)).toEqual([]);
  });

  it('shows the record one went on to when the one left behind answers late', async () => {
    await go(page, '/admin');
    await apiIdle(page);
    const contactApi = `/api/resources/Contact/records/${data.ada.id}/show`;
    await page.route(`**${contactApi}`, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    try {
      const late = page.waitForResponse((r) => r.url().includes(contactApi));
      await go(page, contactPage());
      // On to the organization before the contact has loaded; its answer comes after the organization's.
      await goAndLoad(
        page,
        `/admin/resources/Organization/records/${data.redwood.id}/show`,
        `/records/${data.redwood.id}/show`,
      );
      await late;
      await apiIdle(page);
      await expect(page.getByTestId('record-title').textContent()).resolves.toBe('Redwood Endowment');
    } finally {
      await page.unroute(`**${contactApi}`);
    }
  });

  it('turns a communication’s next action into a task assigned to me in one step', async () => {
    await visit(
      `/admin/resources/Communication/records/${data.call.id}/show`,
      `/records/${data.call.id}/show`,
    );
    await screenshot(page, 'daywork-communication-show');
    await page.getByText('Create task', { exact: true }).click();
    await page.getByTestId('confirm-action-button').click();
    await page.waitForURL(/\/Task\/records\/[^/]+\/show/);
    await page.getByText('Task created and assigned to you').waitFor();
    const task = await t.orm.em.fork().findOneOrFail(Task, { title: 'Send the side letter draft' });
    expect(task).toMatchObject({ dueDate: day(2), status: 'open' });
    expect(task.assignee?.id).toBe(member.id);
    expect(task.contact?.id).toBe(data.ada.id);
    expect(task.opportunity?.id).toBe(data.deal.id);
    await screenshot(page, 'daywork-task-from-next-action');
  });

  it('after an edit opened from a list, returns to that list', async () => {
    const list = `/admin/resources/Contact?filters.organization=${data.redwood.id}`;
    await visit(list, '/api/resources/Contact/actions/list');
    await page.locator('td[data-property-name="name"]', { hasText: 'Carl Jung' }).waitFor();
    // The row's "Edit" link, followed inside the app as a click does.
    const carl = await t.orm.em.fork().findOneOrFail(Contact, { firstName: 'Carl' });
    await go(page, `/admin/resources/Contact/records/${carl.id}/edit`);
    await page.locator('input[name=title]').waitFor();
    await page.waitForURL(/redirectUrl=/);
    await page.fill('input[name=title]', 'Analyst');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(
      (url) => url.pathname === '/admin/resources/Contact' && url.search.includes('filters.organization'),
    );
    await page.locator('td[data-property-name="name"]', { hasText: 'Carl Jung' }).waitFor();
    expect((await t.orm.em.fork().findOneOrFail(Contact, { firstName: 'Carl' })).title).toBe('Analyst');
    expect(errors).toEqual([]);
  });

  it('creates a contact with a new organization from inside the contact form', async () => {
    await visit('/admin/resources/Contact', '/api/resources/Contact/actions/list');
    await go(page, '/admin/resources/Contact/actions/new');
    await page.locator('input[name=firstName]').waitFor();
    await page.fill('input[name=firstName]', 'Grace');
    await page.fill('input[name=lastName]', 'Hopper');
    await page.getByTestId('create-Organization').click();
    await page.getByTestId('create-Organization-name').fill('Harbor Pension Fund');
    await page.getByTestId('create-Organization-save').click();
    await page.locator('label[for=organization] + div').getByText('Harbor Pension Fund').waitFor();
    // What was typed before is still there.
    await expect(page.locator('input[name=firstName]').inputValue()).resolves.toBe('Grace');
    await screenshot(page, 'daywork-contact-new-organization');
    await page.getByRole('button', { name: 'Save' }).click();
    // Back to the contact list it was opened from.
    await page.waitForURL((url) => url.pathname === '/admin/resources/Contact');
    const grace = await t.orm.em
      .fork()
      .findOneOrFail(Contact, { firstName: 'Grace' }, { populate: ['organization'] });
    expect(grace.organization?.getEntity().name).toBe('Harbor Pension Fund');
    expect(grace.owner?.id).toBe(member.id);
  });

  it('lets a manager create a tag from inside the contact form (members, who may not create tags, get no button)', async () => {
    await go(page, '/admin/resources/Contact/actions/new');
    await page.locator('input[name=firstName]').waitFor();
    expect(await page.getByTestId('create-Tag').count()).toBe(0);

    const manager = await createUser(t, Role.Manager, { username: 'mo.manager' });
    const other = await context
      .browser()!
      .newContext({ viewport: { width: 1280, height: 800 }, baseURL: base });
    const managerPage = await other.newPage();
    managerPage.setDefaultTimeout(10_000);
    await signInPage(managerPage, manager);
    await go(managerPage, '/admin/resources/Contact/actions/new');
    await managerPage.fill('input[name=firstName]', 'Lin');
    await managerPage.fill('input[name=lastName]', 'Wei');
    await managerPage.getByTestId('create-Tag').click();
    await managerPage.getByTestId('create-Tag-name').fill('Co-investor');
    await managerPage.getByTestId('create-Tag-save').click();
    await managerPage.locator('label[for=tags] + div').getByText('Co-investor').waitFor();
    await expect(managerPage.locator('input[name=firstName]').inputValue()).resolves.toBe('Lin');
    await screenshot(managerPage, 'daywork-contact-new-tag');
    await managerPage.getByRole('button', { name: 'Save' }).click();
    // Back where the form was opened from (the home page, right after signing in).
    await managerPage.waitForURL((url) => url.pathname === '/admin');
    const lin = await t.orm.em.fork().findOneOrFail(Contact, { firstName: 'Lin' }, { populate: ['tags'] });
    expect(lin.tags.getItems().map((tag) => tag.name)).toEqual(['Co-investor']);
    await other.close();
  });

  it('counts related tasks as the list the link opens does: done tasks are not counted', async () => {
    const em = t.orm.em.fork();
    em.create(Task, {
      title: 'Sent the welcome pack',
      dueDate: day(-20),
      status: TaskStatus.Done,
      completedAt: new Date(),
      contact: em.getReference(Contact, data.ada.id),
      createdBy: em.getReference(User, member.id),
    });
    await em.flush();
    const open = await em.count(Task, { contact: data.ada.id, status: { $ne: TaskStatus.Done } });
    await visit(contactPage(), `/records/${data.ada.id}/show`);
    const tasks = page.getByTestId('related-records').locator('a', { hasText: 'Tasks' });
    await expect(tasks.getByTestId('related-count').textContent()).resolves.toBe(String(open));
  });

  it('explains a page the member’s role may not open, instead of a developer error', async () => {
    await go(page, '/admin/resources/User');
    await page.getByText('This page is not open to you').waitFor();
    await screenshot(page, 'daywork-forbidden-page');
    await page
      .getByText(/your role does not/)
      .first()
      .waitFor();
    expect(await page.getByText('Resource of given id').count()).toBe(0);
    expect(await contrastFailures(page)).toEqual([]);
  });
});
