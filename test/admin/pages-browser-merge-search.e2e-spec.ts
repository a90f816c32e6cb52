import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';

import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { Communication, CommunicationType } from '../../src/modules/communications/communication.entity.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Fund } from '../../src/modules/funds/fund.entity.js';
import { LpProfile } from '../../src/modules/lp-profiles/lp-profile.entity.js';
import { Opportunity } from '../../src/modules/opportunities/opportunity.entity.js';
import { Organization } from '../../src/modules/organizations/organization.entity.js';
import { Task } from '../../src/modules/tasks/task.entity.js';
import type { SignedInUser } from '../helpers/auth.js';
import type { TestApp } from '../helpers/test-app.js';
import { describeWithBrowser, go, screenshot, type WatchedPage } from './admin-helpers.js';
import { openBrowserSession } from './browser-session.js';

/** The laptop screen every page must fit (issue 14). */
const LAPTOP = { width: 1280, height: 800 };

describeWithBrowser('back office duplicates, merge and search pages in a browser (1280×800)', () => {
  let t: TestApp;
  let browser: Browser;
  let manager: SignedInUser;
  let watched: WatchedPage;
  let page: Page;
  let dialogs: string[];

  beforeAll(async () => {
    ({ t, browser, manager, watched, page, dialogs } = await openBrowserSession(LAPTOP));
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  describe('duplicates and merge', () => {
    /** Two similar contacts in one organization, with rows to move: the same story under two labels. */
    async function story(label: string) {
      const em = t.orm.em.fork();
      const org = em.create(Organization, { name: `Harbor Foundation ${label}` });
      const fund = em.create(Fund, { name: `Merge Fund ${label}` });
      const kept = em.create(Contact, {
        firstName: 'Jonathan',
        lastName: 'Whitfield',
        phone: '+1 555 0100',
        organization: org,
      });
      await em.flush();
      const source = em.create(Contact, {
        firstName: 'Jonathon',
        lastName: 'Whitfield',
        email: `jon.${label.toLowerCase()}@harbor.example`,
        phone: '+1 555 0199',
        title: 'CIO',
        organization: org,
      });
      const communication = em.create(Communication, {
        contact: source,
        type: CommunicationType.Call,
        subject: 'Intro call',
        communicationDate: new Date('2026-11-02T15:00:00Z'),
      });
      const opportunity = em.create(Opportunity, {
        name: `Harbor ${label}`,
        contact: source,
        probability: 10,
      });
      const task = em.create(Task, { title: 'Send the deck', contact: source });
      const lp = em.create(LpProfile, { contact: source, fund, commitmentAmount: 1_000_000 });
      await em.flush();
      return {
        label,
        ids: {
          KEPT: kept.id,
          SOURCE: source.id,
          ORG: org.id,
          FUND: fund.id,
          COMMUNICATION: communication.id,
          OPPORTUNITY: opportunity.id,
          TASK: task.id,
          LP: lp.id,
        } as Record<string, string>,
      };
    }

    type Story = Awaited<ReturnType<typeof story>>;

    /** A value with one story's ids and label replaced by names, and times left out: comparable across stories. */
    const neutral = (value: unknown, s: Story): unknown => {
      let text = JSON.stringify(value, (key, v: unknown) =>
        ['createdAt', 'updatedAt', 'deletedAt', 'requestId', 'id_', 'ip'].includes(key) ? undefined : v,
      );
      for (const [name, id] of Object.entries(s.ids)) text = text.split(id).join(name);
      text = text.split(s.label).join('LABEL').split(s.label.toLowerCase()).join('label');
      return JSON.parse(text);
    };

    /** What a merge left: the kept contact as the API shows it, where the rows are, and every audit row. */
    async function outcome(s: Story) {
      const detail = await t.http.get(`/api/contacts/${s.ids.KEPT}`).set(manager.auth).expect(200);
      const em = t.orm.em.fork();
      const source = await em.findOneOrFail(Contact, s.ids.SOURCE);
      const rows = {
        communication: (await em.findOneOrFail(Communication, s.ids.COMMUNICATION)).contact?.id,
        opportunity: (await em.findOneOrFail(Opportunity, s.ids.OPPORTUNITY)).contact?.id,
        task: (await em.findOneOrFail(Task, s.ids.TASK)).contact?.id,
        lp: (await em.findOneOrFail(LpProfile, s.ids.LP)).contact.id,
        sourceDeleted: source.deletedAt !== null,
        sourceDeletedBy: source.deletedBy?.id,
      };
      const audit = await em.find(AuditLog, {
        entityId: { $in: Object.values(s.ids) },
        action: { $ne: 'create' },
      });
      return {
        detail: neutral(detail.body.data, s),
        rows: neutral(rows, s),
        // Sorted once neutral: the two stories' ids sort differently.
        audit: (
          neutral(
            audit.map((a) => ({
              entityType: a.entityType,
              entityId: a.entityId,
              action: a.action,
              actor: a.actorUserId,
              changes: a.changes,
              meta: a.meta,
            })),
            s,
          ) as object[]
        )
          .map((x) => JSON.stringify(x))
          .sort()
          .map((x) => JSON.parse(x) as unknown),
        sources: [...new Set(audit.map((a) => a.source))],
      };
    }

    it('a merge from the back office equals the API’s merge: the same rows and the same audit', async () => {
      const [viaPage, viaApi] = [await story('Alpha'), await story('Beta')];
      await go(page, '/admin/pages/duplicates');
      const group = page.getByTestId('duplicate-group').filter({ hasText: 'Harbor Foundation Alpha' });
      await group.waitFor();
      await screenshot(page, 'pages-duplicates');
      await group.getByTestId('compare').click();
      const table = page.getByTestId('side-by-side');
      await table.getByText('jon.alpha@harbor.example').waitFor();
      await screenshot(page, 'pages-duplicates-side-by-side');
      await page.getByTestId('merge').click();
      await page.getByTestId('merge-dialog').waitFor();
      await screenshot(page, 'pages-duplicates-confirm');
      await page.getByTestId('merge-confirm').click();
      await page.getByText('Jonathon Whitfield was merged into Jonathan Whitfield.').waitFor();
      await group.waitFor({ state: 'detached' });
      await screenshot(page, 'pages-duplicates-merged');

      await t.http
        .post(`/api/contacts/${viaApi.ids.KEPT}/merge`)
        .set(manager.auth)
        .send({ sourceId: viaApi.ids.SOURCE })
        .expect(200);

      const [a, b] = [await outcome(viaPage), await outcome(viaApi)];
      expect(a.rows).toEqual({
        communication: 'KEPT',
        opportunity: 'KEPT',
        task: 'KEPT',
        lp: 'KEPT',
        sourceDeleted: true,
        sourceDeletedBy: manager.id,
      });
      expect(a.detail).toMatchObject({
        email: 'jon.label@harbor.example',
        phone: '+1 555 0100',
        title: 'CIO',
      });
      expect(a.detail).toEqual(b.detail);
      expect(a.rows).toEqual(b.rows);
      expect(a.audit).toEqual(b.audit);
      expect((a.audit as { action: string }[]).map((x) => x.action)).toEqual(
        expect.arrayContaining(['merge', 'soft_delete']),
      );
      // Only where the change came from differs.
      expect(a.sources).toEqual([AuditSource.Admin]);
      expect(b.sources).toEqual([AuditSource.Api]);
    });
  });

  describe('global search', () => {
    it('finds a contact from the top bar and opens it with the keyboard; Enter alone lists every hit', async () => {
      const em = t.orm.em.fork();
      const grace = em.create(Contact, {
        firstName: 'Grace',
        lastName: 'Hopperton',
        email: 'grace@navy.example',
      });
      em.create(Contact, { firstName: '<img src=x onerror=alert(1)>', lastName: 'Hopperton' });
      await em.flush();
      await go(page, '/admin');
      const box = page.getByRole('combobox', { name: /Search contacts/ });
      await box.click();
      await box.pressSequentially('hopperton');
      await page.getByTestId('search-hit').first().waitFor();
      await expect(page.getByTestId('search-hit').allTextContents()).resolves.toEqual(
        expect.arrayContaining([expect.stringContaining('<img src=x onerror=alert(1)>')]),
      );
      await screenshot(page, 'pages-search-suggestions');
      await box.press('Enter');
      await page.getByTestId('search-page-hit').first().waitFor();
      await expect(page.getByTestId('search-page-hit').count()).resolves.toBe(2);
      expect(page.url()).toContain('/admin/pages/search?q=hopperton');
      await screenshot(page, 'pages-search-page');

      await box.fill('grace hopperton');
      const hit = page.getByTestId('search-hit').filter({ hasText: 'grace@navy.example' });
      await hit.waitFor();
      const position = (await page.getByTestId('search-hit').allTextContents()).findIndex((x) =>
        x.includes('grace@navy.example'),
      );
      for (let i = 0; i <= position; i += 1) await box.press('ArrowDown');
      await expect(hit.getAttribute('aria-selected')).resolves.toBe('true');
      await box.press('Enter');
      await page.waitForURL(`**/admin/resources/Contact/records/${grace.id}/show`);
      await page.getByText('grace@navy.example').first().waitFor();
      await screenshot(page, 'pages-search-opened');

      await box.fill('hopperton');
      await page.getByTestId('search-hit').first().waitFor();
      await box.press('Escape');
      await page.getByTestId('search-hit').first().waitFor({ state: 'detached' });
      expect(dialogs).toEqual([]);
      expect(watched.outside).toEqual([]);
      // The stale card's 409 is the only failed request the browser reported.
      expect(watched.errors.filter((e) => !e.includes('status of 409'))).toEqual([]);
    });
  });
});
