import type { Browser, BrowserContext, Page } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { type SignedInUser, signedIn } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { collectDialogs } from '../security/attacker.js';
import { launchBrowser, openPage, serve, signInPage, type WatchedPage } from './admin-helpers.js';

export interface BrowserSession {
  t: TestApp;
  browser: Browser;
  context: BrowserContext;
  manager: SignedInUser;
  watched: WatchedPage;
  page: Page;
  /** The messages of every alert, confirm or prompt the page opened. */
  dialogs: string[];
}

/**
 * An app served on 127.0.0.1, Chromium at `viewport`, and one watched page signed in as the manager
 * mina.manager; `seed` writes the suite's records before the page opens.
 */
export async function openBrowserSession(
  viewport: { width: number; height: number },
  seed?: (t: TestApp, manager: SignedInUser) => Promise<void>,
): Promise<BrowserSession> {
  const t = await createTestApp();
  let browser: Browser | undefined;
  try {
    const base = await serve(t);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport, baseURL: base });
    const manager = await signedIn(t, Role.Manager, { username: 'mina.manager' });
    await seed?.(t, manager);
    const watched = await openPage(context);
    const page = watched.page;
    // A step that does not happen fails within the test's time, naming the step.
    page.setDefaultTimeout(10_000);
    const dialogs = collectDialogs(page);
    await signInPage(page, manager);
    return { t, browser, context, manager, watched, page, dialogs };
  } catch (error) {
    // The suite's afterAll sees none of it: close here what was opened.
    await browser?.close();
    await t.close();
    throw error;
  }
}
