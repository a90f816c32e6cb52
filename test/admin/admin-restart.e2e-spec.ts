import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';

import { Role } from '../../src/common/auth/role.js';
import { dropDatabases } from '../../src/database/throwaway-database.js';
import { createUser, login } from '../helpers/auth.js';
import { createTestApp, createTestDatabase, type TestApp } from '../helpers/test-app.js';
import {
  adminClient,
  describeWithBrowser,
  launchBrowser,
  newContext,
  openPage,
  screenshot,
  serve,
  signInPage,
} from './admin-helpers.js';

describeWithBrowser('back office sessions across restarts, REQUIRE_2FA and the sign-in rate limit', () => {
  let databaseUrl: string;
  let browser: Browser;
  // Both instances share the secrets a real deployment keeps in its environment.
  const secrets = {
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ENCRYPTION_KEY: randomBytes(48).toString('base64url'),
  };

  beforeAll(async () => {
    [databaseUrl, browser] = await Promise.all([createTestDatabase(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    if (databaseUrl)
      await dropDatabases(process.env.VCRM_TEST_SERVER_URL!, new URL(databaseUrl).pathname.slice(1));
  });

  it('a signed-in browser is still signed in after the app restarts (sessions live in PostgreSQL)', async () => {
    const first: TestApp = await createTestApp({ DATABASE_URL: databaseUrl, ...secrets });
    const user = await createUser(first, Role.Manager);
    const context = await newContext(browser, await serve(first));
    const { page, outside } = await openPage(context);
    await signInPage(page, user);
    await page.getByTestId('dashboard').waitFor();
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'vcrm_admin');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/admin' });
    await first.close();

    const second: TestApp = await createTestApp({ DATABASE_URL: databaseUrl, ...secrets });
    try {
      const base = await serve(second);
      await page.goto(`${base}/admin/resources/Organization`);
      await page
        .getByRole('button', { name: 'New organization' })
        .or(page.getByRole('link', { name: 'New organization' }))
        .first()
        .waitFor();
      expect(page.url()).toBe(`${base}/admin/resources/Organization`);
      await screenshot(page, 'after-restart');
      expect(outside).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('with REQUIRE_2FA a user without 2FA is told to enrol and gets no session; sign-ins are rate limited', async () => {
    const t = await createTestApp({
      DATABASE_URL: databaseUrl,
      ...secrets,
      REQUIRE_2FA: 'true',
      AUTH_RATE_LIMIT_PER_MINUTE: '4',
      AUTH_MAX_FAILED_LOGINS: '2',
    });
    try {
      const user = await createUser(t, Role.Member);
      const context = await newContext(browser, await serve(t));
      const { page } = await openPage(context);
      await signInPage(page, user);
      await page.getByTestId('two-factor-setup-required').waitFor();
      await page.getByText('/api/auth/2fa/setup').waitFor();
      await screenshot(page, 'login-2fa-required');
      const res = await t.http
        .get('/admin')
        .set('Cookie', (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; '));
      expect(res.status).toBe(302);
      // The API still lets them in to enrol.
      await login(t, user);

      // Failures in /admin count toward the API's lockout (AUTH_MAX_FAILED_LOGINS=2 here).
      const victim = await createUser(t, Role.Member);
      for (let i = 0; i < 2; i++) {
        await (
          await adminClient(t)
        )
          .post('/admin/login')
          .type('form')
          .send({ username: victim.username, password: 'wrong' })
          .expect(400);
      }
      await t.http
        .post('/api/auth/login')
        .send({ username: victim.username, password: victim.password })
        .expect(401);

      let last = 0;
      for (let i = 0; i < 5; i++) {
        last = (
          await (
            await adminClient(t)
          )
            .post('/admin/login')
            .type('form')
            .send({ username: 'someone', password: 'wrong' })
        ).status;
      }
      expect(last).toBe(429);
      const limited = await (
        await adminClient(t)
      )
        .post('/admin/login')
        .type('form')
        .send({ username: 'someone', password: 'wrong' });
      expect(limited.status).toBe(429);
      expect(limited.text).toContain('tooManyRequests');
    } finally {
      await t.close();
    }
  });
});
