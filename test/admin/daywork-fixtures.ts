import { createRequire } from 'node:module';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { Communication, CommunicationType } from '../../src/modules/communications/communication.entity.js';
import { Contact, ContactType } from '../../src/modules/contacts/contact.entity.js';
import { Fund } from '../../src/modules/funds/fund.entity.js';
import { LpProfile } from '../../src/modules/lp-profiles/lp-profile.entity.js';
import { Opportunity, OpportunityStage } from '../../src/modules/opportunities/opportunity.entity.js';
import { Organization, OrganizationType } from '../../src/modules/organizations/organization.entity.js';
import { Task, TaskStatus } from '../../src/modules/tasks/task.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import type { TestUser } from '../helpers/auth.js';
import type { TestApp } from '../helpers/test-app.js';

/** The laptop of issue 17: 1280×800. */
export const LAPTOP = { width: 1280, height: 800 };

/** A calendar day `offset` days from today (UTC, as the server counts "today"). */
export const day = (offset: number): string =>
  new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export interface Morning {
  redwood: Organization;
  ada: Contact;
  fund: Fund;
  deal: Opportunity;
  call: Communication;
  late: Task;
  done: Task;
  later: Task;
}

/**
 * An IR manager's morning: a contact at an organization with a deal at stage Committed (soft-circled), an LP
 * commitment not yet wired, a logged meeting with a next action, and tasks: one 3 days late, one due later,
 * one done.
 */
export async function seedMorning(t: TestApp, me: TestUser): Promise<Morning> {
  const em = t.orm.em.fork();
  const owner = em.getReference(User, me.id);
  const redwood = em.create(Organization, {
    name: 'Redwood Endowment',
    type: OrganizationType.Endowment,
    city: 'Palo Alto',
    website: 'https://redwood.example',
  });
  const ada = em.create(Contact, {
    firstName: 'Ada',
    lastName: 'Byron',
    email: 'ada@redwood.example',
    phone: '+1 650 555 0100',
    title: 'CIO',
    organization: redwood,
    contactType: ContactType.Investor,
    // Stored before any check (an old import): shown as text, never as a link.
    linkedinUrl: 'javascript:alert(1)',
    owner,
  });
  em.create(Contact, {
    firstName: 'Carl',
    lastName: 'Jung',
    email: 'carl@redwood.example',
    organization: redwood,
  });
  const fund = em.create(Fund, { name: 'Fund II', targetAmount: 150_000_000 });
  const deal = em.create(Opportunity, {
    name: 'Redwood — Fund II',
    contact: ada,
    organization: redwood,
    fund,
    stage: OpportunityStage.Committed,
    probability: 90,
    expectedAmount: 12_000_000,
    owner,
  });
  em.create(LpProfile, { contact: ada, fund, commitmentAmount: 5_000_000, fundedAmount: 0 });
  const call = em.create(Communication, {
    contact: ada,
    opportunity: deal,
    type: CommunicationType.Meeting,
    subject: 'Fund II terms meeting',
    communicationDate: new Date(Date.now() - 2 * 86_400_000),
    nextAction: 'Send the side letter draft',
    nextActionDate: day(2),
    createdBy: owner,
  });
  const late = em.create(Task, {
    title: 'Call Ada about the side letter',
    dueDate: day(-3),
    assignee: owner,
    contact: ada,
    createdBy: owner,
  });
  const later = em.create(Task, {
    title: 'Prepare the Q4 report',
    dueDate: day(5),
    assignee: owner,
    createdBy: owner,
  });
  const done = em.create(Task, {
    title: 'Book the annual meeting venue',
    dueDate: day(-10),
    status: TaskStatus.Done,
    completedAt: new Date(),
    assignee: owner,
    createdBy: owner,
  });
  await em.flush();
  return { redwood, ada, fund, deal, call, late, done, later };
}

/** A 1280×800 context; `bypassCSP` lets axe-core's script in (the app's CSP allows only its own scripts). */
export function laptopContext(browser: Browser, base: string, bypassCSP = false): Promise<BrowserContext> {
  return browser.newContext({ viewport: LAPTOP, baseURL: base, bypassCSP });
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core on the page as shown (the context needs `bypassCSP`): `filter` picks the violations that count. */
async function axeFailures(page: Page, options: string, filter: string): Promise<string[]> {
  if (!(await page.evaluate(`typeof window.axe !== 'undefined'`))) await page.addScriptTag({ path: AXE });
  // Colours as they end up: a button that was just enabled fades in (a CSS transition), measured at its end.
  await page.evaluate(`Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))`);
  return page.evaluate<string[]>(`
    window.axe
      .run(document, ${options})
      .then((r) => r.violations.filter(${filter}).flatMap((v) =>
        v.nodes.map((n) => v.id + ': ' + n.target.join(' ') + ' ' + n.html.slice(0, 160) + ' — ' + n.failureSummary)))
  `);
}

/** axe-core's colour-contrast rule on the page as shown: the failing elements, described. */
export function contrastFailures(page: Page): Promise<string[]> {
  return axeFailures(page, `{ runOnly: { type: 'rule', values: ['color-contrast'] } }`, '() => true');
}

/** Every axe-core rule on the page as shown: contrast failures and serious or critical violations, described. */
export function accessibilityFailures(page: Page): Promise<string[]> {
  return axeFailures(
    page,
    '{}',
    `(v) => v.id === 'color-contrast' || v.impact === 'serious' || v.impact === 'critical'`,
  );
}
