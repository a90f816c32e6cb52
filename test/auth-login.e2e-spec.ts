import { describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { AuditLog } from '../src/modules/audit/audit-log.entity.js';
import {
  createUser,
  expectNoSecrets,
  login,
  LOCKOUT_ENV,
  signedIn,
  TEST_PASSWORD,
  totp,
  userAuditActions,
} from './helpers/auth.js';
import { suiteTestApp } from './helpers/test-app.js';

describe('auth: sign-in and passwords', () => {
  const t = suiteTestApp(LOCKOUT_ENV);

  const auditActions = (userId: string) => userAuditActions(t, userId);

  describe('login', () => {
    it('signs in by username or by email, case-insensitively, without leaking credentials', async () => {
      const user = await createUser(t, Role.Manager, { username: 'Grant.Ellis' });
      for (const identifier of ['Grant.Ellis', 'grant.ellis', user.email.toUpperCase()]) {
        const res = await t.http
          .post('/api/auth/login')
          .send({ username: identifier, password: TEST_PASSWORD })
          .expect(200);
        expect(res.body).toEqual({
          token: expect.any(String),
          expiresAt: expect.any(String),
          user: expect.objectContaining({
            id: user.id,
            username: 'Grant.Ellis',
            role: 'manager',
            twoFactorEnabled: false,
          }),
        });
        expectNoSecrets(res.body);
      }
      const me = await t.http
        .get('/api/auth/me')
        .set((await login(t, user)).auth)
        .expect(200);
      expect(me.body.data).toMatchObject({ id: user.id, lastLoginAt: expect.any(String) });
      expectNoSecrets(me.body);
      expect(await auditActions(user.id)).toContain('auth.login.success');
    });

    it('answers a wrong password and an unknown user identically', async () => {
      const user = await createUser(t);
      const wrong = await t.http
        .post('/api/auth/login')
        .send({ username: user.username, password: 'not-the-password' })
        .expect(401);
      const unknown = await t.http
        .post('/api/auth/login')
        .send({ username: 'nobody-here', password: 'not-the-password' })
        .expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body).toMatchObject({ statusCode: 401, code: 'INVALID_CREDENTIALS' });
    });

    it('refuses a request without the fields, naming them', async () => {
      const res = await t.http.post('/api/auth/login').send({ username: 'x' }).expect(400);
      expect(res.body.details).toEqual([{ field: 'password', message: 'is required' }]);
      expect(res.body.message).toBe('password is required');
    });

    it('locks the account after repeated failures, even for the right password', async () => {
      const user = await createUser(t);
      for (let i = 0; i < 3; i++) {
        await t.http
          .post('/api/auth/login')
          .send({ username: user.username, password: 'wrong-password-x' })
          .expect(401);
      }
      const locked = await t.http
        .post('/api/auth/login')
        .send({ username: user.username, password: TEST_PASSWORD })
        .expect(401);
      expect(locked.body.code).toBe('INVALID_CREDENTIALS');
      const actions = await auditActions(user.id);
      expect(actions.filter((a) => a === 'auth.login.failure')).toHaveLength(4);
      expect(actions).toContain('auth.lockout');
      // Nobody was signed in: the rows say so, rather than blaming "system".
      const failures = await t.orm.em
        .fork()
        .find(AuditLog, { entityId: user.id, action: 'auth.login.failure' });
      expect(failures.map((f) => [f.actorLabel, f.actorUserId, f.source])).toEqual(
        Array(4).fill(['anonymous', null, 'api']),
      );
    });

    it('refuses a deactivated user, and their token stops working at once', async () => {
      const admin = await signedIn(t, Role.Admin);
      const member = await signedIn(t, Role.Member);
      await t.http.get('/api/auth/me').set(member.auth).expect(200);
      await t.http.patch(`/api/users/${member.id}`).set(admin.auth).send({ isActive: false }).expect(200);
      const res = await t.http.get('/api/auth/me').set(member.auth).expect(401);
      expect(res.body.code).toBe('UNAUTHORIZED');
      await t.http
        .post('/api/auth/login')
        .send({ username: member.username, password: TEST_PASSWORD })
        .expect(401);
    });

    it('refuses missing, malformed and forged tokens', async () => {
      await t.http.get('/api/auth/me').expect(401);
      await t.http.get('/api/auth/me').set('Authorization', 'Bearer nonsense').expect(401);
      const user = await signedIn(t);
      const [h, p] = user.token.split('.');
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${h}.${p}.forgedsignature`).expect(401);
    });
  });

  describe('change password', () => {
    it('needs the current password, applies the policy, and ends existing sessions', async () => {
      const user = await signedIn(t);
      const wrong = await t.http
        .post('/api/auth/change-password')
        .set(user.auth)
        .send({ currentPassword: 'nope', newPassword: 'another-Long-passphrase-9' })
        .expect(400);
      expect(wrong.body.details[0].field).toBe('currentPassword');
      for (const weak of ['short1!', 'password1234', 'qwertyuiop123']) {
        const res = await t.http
          .post('/api/auth/change-password')
          .set(user.auth)
          .send({ currentPassword: TEST_PASSWORD, newPassword: weak })
          .expect(400);
        expect(res.body.details[0].field).toBe('newPassword');
      }
      await t.http
        .post('/api/auth/change-password')
        .set(user.auth)
        .send({ currentPassword: TEST_PASSWORD, newPassword: 'another-Long-passphrase-9' })
        .expect(204);
      await t.http.get('/api/auth/me').set(user.auth).expect(401);
      await login(t, { ...user, password: 'another-Long-passphrase-9' });
    });
  });
});

describe('auth with REQUIRE_2FA and a low rate limit', () => {
  const t = suiteTestApp({ REQUIRE_2FA: 'true', AUTH_RATE_LIMIT_PER_MINUTE: '4' });

  it('lets a user without 2FA reach only enrolment until they enrol', async () => {
    const admin = await createUser(t, Role.Admin);
    const res = await t.http
      .post('/api/auth/login')
      .send({ username: admin.username, password: TEST_PASSWORD })
      .expect(200);
    expect(res.body.twoFactorSetupRequired).toBe(true);
    const auth = { Authorization: `Bearer ${res.body.token}` };
    const blocked = await t.http.get('/api/users').set(auth).expect(403);
    expect(blocked.body.code).toBe('TWO_FACTOR_REQUIRED');
    await t.http.get('/api/auth/me').set(auth).expect(200);
    const setup = await t.http.post('/api/auth/2fa/setup').set(auth).expect(200);
    await t.http
      .post('/api/auth/2fa/enable')
      .set(auth)
      .send({ code: await totp(setup.body.secret) })
      .expect(200);
    await t.http.get('/api/users').set(auth).expect(200);
  });

  it('throttles sign-in attempts per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await t.http.post('/api/auth/login').send({ username: `someone-${i}`, password: 'whatever-it-is' }))
          .status,
      );
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const res = await t.http.post('/api/auth/login').send({ username: 'x', password: 'y' }).expect(429);
    expect(res.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
  });
});
