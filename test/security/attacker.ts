import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { launchBrowser, newContext, serve } from '../admin/admin-helpers.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/**
 * A page on another site (http://localhost:<port>, while the app is on 127.0.0.1): what a stranger's web page
 * can make a signed-in admin's browser do. `html` is the page's body.
 */
export async function attackerSite(html: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!DOCTYPE html><html><body>${html}</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * An auto-submitting form: the classic cross-site request forgery. Values are set from script, so they may
 * hold what HTML attributes cannot (a NUL character).
 */
export function autoSubmit(action: string, fields: Record<string, string>, method = 'POST'): string {
  const json = JSON.stringify(fields).replace(/</g, '\\u003c');
  return `<form id="f" method="${method}" action="${action}"></form><script>
    const form = document.getElementById('f');
    for (const [name, value] of Object.entries(${json})) {
      const input = document.createElement('input');
      input.type = 'hidden'; input.name = name; input.value = value; form.appendChild(input);
    }
    form.submit();
  </script>`;
}

/** Every alert/confirm a page opens (each dismissed): an injected script's `alert(1)` lands here. */
export function collectDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return dialogs;
}

export interface BrowserApp {
  t: TestApp;
  base: string;
  context: BrowserContext;
}

/** A test app served on 127.0.0.1 and one browser context for the file's tests, closed after them. */
export function withBrowserApp(): BrowserApp {
  const suite = {} as BrowserApp;
  let browser: Browser | undefined;
  beforeAll(async () => {
    suite.t = await createTestApp();
    suite.base = await serve(suite.t);
    browser = await launchBrowser();
    suite.context = await newContext(browser, suite.base);
  });
  afterAll(async () => {
    await suite.context?.close();
    await browser?.close();
    await suite.t?.close();
  });
  return suite;
}
