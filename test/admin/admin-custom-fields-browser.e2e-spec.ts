import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Opportunity } from '../../src/modules/opportunities/opportunity.entity.js';
import { type SignedInUser, signedIn } from '../helpers/auth.js';
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
  stageHistory,
  type WatchedPage,
} from './admin-helpers.js';

/** Picks `option` in the select (react-select) of `path`: typed, then clicked in the menu. */
/** A saved form goes back to the page it was opened from (FormReturn.jsx): here, whatever page came before. */
function leftForm(page: Page): Promise<void> {
  return page.waitForURL((url) => !/\/(new|edit)$/.test(url.pathname));
}

async function choose(page: Page, path: string, option: string): Promise<void> {
  const custom = path.startsWith('customFields.');
  const input = custom
    ? page.locator(`[id="${path}"]`)
    : page.locator(`[data-testid="property-edit-${path}"] input`);
  await input.fill(option);
  await page.getByRole('option', { name: option, exact: true }).click();
}

/**
 * Custom fields (and the writes behind every form) in a real browser: one browser, one signed-in page for
 * every test (they run in order).
 */
describeWithBrowser('back office custom fields in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  let manager: SignedInUser;

  const define = async (body: Record<string, unknown>) =>
    (await t.http.post('/api/custom-fields').set(manager.auth).send(body).expect(201)).body.data as {
      id: string;
    };

  const save = () => page.getByRole('button', { name: 'Save' }).click();

  beforeAll(async () => {
    t = await createTestApp();
    let base: string;
    [base, browser] = await Promise.all([serve(t), launchBrowser()]);
    manager = await signedIn(t, Role.Manager);
    // Defined through the API after the app started: the back office has never seen them.
    const fields = [
      {
        key: 'referral',
        label: 'Referred by',
        fieldType: 'text',
        required: true,
        helpText: 'Who introduced us',
      },
      { key: 'check_size', label: 'Typical check', fieldType: 'currency' },
      { key: 'first_meeting', label: 'First meeting', fieldType: 'date' },
      { key: 'tier', label: 'Tier', fieldType: 'select', options: ['Tier 1', 'Tier 2', 'Tier 3'] },
      {
        key: 'sectors',
        label: 'Sectors',
        fieldType: 'multi_select',
        options: ['Fintech', 'Health', 'Climate'],
      },
      { key: 'assistant_email', label: 'Assistant email', fieldType: 'email' },
      { key: 'co_invests', label: 'Co-invests', fieldType: 'boolean' },
      { key: 'bio', label: 'Background', fieldType: 'long_text' },
    ];
    for (const [i, field] of fields.entries())
      await define({ entityType: 'contact', displayOrder: i, ...field });
    // East of Greenwich, where AdminJS's own date picker would save the day before the one picked.
    watched = await openPage(await newContext(browser, base, 'Europe/Berlin'));
    page = watched.page;
    await signInPage(page, manager);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the contact form has one input per definition, in display order, with labels, help text and a required marker', async () => {
    await go(page, '/admin/resources/Contact/actions/new');
    const section = page.getByTestId('custom-fields');
    await section.waitFor();
    const labels = await section.locator('label').allInnerTexts();
    expect(labels.map((l) => l.replace(/\s+/g, ' ').trim())).toEqual([
      'Referred by',
      'Typical check',
      'First meeting',
      'Tier',
      'Sectors',
      'Assistant email',
      'Co-invests',
      'Background',
    ]);
    await section.getByText('Who introduced us').waitFor();
    expect(await section.locator('textarea[name="customFields.bio"]').count()).toBe(1);
    await page.fill('input[name=firstName]', 'Grace');
    await page.fill('input[name=lastName]', 'Kim');
    await page.fill('input[name=email]', 'grace.kim@harbor.example');
    await screenshot(page, 'contact-new-custom-fields', { whole: true });
  });

  it('a bad custom value and a missing required one show their errors under the inputs', async () => {
    await page.fill('input[name="customFields.assistant_email"]', 'not an email');
    await save();
    const email = page.getByTestId('custom-field-assistant_email');
    await email.getByText('must be a valid email address').waitFor();
    await page.getByTestId('custom-field-referral').getByText('is required').waitFor();
    await screenshot(page, 'contact-custom-field-error', { whole: true });
    expect(await t.orm.em.fork().count(Contact, { email: 'grace.kim@harbor.example' })).toBe(0);
  });

  it('creates the contact with its custom fields, and the API serves them typed', async () => {
    await page.fill('input[name="customFields.assistant_email"]', 'desk@harbor.example');
    // A corrected input loses its error at once; the next save answers afresh.
    await page.getByText('must be a valid email address').waitFor({ state: 'detached' });
    await page.fill('input[name="customFields.referral"]', 'Dana Ruiz');
    await page.fill('input[name="customFields.check_size"]', '2500000.5');
    await page.fill('[id="customFields.first_meeting"]', '2024-03-15');
    await page.keyboard.press('Escape');
    await choose(page, 'customFields.tier', 'Tier 2');
    for (const sector of ['Fintech', 'Climate']) await choose(page, 'customFields.sectors', sector);
    await page.getByTestId('custom-field-co_invests').locator('label').click();
    await page.fill('textarea[name="customFields.bio"]', 'Ex-banker.\nLikes climate deals.');
    await screenshot(page, 'contact-new-custom-fields-filled', { whole: true });
    await Promise.all([leftForm(page), save()]);

    const contact = await t.orm.em.fork().findOneOrFail(Contact, { email: 'grace.kim@harbor.example' });
    const api = await t.http.get(`/api/contacts/${contact.id}`).set(manager.auth).expect(200);
    expect(api.body.data.customFields).toEqual({
      referral: 'Dana Ruiz',
      check_size: 2500000.5,
      first_meeting: '2024-03-15',
      tier: 'Tier 2',
      sectors: ['Fintech', 'Climate'],
      assistant_email: 'desk@harbor.example',
      co_invests: true,
      bio: 'Ex-banker.\nLikes climate deals.',
    });

    await go(page, `/admin/resources/Contact/records/${contact.id}/show`);
    const shown = page.getByTestId('custom-fields');
    await shown.getByText('2,500,000.50').waitFor();
    await shown.getByText('Fintech').waitFor();
    await shown.getByText('Yes', { exact: true }).waitFor();
    await screenshot(page, 'contact-show-custom-fields', { whole: true });
  });

  it('a field defined through the API while the app runs appears on the next form, no restart', async () => {
    await define({
      entityType: 'contact',
      key: 'linkedin_followers',
      label: 'LinkedIn followers',
      fieldType: 'number',
      displayOrder: 20,
    });
    const contact = await t.orm.em.fork().findOneOrFail(Contact, { email: 'grace.kim@harbor.example' });
    await goAndLoad(
      page,
      `/admin/resources/Contact/records/${contact.id}/edit`,
      `/records/${contact.id}/edit`,
    );
    await page.locator('input[name="customFields.linkedin_followers"]').fill('1200');
    // The stored values came back into the form.
    expect(await page.inputValue('input[name="customFields.referral"]')).toBe('Dana Ruiz');
    await Promise.all([leftForm(page), save()]);
    const api = await t.http.get(`/api/contacts/${contact.id}`).set(manager.auth).expect(200);
    expect(api.body.data.customFields).toMatchObject({
      linkedin_followers: 1200,
      referral: 'Dana Ruiz',
      tier: 'Tier 2',
    });
  });

  it('moves an opportunity to another stage: a stage-history row, an audit row with source admin, and the day picked', async () => {
    const opp = (
      await t.http
        .post('/api/opportunities')
        .set(manager.auth)
        .send({ name: 'Harbor — Fund III', stage: 'meeting' })
        .expect(201)
    ).body.data as { id: string };
    await goAndLoad(page, `/admin/resources/Opportunity/records/${opp.id}/edit`, `/records/${opp.id}/edit`);
    await choose(page, 'stage', 'Due diligence');
    await page.fill('[data-testid="property-edit-expectedCloseDate"] input', '2026-06-30');
    await page.keyboard.press('Escape');
    await screenshot(page, 'opportunity-edit', { whole: true });
    await Promise.all([leftForm(page), save()]);
    expect(await stageHistory(t, opp.id)).toEqual([
      [null, 'meeting', manager.id],
      ['meeting', 'due_diligence', manager.id],
    ]);
    expect(await t.orm.em.fork().findOneOrFail(Opportunity, opp.id)).toMatchObject({
      stage: 'due_diligence',
      probability: 60,
      expectedCloseDate: '2026-06-30',
    });
    const [audit] = await t.orm.em.fork().find(AuditLog, { entityId: opp.id, action: 'stage_change' });
    expect(audit).toMatchObject({ source: AuditSource.Admin, actorUserId: manager.id });
    expect(audit.changes).toMatchObject({
      stage: { from: 'meeting', to: 'due_diligence' },
      probability: { from: 35, to: 60 },
    });
  });

  it('Settings → Custom Fields lists the definitions, and defines a new one through its form', async () => {
    await goAndLoad(
      page,
      '/admin/resources/CustomFieldDefinition',
      '/api/resources/CustomFieldDefinition/actions/list',
    );
    // "Typical check" may also be on the page left behind: wait for the list's own rows.
    const keyCells = page.locator('td[data-property-name="key"]');
    await keyCells.filter({ hasText: 'first_meeting' }).waitFor();
    await page.getByText('Typical check').waitFor();
    // By record type, then in the order the forms show them.
    const keys = await keyCells.allInnerTexts();
    expect(keys.slice(0, 3)).toEqual(['referral', 'check_size', 'first_meeting']);
    await screenshot(page, 'custom-fields-list');
    await go(page, '/admin/resources/CustomFieldDefinition/actions/new');
    await choose(page, 'entityType', 'Organization');
    await page.fill('input[name=key]', 'aum_band');
    await page.fill('input[name=label]', 'AUM band');
    await choose(page, 'fieldType', 'Select');
    await page.fill('textarea[name=options]', '< $1B\n$1–10B\n');
    await screenshot(page, 'custom-field-new', { whole: true });
    await Promise.all([page.waitForURL(/\/admin\/resources\/CustomFieldDefinition(\?|$)/), save()]);
    const listed = (
      await t.http.get('/api/custom-fields?entityType=organization').set(manager.auth).expect(200)
    ).body.data as { key: string; fieldType: string; options: string[] }[];
    expect(listed).toEqual([
      expect.objectContaining({ key: 'aum_band', fieldType: 'select', options: ['< $1B', '$1–10B'] }),
    ]);
  });

  it('made no request to any host but the app, and hit no script error', () => {
    expect(watched.outside).toEqual([]);
    expect(watched.errors.filter((e) => !/status of (400|401|404)/.test(e))).toEqual([]);
  });
});
