import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, BrowserContext } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { Communication, CommunicationType } from '../../src/modules/communications/communication.entity.js';
import { Contact, ContactType } from '../../src/modules/contacts/contact.entity.js';
import { Fund } from '../../src/modules/funds/fund.entity.js';
import { Opportunity, OpportunityStage } from '../../src/modules/opportunities/opportunity.entity.js';
import { Organization, OrganizationType } from '../../src/modules/organizations/organization.entity.js';
import { Tag } from '../../src/modules/tags/tag.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createUser, login, type TestUser, totp } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import {
  describeWithBrowser,
  go,
  goAndLoad,
  launchBrowser,
  newContext,
  openPage,
  screenshot,
  serve,
  signInPage,
  type WatchedPage,
} from './admin-helpers.js';

/** A small book of business, so the pages have something to show. */
async function seed(t: TestApp, owner: TestUser): Promise<{ redwood: Organization; ada: Contact }> {
  const em = t.orm.em.fork();
  const redwood = em.create(Organization, {
    name: 'Redwood Endowment',
    type: OrganizationType.Endowment,
    city: 'Palo Alto',
    country: 'USA',
  });
  const atlas = em.create(Organization, {
    name: 'Atlas Family Office',
    type: OrganizationType.FamilyOffice,
    city: 'New York',
  });
  em.create(Organization, {
    name: 'Summit Insurance Group',
    type: OrganizationType.Insurance,
    city: 'Hartford',
  });
  const ada = em.create(Contact, {
    firstName: 'Ada',
    lastName: 'Byron',
    email: 'ada@redwood.example',
    title: 'CIO',
    organization: redwood,
    contactType: ContactType.Investor,
    owner: em.getReference(User, owner.id),
  });
  em.create(Contact, {
    firstName: 'Carl',
    lastName: 'Jung',
    email: 'carl@atlas.example',
    organization: atlas,
  });
  const fund = em.create(Fund, { name: 'Fund II', targetAmount: 150_000_000 });
  const deal = em.create(Opportunity, {
    name: 'Redwood — Fund II',
    contact: ada,
    organization: redwood,
    fund,
    stage: OpportunityStage.Meeting,
    probability: 35,
    expectedAmount: 10_000_000,
  });
  em.create(Communication, {
    contact: ada,
    opportunity: deal,
    type: CommunicationType.Meeting,
    subject: 'Fund II intro meeting',
    nextAction: 'Send the Fund II deck',
    nextActionDate: new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10),
  });
  await em.flush();
  return { redwood, ada };
}

describeWithBrowser('back office in a browser', () => {
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let admin: TestUser;
  let data: { redwood: Organization; ada: Contact };
  const pages: WatchedPage[] = [];

  let context: BrowserContext;

  /** A new page without a session; the previous one is closed. */
  const open = async () => {
    await pages.at(-1)?.page.close();
    const watched = await openPage(context);
    pages.push(watched);
    return watched;
  };

  beforeAll(async () => {
    t = await createTestApp();
    [base, browser] = await Promise.all([serve(t), launchBrowser()]);
    context = await newContext(browser, base);
    admin = await createUser(t, Role.Admin, { username: 'ada.admin' });
    data = await seed(t, admin);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in, shows the dashboard, lists, searches, shows and edits — all from 127.0.0.1', async () => {
    const { page } = await open();
    await page.goto('/admin/login');
    await screenshot(page, 'login');
    await signInPage(page, admin);
    await page.getByTestId('kpi-active-opportunities').getByText('1').waitFor();
    await page.getByText('Send the Fund II deck').waitFor();
    await screenshot(page, 'dashboard');

    await go(page, '/admin/resources/Organization');
    await page.getByText('Summit Insurance Group').waitFor();
    await screenshot(page, 'organizations-list');
    await go(page, '/admin/resources/Organization?filters.name=redw');
    await page.getByText('Summit Insurance Group').waitFor({ state: 'detached' });
    await page.getByText('Redwood Endowment').waitFor();

    await go(page, '/admin/resources/Contact?filters.name=BYRON');
    await page.getByText('Ada Byron').waitFor();
    expect(await page.getByText('Carl Jung').count()).toBe(0);
    await screenshot(page, 'contacts-search');

    await go(page, `/admin/resources/Contact/records/${data.ada.id}/show`);
    await page.getByTestId('related-records').getByText('Opportunities').waitFor();
    await page.getByRole('link', { name: 'Redwood Endowment' }).first().waitFor();
    // A live record has no empty "Deleted at / by" lines.
    expect(await page.getByText('Deleted At').count()).toBe(0);
    await screenshot(page, 'contact-show');

    // The contact's page left behind names the same deal: wait for the list itself.
    await goAndLoad(page, `/admin/resources/Opportunity`, '/api/resources/Opportunity/actions/list');
    await page.locator('td[data-property-name="name"]', { hasText: 'Redwood — Fund II' }).waitFor();
    // Money in the record's currency; a missing amount is blank, never "NaN".
    await page.getByText('$10,000,000').first().waitFor();
    await screenshot(page, 'opportunities-list');
    await page.getByText('Redwood — Fund II').click();
    await page.getByText('Commitment Amount').waitFor();
    expect(await page.getByText('NaN').count()).toBe(0);

    const fund = await t.orm.em.fork().findOneOrFail(Fund, { name: 'Fund II' });
    await go(page, `/admin/resources/Fund/records/${fund.id}/show`);
    await page.getByTestId('fund-pipeline').getByText('$10,000,000').waitFor();
    await screenshot(page, 'fund-show');

    await go(page, `/admin/resources/Organization/records/${data.redwood.id}/edit`);
    await page.locator('input[name=city]').waitFor();
    await screenshot(page, 'organization-edit');
  });

  it('creates an organization through the form, and the API has it', async () => {
    const { page } = await open();
    const member = await createUser(t, Role.Member);
    await signInPage(page, member);
    await go(page, '/admin/resources/Organization/actions/new');
    await page.fill('input[name=name]', 'Blue Harbor Foundation');
    await page.fill('input[name=city]', 'Seattle');
    await page.fill('input[name=website]', 'not a web address');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('must be a web address such as https://example.com').first().waitFor();
    await screenshot(page, 'organization-new-error');
    await page.fill('input[name=website]', 'https://blueharbor.example');
    // Saved, the form returns where it was opened from (here the dashboard).
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/admin'),
      page.getByRole('button', { name: 'Save' }).click(),
    ]);

    const api = await login(t, member);
    const list = await t.http.get('/api/organizations?search=blue%20harbor').set(api.auth).expect(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        name: 'Blue Harbor Foundation',
        city: 'Seattle',
        website: 'https://blueharbor.example',
      }),
    ]);
  });

  it('edits a contact’s tags with one multi-select, and shows a member who owns it', async () => {
    const em = t.orm.em.fork();
    em.create(Tag, { name: 'Institutional', color: '#0e7490' });
    em.create(Tag, { name: 'High Priority', color: '#dc2626' });
    await em.flush();
    const tagsOfAda = async () =>
      (await t.orm.em.fork().findOneOrFail(Contact, data.ada.id, { populate: ['tags'] })).tags
        .getItems()
        .map((tag) => tag.name)
        .sort();
    const { page } = await open();
    await signInPage(page, await createUser(t, Role.Member));
    const edit = `/admin/resources/Contact/records/${data.ada.id}/edit`;
    const save = async () => {
      await page.getByRole('button', { name: 'Save' }).click();
      await page.waitForURL((url) => !url.pathname.endsWith('/edit'));
    };
    const openEdit = () =>
      goAndLoad(page, edit, `/records/${data.ada.id}/edit`, '/api/resources/Tag/actions/search');
    const pick = async (word: string, option: string) => {
      await page.fill('#tags', word);
      await page.getByText(option, { exact: true }).click();
    };
    for (const word of ['inst', 'high']) {
      await openEdit();
      await pick(word, word === 'inst' ? 'Institutional' : 'High Priority');
      if (word === 'high') await screenshot(page, 'contact-tags-picker');
      await save();
    }
    expect(await tagsOfAda()).toEqual(['High Priority', 'Institutional']);
    await openEdit();
    // A member may not open users' pages, yet sees who owns the contact.
    const owner = await t.orm.em.fork().findOneOrFail(User, admin.id);
    await page.locator('label[for=owner] + div').getByText(owner.fullName).waitFor();
    await page.press('#tags', 'Backspace');
    await page.press('#tags', 'Escape');
    await save();
    expect(await tagsOfAda()).toEqual(['Institutional']);
  });

  it('refuses to save over someone else’s newer edit', async () => {
    const { page } = await open();
    const member = await createUser(t, Role.Member);
    await signInPage(page, member);
    const org = (await t.orm.em
      .fork()
      .findOneOrFail(Organization, { name: 'Atlas Family Office' })) as Organization;
    await go(page, `/admin/resources/Organization/records/${org.id}/edit`);
    await page.locator('input[name=city]').waitFor();
    // Meanwhile a colleague changes it through the API.
    const colleague = await login(t, await createUser(t, Role.Member));
    await t.http
      .patch(`/api/organizations/${org.id}`)
      .set(colleague.auth)
      .send({ city: 'Boston', version: org.version })
      .expect(200);
    await page.fill('input[name=city]', 'Chicago');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Someone else saved this organization').first().waitFor();
    // Who changed what, from the audit log; what the user typed stays in the form.
    await page
      .getByText(/changed city from “New York” to “Boston”/)
      .first()
      .waitFor();
    expect(await page.locator('input[name=city]').inputValue()).toBe('Chicago');
    await screenshot(page, 'organization-stale-edit');
    expect((await t.orm.em.fork().findOneOrFail(Organization, org.id)).city).toBe('Boston');
  });

  it('members see no Settings (users, API tokens, custom fields) or Audit Log, and have no delete action', async () => {
    const { page } = await open();
    await signInPage(page, await createUser(t, Role.Member));
    await go(page, `/admin/resources/Organization/records/${data.redwood.id}/show`);
    await page.getByText('Palo Alto').waitFor();
    await page.getByText('CRM', { exact: true }).click();
    await page.getByRole('link', { name: 'Contacts' }).first().waitFor();
    for (const hidden of ['Users', 'Audit Log', 'API Tokens', 'Custom Fields', 'Settings']) {
      expect(await page.getByRole('link', { name: hidden }).count()).toBe(0);
      expect(await page.getByText(hidden, { exact: true }).count()).toBe(0);
    }
    expect(await page.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Delete' }).count()).toBe(0);
    await screenshot(page, 'member-organization-show');
    await go(page, '/admin/resources/User');
    expect(await page.getByText('ada.admin').count()).toBe(0);
  });

  it('asks for the authenticator code after the password', async () => {
    const user = await createUser(t, Role.Manager);
    const signed = await login(t, user);
    const { secret } = (await t.http.post('/api/auth/2fa/setup').set(signed.auth).expect(200)).body;
    await t.http
      .post('/api/auth/2fa/enable')
      .set(signed.auth)
      .send({ code: await totp(secret) })
      .expect(200);

    const { page } = await open();
    await page.goto('/admin/login');
    await page.fill('input[name=username]', user.username);
    await page.fill('input[name=password]', user.password);
    await Promise.all([page.waitForNavigation(), page.click('form button')]);
    await page.getByText('Enter the 6-digit code').waitFor();
    await screenshot(page, 'login-2fa');
    await page.fill('input[name=code]', await totp(secret, 1));
    await Promise.all([page.waitForNavigation(), page.click('form button')]);
    await page.getByTestId('dashboard').waitFor();
  });

  it('refuses a deactivated user', async () => {
    const user = await createUser(t, Role.Member);
    await t.orm.em.fork().nativeUpdate(User, { id: user.id }, { isActive: false });
    const { page } = await open();
    await signInPage(page, user);
    await page.getByText('Wrong username or password').waitFor();
    expect(page.url()).toContain('/admin/login');
  });

  it('made no request to any host but the app, and hit no script or CSP error', () => {
    expect(pages.flatMap((p) => p.outside)).toEqual([]);
    expect(pages.flatMap((p) => p.errors).filter((e) => !/status of (400|401|404)/.test(e))).toEqual([]);
  });
});
