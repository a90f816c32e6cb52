import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from '@jest/globals';

import { Role } from '../../src/common/auth/role.js';
import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { buildComponentsBundle } from '../../src/modules/admin/build-bundle.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createUser, login, TEST_PASSWORD, totp } from '../helpers/auth.js';
import { suiteTestApp } from '../helpers/test-app.js';
import { adminAgent, adminClient } from './admin-helpers.js';

describe('back office over HTTP: pages, sign-in, sessions', () => {
  const t = suiteTestApp();

  describe('pages and headers', () => {
    it('serves /admin with its own CSP (a nonce per page, no third-party host) and keeps the strict one on the API', async () => {
      const page = await t.http.get('/admin/login').expect(200);
      const csp = page.headers['content-security-policy'];
      const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(page.text).toContain(`<script nonce="${nonce}">`);
      expect(page.text).not.toMatch(/<script>/);
      const again = (await t.http.get('/admin/login')).headers['content-security-policy'];
      expect(again).not.toContain(nonce);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/https?:/);
      const apiCsp = (await t.http.get('/api/health')).headers['content-security-policy'];
      expect(apiCsp).toContain("default-src 'self'");
      expect(apiCsp).not.toContain("unsafe-inline'; script");
      expect(apiCsp).not.toMatch(/script-src[^;]*unsafe-inline/);
    });

    it('links the locally served font instead of Google Fonts, and serves the font, logo and bundle', async () => {
      const page = await t.http.get('/admin/login').expect(200);
      expect(page.text).not.toContain('googleapis');
      expect(page.text).toContain('/admin/fonts/roboto.css');
      const css = await t.http.get('/admin/fonts/roboto.css').expect(200).expect('Content-Type', /css/);
      const file = /\/admin\/fonts\/files\/(roboto-latin-400-normal\.woff2)/.exec(css.text)?.[1];
      expect(file).toBeDefined();
      await t.http.get(`/admin/fonts/files/${file}`).expect(200);
      const escape = await t.http.get('/admin/fonts/files/..%2F..%2Fpackage.json');
      expect(escape.status).not.toBe(200);
      await t.http.get('/admin/brand/logo.svg').expect(200).expect('Content-Type', /svg/);
      const bundle = await t.http.get('/admin/frontend/assets/components.bundle.js').expect(200);
      expect(bundle.text).toContain('AdminJS.UserComponents.Login');
    });

    it('the component bundle builds from the components (as `npm run build` does)', async () => {
      const output = join(tmpdir(), `vcrm-bundle-${process.pid}-${Date.now()}`, 'components.bundle.js');
      try {
        await buildComponentsBundle(output);
        const code = await readFile(output, 'utf8');
        for (const id of ['Login', 'Dashboard', 'Related', 'DeletedFilter']) {
          expect(code).toContain(`AdminJS.UserComponents.${id}`);
        }
      } finally {
        await rm(join(output, '..'), { recursive: true, force: true });
      }
    });

    it('sends visitors without a session to the sign-in page', async () => {
      const res = await t.http.get('/admin/resources/Organization').expect(302);
      expect(res.headers.location).toBe('/admin/login');
    });
  });

  describe('sign-in', () => {
    it('accepts the username or the email, sets a hardened cookie, and audits the sign-in as source admin', async () => {
      const user = await createUser(t, Role.Member);
      const res = await (
        await adminClient(t)
      )
        .post('/admin/login')
        .type('form')
        .send({ username: user.email.toUpperCase(), password: user.password })
        .expect(302);
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/^vcrm_admin=/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Lax');
      expect(cookie).toContain('Path=/admin');
      const rows = await t.orm.em.fork().find(AuditLog, { action: 'auth.login.success', entityId: user.id });
      expect(rows.map((r) => r.source)).toEqual([AuditSource.Admin]);
    });

    it('refuses a wrong password, an unknown user and a deactivated user alike', async () => {
      const user = await createUser(t, Role.Member);
      const inactive = await createUser(t, Role.Member);
      await t.orm.em.fork().nativeUpdate(User, { id: inactive.id }, { isActive: false });
      for (const body of [
        { username: user.username, password: 'not-the-password' },
        { username: 'nobody-here', password: TEST_PASSWORD },
        { username: inactive.username, password: inactive.password },
      ]) {
        const res = await (await adminClient(t)).post('/admin/login').type('form').send(body).expect(400);
        expect(res.text).toContain('invalidCredentials');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('asks users with 2FA for their code (or a recovery code) before giving them a session', async () => {
      const user = await createUser(t, Role.Member);
      const signed = await login(t, user);
      const { secret } = (await t.http.post('/api/auth/2fa/setup').set(signed.auth).expect(200)).body;
      const { recoveryCodes } = (
        await t.http
          .post('/api/auth/2fa/enable')
          .set(signed.auth)
          .send({ code: await totp(secret) })
          .expect(200)
      ).body as { recoveryCodes: string[] };

      // Password right, code wrong: still no session.
      const agent = await adminClient(t);
      await agent
        .post('/admin/login')
        .type('form')
        .send({ username: user.username, password: user.password })
        .expect(400);
      const wrong = await agent.post('/admin/login').type('form').send({ code: '000000' }).expect(400);
      expect(wrong.text).toContain('invalidTwoFactorCode');
      await agent.get('/admin').expect(302);
      await agent
        .post('/admin/login')
        .type('form')
        .send({ code: await totp(secret, 1) })
        .expect(302);
      await agent.get('/admin').expect(200);

      // A recovery code works once in place of the app's code.
      await adminAgent(t, user, recoveryCodes[0]);
      const again = await adminClient(t);
      await again
        .post('/admin/login')
        .type('form')
        .send({ username: user.username, password: user.password });
      const reused = await again
        .post('/admin/login')
        .type('form')
        .send({ code: recoveryCodes[0] })
        .expect(400);
      expect(reused.text).toContain('invalidTwoFactorCode');
    });

    it('a code without the password step first gets nothing', async () => {
      const res = await (
        await adminClient(t)
      )
        .post('/admin/login')
        .type('form')
        .send({ code: '123456' })
        .expect(400);
      expect(res.text).toContain('invalidCredentials');
    });
  });

  describe('sessions', () => {
    it('ends when the user is deactivated or their password changes', async () => {
      const admin = await login(t, await createUser(t, Role.Admin));
      const member = await createUser(t, Role.Member);
      const agent = await adminAgent(t, member);
      await agent.get('/admin').expect(200);
      await t.http.patch(`/api/users/${member.id}`).set(admin.auth).send({ isActive: false }).expect(200);
      expect((await agent.get('/admin')).headers.location).toBe('/admin/login');

      const other = await createUser(t, Role.Member);
      const second = await adminAgent(t, other);
      await t.http
        .post('/api/auth/change-password')
        .set((await login(t, other)).auth)
        .send({ currentPassword: other.password, newPassword: 'Another-long-fund-phrase-9' })
        .expect(204);
      expect((await second.get('/admin')).headers.location).toBe('/admin/login');
    });

    it('logs out', async () => {
      const agent = await adminAgent(t, await createUser(t, Role.Member));
      await agent.post('/admin/logout').expect(302);
      expect((await agent.get('/admin')).headers.location).toBe('/admin/login');
    });
  });
});
