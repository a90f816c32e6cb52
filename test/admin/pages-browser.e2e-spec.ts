import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { Communication, CommunicationType } from '../../src/modules/communications/communication.entity.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Fund } from '../../src/modules/funds/fund.entity.js';
import { LpProfile } from '../../src/modules/lp-profiles/lp-profile.entity.js';
import { Opportunity, OpportunityStage } from '../../src/modules/opportunities/opportunity.entity.js';
import { Organization } from '../../src/modules/organizations/organization.entity.js';
import { Task } from '../../src/modules/tasks/task.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { type SignedInUser, signedIn } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { collectDialogs } from '../security/attacker.js';
import {
  describeWithBrowser,
  go,
  launchBrowser,
  openPage,
  screenshot,
  serve,
  signInPage,
  stageHistory,
  type WatchedPage,
} from './admin-helpers.js';

/** The laptop screen every page must fit (issue 14). */
const LAPTOP = { width: 1280, height: 800 };

/** The card whose title is exactly `name`. */
const card = (page: Page, name: string) =>
  page.getByTestId('board-card').filter({ has: page.getByRole('link', { name, exact: true }) });

/** Drags with the mouse in steps: dnd-kit's PointerSensor needs moves, not a jump (STACK.md). */
async function drag(page: Page, name: string, stage: string, shot?: string): Promise<void> {
  await card(page, name).scrollIntoViewIfNeeded();
  const from = await card(page, name).boundingBox();
  if (!from) throw new Error(`no card ${name} on the screen`);
  // Grab the card by its amount line: its title link and its "Move to…" list do not start a drag.
  const [x, y] = [from.x + 40, from.y + from.height * 0.55];
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 10, y + 4, { steps: 5 });
  // The board scrolls sideways inside itself (fewer columns fit beside the sidebar): bring the target in,
  // as a person would with the scroll bar, while holding the card.
  await page.getByTestId(`column-${stage}`).scrollIntoViewIfNeeded();
  await page.waitForTimeout(150); // the scroll settles before the column is measured
  const to = await page.getByTestId(`column-${stage}`).boundingBox();
  if (!to) throw new Error(`no column ${stage} on the screen`);
  // Into the column's left part: near the board's right edge dnd-kit would scroll the board on by itself.
  await page.mouse.move(to.x + Math.min(60, to.width / 4), to.y + 120, { steps: 20 });
  await page.waitForTimeout(100);
  if (shot) await screenshot(page, shot);
  await page.mouse.up();
}

/** Puts the column of `stage` in view: the board scrolls sideways inside itself, never the page. */
async function showColumn(page: Page, stage: string): Promise<void> {
  await page.getByTestId(`column-${stage}`).scrollIntoViewIfNeeded();
}

const stored = (t: TestApp, id: string) => t.orm.em.fork().findOneOrFail(Opportunity, id);

describeWithBrowser('back office pages in a browser (1280×800)', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let manager: SignedInUser;
  let watched: WatchedPage;
  let page: Page;
  let dialogs: string[];
  const deals: Record<string, Opportunity> = {};

  beforeAll(async () => {
    t = await createTestApp();
    const base = await serve(t);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: LAPTOP, baseURL: base });
    manager = await signedIn(t, Role.Manager, { username: 'mina.manager' });
    const em = t.orm.em.fork();
    const owner = em.getReference(User, manager.id);
    const redwood = em.create(Organization, { name: 'Redwood Endowment' });
    const atlas = em.create(Organization, { name: 'Atlas Family Office' });
    const fundII = em.create(Fund, { name: 'Fund II', targetAmount: 150_000_000 });
    const fundIII = em.create(Fund, { name: 'Fund III' });
    em.create(Fund, { name: 'Opportunity Fund (empty)' });
    const deal = (
      name: string,
      stage: OpportunityStage,
      amount: number | null,
      extra: { organization?: Organization; fund?: Fund; owner?: null; currency?: string } = {},
    ) => {
      deals[name] = em.create(Opportunity, {
        name,
        stage,
        probability: 10,
        expectedAmount: amount,
        organization: redwood,
        fund: fundII,
        owner,
        ...extra,
      });
    };
    deal('Redwood — Fund II', OpportunityStage.Meeting, 10_000_000);
    deal('Atlas — Fund II', OpportunityStage.Meeting, 4_000_000, { organization: atlas });
    deal('Atlas — co-invest', OpportunityStage.Outreach, 2_500_000, { organization: atlas, currency: 'EUR' });
    deal('Redwood — Fund III', OpportunityStage.Lead, 7_000_000, { fund: fundIII, owner: null });
    deal('Summit — Fund II', OpportunityStage.DueDiligence, 12_000_000);
    deal('Harbor — Fund II', OpportunityStage.Committed, 5_000_000);
    deal('Quarry — Fund II', OpportunityStage.Lead, null);
    await em.flush();
    watched = await openPage(context);
    page = watched.page;
    // A step that does not happen fails within the test's time, naming the step.
    page.setDefaultTimeout(10_000);
    dialogs = collectDialogs(page);
    await signInPage(page, manager);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  describe('pipeline board', () => {
    it('shows a column per stage with counts and totals per currency, fits the screen, and is keyboard-labelled', async () => {
      await go(page, '/admin/pages/pipeline');
      await card(page, 'Redwood — Fund II').waitFor();
      await screenshot(page, 'pages-board');
      // At 1280 px the sidebar stays in view (admin.css); the pages are listed in it.
      await page.locator('[data-css="sidebar"]').getByText('Pipeline board').waitFor();
      await screenshot(page, 'pages-sidebar');
      await page.goto('/admin/pages/pipeline');
      await card(page, 'Redwood — Fund II').waitFor();
      const meeting = page.getByTestId('column-meeting');
      await expect(meeting.getByTestId('column-count').textContent()).resolves.toBe('2');
      await expect(meeting.getByTestId('column-totals').textContent()).resolves.toBe('$14,000,000');
      await expect(
        page.getByTestId('column-outreach').getByTestId('column-totals').textContent(),
      ).resolves.toBe('€2,500,000');
      await expect(card(page, 'Quarry — Fund II').textContent()).resolves.toContain('No amount');
      await expect(card(page, 'Redwood — Fund III').textContent()).resolves.toContain('No owner');
      // The page itself never scrolls sideways: the board does, inside its own box.
      const widths = await page.evaluate<{ page: number; board: number; boardBox: number }>(`({
        page: document.documentElement.scrollWidth,
        board: document.querySelector('[data-testid="board-columns"]').scrollWidth,
        boardBox: document.querySelector('[data-testid="board-columns"]').clientWidth,
      })`);
      expect(widths.page).toBeLessThanOrEqual(LAPTOP.width);
      expect(widths.board).toBeGreaterThan(widths.boardBox);
      // The keyboard lifts a card with its handle: a button of its own, not one around the link and the list.
      const handle = card(page, 'Redwood — Fund II').getByTestId('card-handle');
      await expect(handle.getAttribute('aria-roledescription')).resolves.toBe('draggable opportunity');
      await expect(handle.getAttribute('aria-label')).resolves.toBe('Move Redwood — Fund II, now in Meeting');
    });

    it('dragging a card to another column changes the stage in the database and its history', async () => {
      const deal = deals['Redwood — Fund II'];
      await drag(page, 'Redwood — Fund II', 'due_diligence', 'pages-board-dragging');
      await page.getByText('“Redwood — Fund II” moved to Due diligence.').waitFor();
      await page.getByTestId('column-due_diligence').getByText('Redwood — Fund II').waitFor();
      await screenshot(page, 'pages-board-after-drag');
      const now = await stored(t, deal.id);
      expect({ stage: now.stage, probability: now.probability, version: now.version }).toEqual({
        stage: OpportunityStage.DueDiligence,
        probability: 60,
        version: deal.version + 1,
      });
      expect((await stageHistory(t, deal.id)).at(-1)).toEqual(['meeting', 'due_diligence', manager.id]);
      const audit = await t.orm.em
        .fork()
        .findOneOrFail(AuditLog, { entityId: deal.id, action: 'stage_change' });
      expect(audit).toMatchObject({ source: AuditSource.Admin, actorUserId: manager.id });
      await expect(
        page.getByTestId('column-due_diligence').getByTestId('column-totals').textContent(),
      ).resolves.toBe('$22,000,000');
    });

    it('dropping on lost asks for the reason in a dialog, and Cancel changes nothing', async () => {
      const deal = deals['Harbor — Fund II'];
      // Committed and Lost are not in view together beside the sidebar at 1280 px: the card's "Move to…" list
      // (the same move, see the keyboard test) asks the same question; dragging is tested above.
      const moveToLost = () => card(page, 'Harbor — Fund II').getByTestId('move-to').selectOption('lost');
      await moveToLost();
      const dialog = page.getByTestId('lost-dialog');
      await dialog.waitFor();
      await screenshot(page, 'pages-board-lost-dialog');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect((await stored(t, deal.id)).stage).toBe(OpportunityStage.Committed);

      await moveToLost();
      await dialog.waitFor();
      await expect(page.getByTestId('lost-confirm').isDisabled()).resolves.toBe(true);
      const reason = page.getByLabel('Why was it lost?');
      // The dialog puts the cursor in the reason: typing right away goes there.
      await page.waitForFunction(`document.activeElement && document.activeElement.id === 'lost-reason'`);
      await reason.fill('Allocation went to a competing fund');
      await page.getByTestId('lost-confirm').click();
      await page.getByText('“Harbor — Fund II” moved to Lost.').waitFor();
      const now = await stored(t, deal.id);
      expect({ stage: now.stage, lostReason: now.lostReason }).toEqual({
        stage: OpportunityStage.Lost,
        lostReason: 'Allocation went to a competing fund',
      });
      expect((await stageHistory(t, deal.id)).at(-1)).toEqual(['committed', 'lost', manager.id]);
    });

    it('works with the keyboard: Space, arrows and Space with dnd-kit, or the card’s “Move to…” list', async () => {
      await showColumn(page, 'lead');
      const deal = deals['Quarry — Fund II'];
      await card(page, 'Quarry — Fund II').getByTestId('card-handle').focus();
      await page.keyboard.press('Space');
      // dnd-kit listens for the arrows once the card is lifted, and says what happens in a live region (the
      // latest message only: "Picked up …" is followed at once by where the card is).
      const heard = (text: string) => page.getByText(text).waitFor({ state: 'attached', timeout: 5000 });
      await heard('Quarry — Fund II is over Lead.');
      await page.keyboard.press('ArrowRight'); // one column per press
      await heard('Quarry — Fund II is over Outreach.');
      await screenshot(page, 'pages-board-keyboard-drag');
      await page.keyboard.press('Space');
      await page.getByText('“Quarry — Fund II” moved to Outreach.').waitFor();
      expect((await stored(t, deal.id)).stage).toBe(OpportunityStage.Outreach);

      const other = deals['Atlas — Fund II'];
      const select = card(page, 'Atlas — Fund II').getByTestId('move-to');
      await select.focus();
      await select.selectOption('committed');
      await page.getByText('“Atlas — Fund II” moved to Committed.').waitFor();
      expect((await stored(t, other.id)).stage).toBe(OpportunityStage.Committed);
      expect((await stageHistory(t, other.id)).at(-1)).toEqual(['meeting', 'committed', manager.id]);
    });

    it('a stale card shows a conflict and the board refreshes; nothing is moved', async () => {
      const deal = deals['Summit — Fund II'];
      // Someone else edits the deal after the board was loaded.
      await t.http
        .patch(`/api/opportunities/${deal.id}`)
        .set(manager.auth)
        .send({ name: 'Summit — Fund II (resized)', expectedAmount: 15_000_000 })
        .expect(200);
      await card(page, 'Summit — Fund II').getByTestId('move-to').selectOption('committed');
      await page.getByText('was changed by someone else meanwhile').waitFor();
      await card(page, 'Summit — Fund II (resized)').waitFor();
      await screenshot(page, 'pages-board-conflict');
      expect((await stored(t, deal.id)).stage).toBe(OpportunityStage.DueDiligence);
      expect(await stageHistory(t, deal.id)).toHaveLength(0);
    });

    it('filters by fund and owner, and says so when nothing matches', async () => {
      await page.getByTestId('filter-fund').selectOption({ label: 'Fund III' });
      await card(page, 'Redwood — Fund II').waitFor({ state: 'detached' });
      await expect(page.getByTestId('board-card').allTextContents()).resolves.toHaveLength(1);
      await page.getByTestId('filter-owner').selectOption({ label: 'Everyone' });
      await page.getByTestId('filter-fund').selectOption({ label: 'Opportunity Fund (empty)' });
      await page.getByTestId('board-empty').waitFor();
      await screenshot(page, 'pages-board-empty');
      await page.getByTestId('filter-fund').selectOption({ label: 'Fund II' });
      await page.getByTestId('filter-owner').selectOption({ index: 1 });
      await card(page, 'Redwood — Fund II').waitFor();
      await expect(page.getByTestId('board-card').allTextContents()).resolves.toHaveLength(6);
    });

    it('keeps its filters in the address: a reload or a shared link shows the same board', async () => {
      const fundII = await t.orm.em.fork().findOneOrFail(Fund, { name: 'Fund II' });
      const url = new URL(page.url());
      expect(url.searchParams.get('fundId')).toBe(fundII.id);
      expect(url.searchParams.get('ownerId')).toBe(manager.id);
      await page.reload();
      await card(page, 'Redwood — Fund II').waitFor();
      await expect(page.getByTestId('board-card').allTextContents()).resolves.toHaveLength(6);
      await expect(page.getByTestId('filter-fund').inputValue()).resolves.toBe(fundII.id);
      await expect(page.getByTestId('filter-owner').inputValue()).resolves.toBe(manager.id);
      // Shared: the link opened in another tab of the same user shows Fund III only.
      const fundIII = await t.orm.em.fork().findOneOrFail(Fund, { name: 'Fund III' });
      const shared = await context.newPage();
      await shared.goto(`/admin/pages/pipeline?fundId=${fundIII.id}`);
      await card(shared, 'Redwood — Fund III').waitFor();
      await expect(shared.getByTestId('board-card').allTextContents()).resolves.toHaveLength(1);
      await expect(shared.getByTestId('filter-fund').inputValue()).resolves.toBe(fundIII.id);
      await shared.close();
      await page.getByTestId('filter-owner').selectOption({ label: 'Everyone' });
      await page.getByTestId('filter-fund').selectOption({ label: 'All funds' });
      await page.waitForURL((u) => !u.search.includes('fundId') && !u.search.includes('ownerId'));
    });
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
