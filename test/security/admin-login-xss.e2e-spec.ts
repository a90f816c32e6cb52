import { beforeAll, expect, it } from '@jest/globals';
import type { BrowserContext } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createUser, signedIn } from '../helpers/auth.js';
import type { TestApp } from '../helpers/test-app.js';
import { adminClient, describeWithBrowser, openPage, signInPage } from '../admin/admin-helpers.js';
import { attackerSite, autoSubmit, collectDialogs, withBrowserApp } from './attacker.js';

const PAYLOAD = 'zz\u0000</script><script>alert(1)</script>';
const NAME = `Eve </script><script>alert('name')</script> <!-- \u2028`;

/** The inline scripts of a page: exactly the app's own two, each with the response's nonce. */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
}

/**
 * Finding 1: a sign-in failure's text (with the attacker's input) was put into the page's inline script, and the
 * CSP nonce was then added to every <script> of the page by string replacement — the injected one included.
 */
describeWithBrowser('security: reflected XSS on /admin/login', () => {
  const suite = withBrowserApp();
  let t: TestApp;
  let base: string;
  let context: BrowserContext;

  beforeAll(() => {
    ({ t, base, context } = suite);
  });

  it('a NUL in the username is refused as bad input, with a fixed message and no echo of the input', async () => {
    const agent = await adminClient(t);
    const res = await agent.post('/admin/login').type('form').send({ username: PAYLOAD, password: 'x' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('"errorMessage":"invalidInput"');
    expect(res.text).not.toContain('alert(1)');
    const nonce = /nonce="([^"]+)"/.exec(res.text)?.[1];
    expect(inlineScripts(res.text)).toEqual([` nonce="${nonce}"`, ` nonce="${nonce}"`]);
    expect(res.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);
  });

  it('the API refuses NUL bytes and broken Unicode as 400 naming the field, not a masked 500', async () => {
    const login = await t.http.post('/api/auth/login').send({ username: PAYLOAD, password: 'x' });
    expect(login.status).toBe(400);
    expect(login.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'username' }] });
    const member = await signedIn(t, Role.Member);
    const search = await t.http.get('/api/contacts?search=a%00b').set(member.auth);
    expect(search.status).toBe(400);
    expect(search.body.details[0].field).toBe('search');
    const surrogate = await t.http
      .post('/api/contacts')
      .set(member.auth)
      .set('Content-Type', 'application/json')
      .send('{"firstName":"\\ud800","lastName":"X"}');
    expect(surrogate.status).toBe(400);
    expect(surrogate.body.details[0].field).toBe('firstName');
  });

  it('a cross-site auto-submitting form runs no script in the back office', async () => {
    const attacker = await attackerSite(
      autoSubmit(`${base}/admin/login`, { username: PAYLOAD, password: 'x' }),
    );
    const { page } = await openPage(context);
    const dialogs = collectDialogs(page);
    const answer = page.waitForResponse((r) => r.url() === `${base}/admin/login`);
    await page.goto(attacker.url);
    expect((await answer).status()).toBe(403);
    await page.waitForLoadState('load');
    expect(dialogs).toEqual([]);
    await page.close();
    await attacker.close();
  });

  it('the same input typed on the page itself shows the fixed message and runs nothing', async () => {
    const { page, errors } = await openPage(context);
    const dialogs = collectDialogs(page);
    await page.goto('/admin/login');
    await page.fill('input[name=password]', 'x');
    // A NUL cannot be typed; set it from script as a page of this origin could.
    await page.evaluate(`document.querySelector('input[name=username]').value = ${JSON.stringify(PAYLOAD)}`);
    await Promise.all([page.waitForNavigation(), page.click('form button')]);
    await page.getByText('contains characters that cannot be used').waitFor();
    expect(dialogs).toEqual([]);
    expect(errors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
    await page.close();
  });

  it('a user whose full name holds </script><script>… sees it as text, and nothing runs', async () => {
    const user = await createUser(t, Role.Admin);
    const em = t.orm.em.fork();
    await em.nativeUpdate(User, { id: user.id }, { fullName: NAME });
    const { page } = await openPage(context);
    const dialogs = collectDialogs(page);
    await signInPage(page, user);
    await page.waitForSelector('[data-css="logged-in"]');
    expect(await page.locator('[data-css="logged-in"]').innerText()).toContain(
      "</script><script>alert('name')</script>",
    );
    expect(dialogs).toEqual([]);
    const html = await (await page.request.get('/admin')).text();
    expect(inlineScripts(html)).toHaveLength(2);
    expect(html).not.toContain("</script><script>alert('name')");
    await page.close();
  });
});
