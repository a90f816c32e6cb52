import { describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { AuditLog } from '../src/modules/audit/audit-log.entity.js';
import { expectNoSecrets, LOCKOUT_ENV, signedIn } from './helpers/auth.js';
import { suiteTestApp } from './helpers/test-app.js';

describe('auth: API tokens and users admin', () => {
  const t = suiteTestApp(LOCKOUT_ENV);

  describe('API tokens', () => {
    it("creates a token at most the caller's role, authenticates with it, then refuses it once revoked", async () => {
      const manager = await signedIn(t, Role.Manager);
      const tooHigh = await t.http
        .post('/api/auth/tokens')
        .set(manager.auth)
        .send({ name: 'x', role: 'admin' })
        .expect(400);
      expect(tooHigh.body.details[0].field).toBe('role');
      const past = await t.http
        .post('/api/auth/tokens')
        .set(manager.auth)
        .send({ name: 'x', role: 'member', expiresAt: '2001-01-01T00:00:00Z' })
        .expect(400);
      expect(past.body.details[0].field).toBe('expiresAt');

      const created = await t.http
        .post('/api/auth/tokens')
        .set(manager.auth)
        .send({ name: 'Nightly sync', role: 'member' })
        .expect(201);
      expect(created.body.data).toEqual({
        id: expect.any(String),
        name: 'Nightly sync',
        role: 'member',
        token: expect.stringMatching(/^vcrm_/),
        expiresAt: null,
      });
      const bearer = { Authorization: `Bearer ${created.body.data.token}` };

      const me = await t.http.get('/api/auth/me').set(bearer).expect(200);
      expect(me.body.data.id).toBe(manager.id);
      // The token acts with its own (lower) role, and cannot manage credentials.
      const admin = await signedIn(t, Role.Admin);
      await t.http.get('/api/users').set(bearer).expect(403);
      const nested = await t.http
        .post('/api/auth/tokens')
        .set(bearer)
        .send({ name: 'y', role: 'member' })
        .expect(403);
      expect(nested.body.code).toBe('SESSION_REQUIRED');

      const list = await t.http.get('/api/auth/tokens').set(manager.auth).expect(200);
      expect(list.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
      expect(list.body.data[0]).toMatchObject({
        name: 'Nightly sync',
        tokenPrefix: created.body.data.token.slice(0, 12),
        lastUsedAt: expect.any(String),
      });
      expectNoSecrets(list.body);
      expect(JSON.stringify(list.body)).not.toContain(created.body.data.token);
      const all = await t.http.get('/api/auth/tokens').set(admin.auth).expect(200);
      expect(all.body.data.map((d: { id: string }) => d.id)).toContain(created.body.data.id);
      const other = await signedIn(t, Role.Member);
      await t.http.delete(`/api/auth/tokens/${created.body.data.id}`).set(other.auth).expect(404);

      await t.http.delete(`/api/auth/tokens/${created.body.data.id}`).set(manager.auth).expect(204);
      await t.http.get('/api/auth/me').set(bearer).expect(401);
      const actions = (await t.orm.em.fork().find(AuditLog, { entityId: created.body.data.id }))
        .map((a) => a.action)
        .sort();
      expect(actions).toEqual(['api_token.create', 'api_token.revoke']);
    });

    it('stops working when the owner is deactivated or it expires', async () => {
      const admin = await signedIn(t, Role.Admin);
      const member = await signedIn(t, Role.Member);
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const { body } = await t.http
        .post('/api/auth/tokens')
        .set(member.auth)
        .send({ name: 'short', role: 'member', expiresAt })
        .expect(201);
      const { body: lasting } = await t.http
        .post('/api/auth/tokens')
        .set(member.auth)
        .send({ name: 'lasting', role: 'member' })
        .expect(201);
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${body.data.token}`).expect(200);
      await new Promise((r) => setTimeout(r, 1600));
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${body.data.token}`).expect(401);
      await t.http.patch(`/api/users/${member.id}`).set(admin.auth).send({ isActive: false }).expect(200);
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${lasting.data.token}`).expect(401);
    });
  });

  describe('users admin', () => {
    it('is for admins only', async () => {
      const member = await signedIn(t, Role.Member);
      const manager = await signedIn(t, Role.Manager);
      const res = await t.http.get('/api/users').set(member.auth).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      await t.http.get('/api/users').set(manager.auth).expect(403);
      await t.http.post('/api/users').set(member.auth).send({}).expect(403);
    });

    it('creates, lists and updates users; refuses duplicates and weak passwords', async () => {
      const admin = await signedIn(t, Role.Admin);
      const body = {
        username: 'avery',
        email: 'Avery@fund.example',
        fullName: 'Avery Quinn',
        role: 'member',
        password: 'Long-enough-passphrase-7',
      };
      const created = await t.http.post('/api/users').set(admin.auth).send(body).expect(201);
      expect(created.body.data).toMatchObject({
        username: 'avery',
        role: 'member',
        isActive: true,
        twoFactorEnabled: false,
      });
      expectNoSecrets(created.body);

      const dupName = await t.http
        .post('/api/users')
        .set(admin.auth)
        .send({ ...body, username: 'AVERY', email: 'other@fund.example' })
        .expect(409);
      expect(dupName.body).toMatchObject({
        code: 'USERNAME_TAKEN',
        details: [{ field: 'username', message: 'is already taken' }],
      });
      const dupEmail = await t.http
        .post('/api/users')
        .set(admin.auth)
        .send({ ...body, username: 'avery2', email: 'avery@FUND.example' })
        .expect(409);
      expect(dupEmail.body.code).toBe('EMAIL_TAKEN');
      const weak = await t.http
        .post('/api/users')
        .set(admin.auth)
        .send({ ...body, username: 'avery3', email: 'a3@fund.example', password: 'password1234' })
        .expect(400);
      expect(weak.body.details[0].field).toBe('password');
      const badRole = await t.http
        .post('/api/users')
        .set(admin.auth)
        .send({ ...body, username: 'avery4', email: 'a4@fund.example', role: 'owner' })
        .expect(400);
      expect(badRole.body.details[0]).toMatchObject({ field: 'role' });
      const unknownField = await t.http
        .post('/api/users')
        .set(admin.auth)
        .send({ ...body, username: 'avery5', isAdmin: true })
        .expect(400);
      expect(unknownField.body.details).toEqual([{ field: 'isAdmin', message: 'is not an accepted field' }]);

      const list = await t.http.get('/api/users?search=avery').set(admin.auth).expect(200);
      expect(list.body.total).toBe(1);
      expectNoSecrets(list.body);

      const updated = await t.http
        .patch(`/api/users/${created.body.data.id}`)
        .set(admin.auth)
        .send({ role: 'manager', fullName: 'Avery Q.' })
        .expect(200);
      expect(updated.body.data).toMatchObject({ role: 'manager', fullName: 'Avery Q.' });
      await t.http.patch(`/api/users/not-a-uuid`).set(admin.auth).send({ role: 'manager' }).expect(400);
      await t.http
        .patch(`/api/users/00000000-0000-4000-8000-000000000000`)
        .set(admin.auth)
        .send({ role: 'manager' })
        .expect(404);
      await t.http
        .patch(`/api/users/${created.body.data.id}`)
        .set(admin.auth)
        .send({ passwordHash: 'x' })
        .expect(400);
      await t.http.delete(`/api/users/${created.body.data.id}`).set(admin.auth).expect(404);
    });

    it('keeps at least one active admin', async () => {
      const em = t.orm.em.fork();
      const admins = await em.find((await import('../src/modules/users/user.entity.js')).User, {
        role: Role.Admin,
        isActive: true,
      });
      const only = await signedIn(t, Role.Admin);
      for (const other of admins) {
        await t.http.patch(`/api/users/${other.id}`).set(only.auth).send({ isActive: false }).expect(200);
      }
      const res = await t.http
        .patch(`/api/users/${only.id}`)
        .set(only.auth)
        .send({ role: 'member' })
        .expect(409);
      expect(res.body.code).toBe('LAST_ADMIN');
    });
  });
});
