import { accessSync, constants, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

import { describe, expect, jest } from '@jest/globals';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

import { Role } from '../../src/common/auth/role.js';
import { BackOffice } from '../../src/modules/admin/back-office.js';
import { OpportunityStageChange } from '../../src/modules/opportunities/opportunity-stage-change.entity.js';
import { Organization } from '../../src/modules/organizations/organization.entity.js';
import type { TestApp } from '../helpers/test-app.js';
import { type SignedInUser, signedIn, type TestUser } from '../helpers/auth.js';

export const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'admin');

/** The Chromium the browser tests drive: CHROMIUM_PATH, else chromium (or chromium-browser) found on PATH. */
export const CHROMIUM: string | undefined = ((): string | undefined => {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of ['chromium', 'chromium-browser']) {
    for (const dir of dirs) {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return join(dir, name);
      } catch {
        // not here
      }
    }
  }
  return undefined;
})();

/** Hooks and tests of a browser suite: starting an app and Chromium on a slow 2-core CI runner takes far over 30 s. */
export const BROWSER_SUITE_TIMEOUT = 120_000;

/**
 * `describe` for suites that drive a browser, with BROWSER_SUITE_TIMEOUT for the file's hooks and tests. Without a
 * Chromium they are skipped with the reason in their name, unless REQUIRE_BROWSER=true (CI installs chromium and
 * sets it, so there a missing browser fails the run).
 */
export function describeWithBrowser(name: string, suite: () => void): void {
  jest.setTimeout(BROWSER_SUITE_TIMEOUT);
  if (CHROMIUM || process.env.REQUIRE_BROWSER === 'true') describe(name, suite);
  else {
    process.stderr.write(`Skipping "${name}": no Chromium (install chromium, or set CHROMIUM_PATH).\n`);
    describe.skip(name, suite);
  }
}

/** Debian's chromium with the flags of STACK.md: headless, nothing downloaded, nothing phoned home. */
export function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM)
    throw new Error('No Chromium: install chromium (apt-get install chromium) or set CHROMIUM_PATH');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Each app's one `listen`: callers that ask at the same time wait for the same one. */
const listening = new WeakMap<object, Promise<unknown>>();

/**
 * Serves the test app on 127.0.0.1 (a random port) and answers its base URL, with the back office loaded, as
 * main.ts loads it once the app listens: a browser's first page then does not wait for AdminJS's import (seconds
 * in a busy jest worker, which made the first navigation of a suite time out).
 */
export async function serve(t: TestApp): Promise<string> {
  const server = t.app.getHttpServer();
  if (!listening.has(t.app))
    listening.set(
      t.app,
      Promise.all([
        server.listening ? undefined : t.app.listen(0, '127.0.0.1'),
        t.app.get(BackOffice).load(),
      ]),
    );
  await listening.get(t.app);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface WatchedPage {
  page: Page;
  /** Every request that went anywhere but the app itself. */
  outside: string[];
  /** Page errors and console errors (CSP violations show up here). */
  errors: string[];
}

/** `timezoneId`: the browser's time zone, e.g. Europe/Berlin (default: the machine's). */
export function newContext(browser: Browser, base: string, timezoneId?: string): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1400, height: 900 }, baseURL: base, timezoneId });
}

/**
 * A page in `context` with no session (cookies cleared), watched for requests leaving 127.0.0.1 and for
 * errors. Tests share one context so the browser's cache keeps AdminJS's scripts between pages.
 */
export async function openPage(context: BrowserContext): Promise<WatchedPage> {
  await context.clearCookies();
  const page = await context.newPage();
  const watched: WatchedPage = { page, outside: [], errors: [] };
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return; // data:, blob:
    if (url.hostname !== '127.0.0.1') watched.outside.push(r.url());
  });
  page.on('pageerror', (e) => watched.errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') watched.errors.push(m.text());
  });
  return watched;
}

/**
 * Opens an /admin path inside the already loaded single-page app (history + popstate, as a click on a link
 * does) instead of reloading AdminJS's scripts; a full load when the page is not the app yet.
 */
export async function go(page: Page, path: string): Promise<void> {
  // Browser-side code as strings: this project is not compiled with the DOM's types.
  const inApp = await page.evaluate(`!!document.querySelector('[data-css="sidebar"]')`).catch(() => false);
  if (!inApp) {
    await page.goto(path);
    return;
  }
  await page.evaluate(
    `window.history.pushState({}, '', ${JSON.stringify(path)}); window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));`,
  );
}

/**
 * Waits until no back-office API request has been in flight for `quietMs`: after a client-side navigation
 * Playwright's load states do not apply, and a record page fetches more (custom field definitions, related
 * records) after the record itself, re-rendering its buttons when those arrive.
 */
export async function apiIdle(page: Page, quietMs = 300, timeoutMs = 10_000): Promise<void> {
  let pending = 0;
  let last = Date.now();
  const isApi = (r: { url(): string }) => r.url().includes('/admin/api/');
  const started = (r: { url(): string }) => {
    if (isApi(r)) [pending, last] = [pending + 1, Date.now()];
  };
  const ended = (r: { url(): string }) => {
    if (isApi(r)) [pending, last] = [Math.max(0, pending - 1), Date.now()];
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  try {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
      if (pending === 0 && Date.now() - last >= quietMs) return;
      await page.waitForTimeout(50);
    }
  } finally {
    page.off('request', started);
    page.off('requestfinished', ended);
    page.off('requestfailed', ended);
  }
}

/**
 * go(), then waits for the answers whose URLs contain each of `parts` (the page's data): typing into a form
 * before its record and options have arrived may land in an input that is about to be replaced.
 */
export async function goAndLoad(page: Page, path: string, ...parts: string[]): Promise<void> {
  const loaded = Promise.all(parts.map((part) => page.waitForResponse((r) => r.url().includes(part))));
  await go(page, path);
  await loaded;
}

/**
 * The visible part of the page, or with `whole` all of it: AdminJS scrolls inside its own panel (so
 * Playwright's fullPage sees one screen), hence a window as tall as the panel's content for the shot.
 */
export async function screenshot(page: Page, name: string, options: { whole?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  const size = page.viewportSize();
  if (!options.whole || !size) {
    await page.screenshot({ path });
    return;
  }
  const tallest = await page.evaluate<number>(
    `Math.max(...Array.from(document.querySelectorAll('section, main, div')).map((e) => e.scrollHeight))`,
  );
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(tallest, size.height), 4000) });
  await page.screenshot({ path });
  await page.setViewportSize(size);
}

/** Signs in through the form, as a person would; `code` answers the 2FA step when it comes. */
export async function signInPage(page: Page, user: TestUser, code?: string): Promise<void> {
  await page.goto('/admin/login');
  await page.fill('input[name=username]', user.username);
  await page.fill('input[name=password]', user.password);
  await Promise.all([page.waitForNavigation(), page.click('form button')]);
  if (code !== undefined) {
    await page.fill('input[name=code]', code);
    await Promise.all([page.waitForNavigation(), page.click('form button')]);
  }
}

/**
 * A cookie-keeping HTTP client for /admin whose requests come "from a page of the back office", as a
 * browser's do: the app listens on one port, and every request carries that origin.
 */
export async function adminClient(t: TestApp): Promise<TestAgent> {
  const base = await serve(t);
  return request.agent(base).set('Origin', base);
}

/** A cookie-keeping HTTP client signed in to /admin (AdminJS's JSON API answers under /admin/api). */
export async function adminAgent(t: TestApp, user: TestUser, code?: string): Promise<TestAgent> {
  const agent = await adminClient(t);
  const res = await agent
    .post('/admin/login')
    .type('form')
    .send({ username: user.username, password: user.password });
  if (code !== undefined) {
    expect(res.status).toBe(400);
    expect(res.text).toContain('twoFactorRequired');
    const second = await agent.post('/admin/login').type('form').send({ code });
    expect(second.status).toBe(302);
  } else {
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/admin');
  }
  return agent;
}

/** The `vcrm_admin` cookie of a browser context, to carry a session into another browser. */
export const SESSION_COOKIE = 'vcrm_admin';

/** AdminJS's JSON API for resources (its record and bulk actions). */
export const RESOURCES_API = '/admin/api/resources';

/** An opportunity's stage history, oldest first, as [from, to, by whom] (from is null for the first stage). */
export async function stageHistory(
  t: TestApp,
  opportunityId: string,
): Promise<[string | null, string, string?][]> {
  const rows = await t.orm.em
    .fork()
    .find(
      OpportunityStageChange,
      { opportunity: opportunityId },
      { orderBy: { changedAt: 'asc' }, populate: ['changedBy'] },
    );
  return rows.map((h) => [h.fromStage ?? null, h.toStage, h.changedBy?.id]);
}

/**
 * Opens a path of the app (by way of the home page when it is the page shown: the same path would load nothing),
 * waits for the response of `part`, then for the page's further requests to end.
 */
export async function visitPage(page: Page, path: string, part: string): Promise<void> {
  if (new URL(page.url()).pathname === path.split('?')[0]) await go(page, '/admin');
  await goAndLoad(page, path, part);
  await apiIdle(page);
}

/** What AdminJS's JSON API answers to a form post. */
export interface AdminAnswer {
  notice: { type: string; message: string };
  record: { id: string; params: Record<string, unknown>; errors: Record<string, { message: string }> };
  definitions?: { key: string; label: string; fieldType: string }[];
  records?: { id: string; params: Record<string, unknown> }[];
}

/** A form post to /admin/api/resources/`path` as the browser sends it (multipart, every value a string). */
export async function submitForm(
  as: TestAgent,
  path: string,
  fields: Record<string, string>,
): Promise<AdminAnswer> {
  let req = as.post(`/admin/api/resources/${path}`);
  for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
  return (await req.expect(200)).body as AdminAnswer;
}

/** A manager and a member, each signed in to the API and (`agent`, `memberAgent`) to /admin. */
export async function managerAndMemberAgents(t: TestApp): Promise<{
  manager: SignedInUser;
  member: SignedInUser;
  agent: TestAgent;
  memberAgent: TestAgent;
}> {
  const [manager, member] = await Promise.all([signedIn(t, Role.Manager), signedIn(t, Role.Member)]);
  const [agent, memberAgent] = await Promise.all([adminAgent(t, manager), adminAgent(t, member)]);
  return { manager, member, agent, memberAgent };
}

/** A custom field definition made through the API by `user` (a manager). */
export async function defineCustomField(
  t: TestApp,
  user: SignedInUser,
  body: Record<string, unknown>,
): Promise<{ id: string }> {
  return (await t.http.post('/api/custom-fields').set(user.auth).send(body).expect(201)).body.data as {
    id: string;
  };
}

/** The `data` of GET /api`path` as `user`. */
export async function apiData(
  t: TestApp,
  user: SignedInUser,
  path: string,
): Promise<Record<string, unknown>> {
  return (await t.http.get(`/api${path}`).set(user.auth).expect(200)).body.data as Record<string, unknown>;
}

/** An organization written straight to the database. */
export async function createOrganization(t: TestApp, name: string): Promise<Organization> {
  const em = t.orm.em.fork();
  const org = em.create(Organization, { name });
  await em.flush();
  return org;
}
