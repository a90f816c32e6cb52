import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { AuditLog } from '../src/modules/audit/audit-log.entity.js';
import { createUser, expectNoSecrets, login, signedIn, TEST_PASSWORD, totp } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('auth', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ AUTH_MAX_FAILED_LOGINS: '3', AUTH_LOCKOUT_MINUTES: '15' });
  });

  afterAll(async () => {
    await t.close();
  });

  const auditActions = async (userId: string): Promise<string[]> =>
    (await t.orm.em.fork().find(AuditLog, { entityId: userId }, { orderBy: { createdAt: 'asc' } })).map(
      (a) => a.action,
    );

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

  describe('two-factor authentication', () => {
    it('enrols, then requires a code at sign-in; codes are single-use; recovery codes work once', async () => {
      const user = await signedIn(t, Role.Manager);
      const setup = await t.http.post('/api/auth/2fa/setup').set(user.auth).expect(200);
      expect(setup.body).toEqual({
        secret: expect.stringMatching(/^[A-Z2-7]+=*$/),
        otpauthUrl: expect.stringContaining('otpauth://totp/'),
        qrCodeDataUrl: expect.stringMatching(/^data:image\/png;base64,/),
      });
      const secret = setup.body.secret as string;
      // Replayed later: whatever the clock does meanwhile, this exact code must never work twice.
      const enableCode = await totp(secret);

      const bad = await t.http
        .post('/api/auth/2fa/enable')
        .set(user.auth)
        .send({ code: '000000' })
        .expect(400);
      expect(bad.body.details[0].field).toBe('code');
      const enabled = await t.http
        .post('/api/auth/2fa/enable')
        .set(user.auth)
        .send({ code: enableCode })
        .expect(200);
      const recoveryCodes = enabled.body.recoveryCodes as string[];
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);

      const first = await t.http
        .post('/api/auth/login')
        .send({ username: user.username, password: TEST_PASSWORD })
        .expect(200);
      expect(first.body).toEqual({ twoFactorRequired: true, challengeToken: expect.any(String) });
      const challengeToken = first.body.challengeToken as string;

      // The challenge token is not an access token.
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${challengeToken}`).expect(401);
      // The code used to enable is spent; the next window's code is accepted once.
      await t.http.post('/api/auth/2fa/verify').send({ challengeToken, code: enableCode }).expect(401);
      const next = await totp(secret, 1);
      const verified = await t.http
        .post('/api/auth/2fa/verify')
        .send({ challengeToken, code: next })
        .expect(200);
      expect(verified.body.user).toMatchObject({ id: user.id, twoFactorEnabled: true });
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${verified.body.token}`).expect(200);
      await t.http.post('/api/auth/2fa/verify').send({ challengeToken, code: next }).expect(401);

      const recovered = await t.http
        .post('/api/auth/2fa/verify')
        .send({ challengeToken, code: recoveryCodes[0].toUpperCase() })
        .expect(200);
      expectNoSecrets(recovered.body);
      await t.http.post('/api/auth/2fa/verify').send({ challengeToken, code: recoveryCodes[0] }).expect(401);

      const me = await t.http
        .get('/api/auth/me')
        .set('Authorization', `Bearer ${recovered.body.token}`)
        .expect(200);
      expectNoSecrets(me.body);
      expect(await auditActions(user.id)).toEqual(
        expect.arrayContaining(['2fa.enable', '2fa.recovery_code_used']),
      );
    });

    it('disables with password and code, ending sessions', async () => {
      const user = await signedIn(t);
      const { body } = await t.http.post('/api/auth/2fa/setup').set(user.auth).expect(200);
      const { body: enabled } = await t.http
        .post('/api/auth/2fa/enable')
        .set(user.auth)
        .send({ code: await totp(body.secret) })
        .expect(200);
      await t.http
        .post('/api/auth/2fa/disable')
        .set(user.auth)
        .send({ password: 'wrong', code: enabled.recoveryCodes[0] })
        .expect(400);
      await t.http
        .post('/api/auth/2fa/disable')
        .set(user.auth)
        .send({ password: TEST_PASSWORD, code: enabled.recoveryCodes[1] })
        .expect(204);
      await t.http.get('/api/auth/me').set(user.auth).expect(401);
      const again = await t.http
        .post('/api/auth/login')
        .send({ username: user.username, password: TEST_PASSWORD })
        .expect(200);
      expect(again.body.token).toEqual(expect.any(String));
      expect(await auditActions(user.id)).toContain('2fa.disable');
    });
  });

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

describe('auth with REQUIRE_2FA and a low rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ REQUIRE_2FA: 'true', AUTH_RATE_LIMIT_PER_MINUTE: '4' });
  });

  afterAll(async () => {
    await t.close();
  });

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
