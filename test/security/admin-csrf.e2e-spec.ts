import { beforeAll, expect, it } from '@jest/globals';
import type { BrowserContext } from 'playwright-core';
import request from 'supertest';

import { Role } from '../../src/common/auth/role.js';
import { ApiToken } from '../../src/modules/auth/api-token.entity.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { createUser, signedIn, type TestUser } from '../helpers/auth.js';
import type { TestApp } from '../helpers/test-app.js';
import {
  adminAgent,
  adminClient,
  describeWithBrowser,
  openPage,
  signInPage,
} from '../admin/admin-helpers.js';
import { attackerSite, autoSubmit, withBrowserApp } from './attacker.js';

const API = '/admin/api/resources';

/**
 * Finding 4: record actions that change data (restore, revoke) ran on a GET, which a cross-site navigation
 * makes with the SameSite=Lax cookie. Writes are POST only, and a POST must come from a page of the back office.
 */
describeWithBrowser('security: state changes by GET and cross-site writes in /admin', () => {
  const suite = withBrowserApp();
  let t: TestApp;
  let base: string;
  let manager: TestUser;
  let context: BrowserContext;

  /** A soft-deleted contact, and a live API token of the manager. */
  async function victims(): Promise<{ contactId: string; tokenId: string }> {
    const em = t.orm.em.fork();
    const contact = em.create(Contact, {
      firstName: 'Dora',
      lastName: `Deleted ${Date.now()}`,
      deletedAt: new Date(),
    });
    await em.flush();
    const signed = await signedIn(t, Role.Manager, { username: `tok${Date.now()}` });
    const token = await t.http
      .post('/api/auth/tokens')
      .set(signed.auth)
      .send({ name: 'sync', role: 'member' });
    expect(token.status).toBe(201);
    await em.nativeUpdate(ApiToken, { id: token.body.data.id as string }, { user: manager.id });
    return { contactId: contact.id, tokenId: token.body.data.id as string };
  }

  async function state(ids: { contactId: string; tokenId: string }) {
    const em = t.orm.em.fork();
    const contact = await em.findOneOrFail(Contact, ids.contactId);
    const token = await em.findOneOrFail(ApiToken, ids.tokenId);
    return { contactDeleted: !!contact.deletedAt, tokenRevoked: !!token.revokedAt };
  }

  beforeAll(async () => {
    ({ t, base, context } = suite);
    manager = await createUser(t, Role.Manager);
  });

  it('GET on a write action changes nothing; the same action by POST from the page does', async () => {
    const ids = await victims();
    const agent = await adminAgent(t, manager);
    await agent.get(`${API}/Contact/records/${ids.contactId}/restore`).expect(200);
    await agent.get(`${API}/ApiToken/records/${ids.tokenId}/revoke`).expect(200);
    expect(await state(ids)).toEqual({ contactDeleted: true, tokenRevoked: false });
    await agent.post(`${API}/Contact/records/${ids.contactId}/restore`).expect(200);
    await agent.post(`${API}/ApiToken/records/${ids.tokenId}/revoke`).expect(200);
    expect(await state(ids)).toEqual({ contactDeleted: false, tokenRevoked: true });
  });

  it('a POST without the page origin, or from another origin, is refused before anything is read', async () => {
    const ids = await victims();
    const signIn = await (
      await adminClient(t)
    )
      .post('/admin/login')
      .type('form')
      .send({ username: manager.username, password: manager.password })
      .expect(302);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];
    const plain = request(base);
    const noOrigin = await plain
      .post(`${API}/Contact/records/${ids.contactId}/restore`)
      .set('Cookie', cookie);
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.code).toBe('CROSS_SITE_REQUEST');
    const foreign = await plain
      .post(`${API}/Contact/records/${ids.contactId}/restore`)
      .set('Cookie', cookie)
      .set('Origin', 'http://localhost:1');
    expect(foreign.status).toBe(403);
    const sameSite = await plain
      .post(`${API}/Contact/records/${ids.contactId}/restore`)
      .set('Cookie', cookie)
      .set('Origin', base)
      .set('Sec-Fetch-Site', 'same-site');
    expect(sameSite.status).toBe(403);
    expect(await state(ids)).toEqual({ contactDeleted: true, tokenRevoked: false });
  });

  it("a stranger's page cannot restore or revoke through a signed-in manager's browser", async () => {
    const ids = await victims();
    const { page } = await openPage(context);
    await signInPage(page, manager);
    for (const html of [
      `<script>location.href = ${JSON.stringify(`${base}${API}/Contact/records/${ids.contactId}/restore`)}</script>`,
      `<script>location.href = ${JSON.stringify(`${base}${API}/ApiToken/records/${ids.tokenId}/revoke`)}</script>`,
      autoSubmit(`${base}${API}/Contact/records/${ids.contactId}/restore`, { x: '1' }),
      autoSubmit(`${base}/admin/logout`, {}),
    ]) {
      const attacker = await attackerSite(html);
      const landed = page.waitForURL((url) => url.origin === base);
      await page.goto(attacker.url);
      await landed;
      await page.waitForLoadState('load');
      await attacker.close();
    }
    expect(await state(ids)).toEqual({ contactDeleted: true, tokenRevoked: false });
    // Still signed in: the cross-site sign-out was refused too.
    const home = await page.request.get(`${base}/admin`, { maxRedirects: 0 });
    expect(home.status()).toBe(200);
    await page.close();
  });

  it('the Restore button asks, then restores with a POST', async () => {
    const ids = await victims();
    const { page, errors } = await openPage(context);
    await signInPage(page, manager);
    await page.goto(`/admin/resources/Contact/records/${ids.contactId}/restore`);
    const posted = page.waitForRequest(
      (r) => r.url().endsWith(`/records/${ids.contactId}/restore`) && r.method() === 'POST',
    );
    await page.getByTestId('confirm-action-button').click();
    await posted;
    await page.waitForURL(/\/show/);
    expect((await state(ids)).contactDeleted).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
