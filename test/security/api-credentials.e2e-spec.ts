import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';

import { Role } from '../../src/common/auth/role.js';
import { createUser, login, signedIn, type SignedInUser, type TestUser, totp } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

const TRIES = 5;

/** A user with 2FA on: their TOTP secret and recovery codes. */
async function withTwoFactor(
  t: TestApp,
): Promise<{ user: TestUser; secret: string; recoveryCodes: string[] }> {
  const user = await createUser(t, Role.Member);
  const signed = await login(t, user);
  const { secret } = (await t.http.post('/api/auth/2fa/setup').set(signed.auth).expect(200)).body as {
    secret: string;
  };
  // Enable with the previous window's code, so the current one is still unused for the race below.
  const enabled = await t.http
    .post('/api/auth/2fa/enable')
    .set(signed.auth)
    .send({ code: await totp(secret, -1) })
    .expect(200);
  return { user, secret, recoveryCodes: enabled.body.recoveryCodes as string[] };
}

async function challenge(t: TestApp, user: TestUser): Promise<string> {
  const res = await t.http.post('/api/auth/login').send({ username: user.username, password: user.password });
  expect(res.body.twoFactorRequired).toBe(true);
  return res.body.challengeToken as string;
}

/** Findings 5 and 8 of the security review, and the audit log's CSV. */
describe('security: one-time codes, API tokens and exports', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('finding 5: one-time codes are used once, also when sent at the same time', () => {
    it(`${TRIES} parallel verifications with one TOTP code: exactly one token`, async () => {
      const { user, secret } = await withTwoFactor(t);
      const tokens = await Promise.all(Array.from({ length: TRIES }, () => challenge(t, user)));
      const code = await totp(secret);
      const answers = await Promise.all(
        tokens.map((challengeToken) => t.http.post('/api/auth/2fa/verify').send({ challengeToken, code })),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401, 401]);
    });

    it(`${TRIES} parallel verifications with one recovery code: exactly one token`, async () => {
      const { user, recoveryCodes } = await withTwoFactor(t);
      const tokens = await Promise.all(Array.from({ length: TRIES }, () => challenge(t, user)));
      const answers = await Promise.all(
        tokens.map((challengeToken) =>
          t.http.post('/api/auth/2fa/verify').send({ challengeToken, code: recoveryCodes[0] }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([200, 401, 401, 401, 401]);
      // The other codes still work, each once.
      const next = await t.http
        .post('/api/auth/2fa/verify')
        .send({ challengeToken: await challenge(t, user), code: recoveryCodes[1] });
      expect(next.status).toBe(200);
    });
  });

  describe('finding 8: API tokens', () => {
    let admin: SignedInUser;

    beforeAll(async () => {
      admin = await signedIn(t, Role.Admin);
    });

    async function tokenOf(user: SignedInUser): Promise<{ id: string; token: string }> {
      const res = await t.http
        .post('/api/auth/tokens')
        .set(user.auth)
        .send({ name: 'nightly sync', role: 'member' })
        .expect(201);
      return res.body.data as { id: string; token: string };
    }

    it('deactivating a user revokes their tokens for good: reactivating does not bring them back', async () => {
      const leaver = await signedIn(t, Role.Manager);
      const { token } = await tokenOf(leaver);
      const bearer = { Authorization: `Bearer ${token}` };
      await t.http.get('/api/contacts').set(bearer).expect(200);
      await t.http.patch(`/api/users/${leaver.id}`).set(admin.auth).send({ isActive: false }).expect(200);
      await t.http.get('/api/contacts').set(bearer).expect(401);
      await t.http.patch(`/api/users/${leaver.id}`).set(admin.auth).send({ isActive: true }).expect(200);
      await t.http.get('/api/contacts').set(bearer).expect(401);
      const audit = await t.http
        .get(`/api/audit-log?action=api_token.revoke&entityType=api_token`)
        .set(admin.auth)
        .expect(200);
      expect(
        audit.body.data.some((r: { meta?: { reason?: string } }) => r.meta?.reason === 'user_deactivated'),
      ).toBe(true);
    });

    it('tokens are read from the Authorization header only: never from a URL or a body, which logs keep', async () => {
      const member = await signedIn(t, Role.Member);
      const { token } = await tokenOf(member);
      await t.http.get(`/api/auth/me?access_token=${token}`).expect(401);
      await t.http.post('/api/tags').send({ access_token: token, name: 'from a body' }).expect(401);
      // The scheme is case-insensitive (RFC 6750); a JWT works the same way.
      await t.http.get('/api/auth/me').set('Authorization', `bearer ${token}`).expect(200);
      await t.http.get('/api/auth/me').set('Authorization', `BEARER ${member.token}`).expect(200);
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${token} extra`).expect(401);
      await t.http.get('/api/auth/me').set('Authorization', `Basic ${token}`).expect(401);
    });

    it('a sign-in token stops working when it expires, also one that was used before', async () => {
      const member = await signedIn(t, Role.Member);
      const [, body] = member.token.split('.');
      const { tv } = JSON.parse(Buffer.from(body, 'base64url').toString()) as { tv: number };
      const short = t.app.get(JwtService).sign({ sub: member.id, tv, typ: 'access' }, { expiresIn: 1 });
      const bearer = { Authorization: `Bearer ${short}` };
      await t.http.get('/api/auth/me').set(bearer).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await t.http.get('/api/auth/me').set(bearer).expect(401);
    });

    it('an API token cannot list, create or revoke tokens: that takes a signed-in session', async () => {
      const owner = await signedIn(t, Role.Manager);
      const first = await tokenOf(owner);
      const second = await tokenOf(owner);
      const bearer = { Authorization: `Bearer ${first.token}` };
      for (const res of [
        await t.http.get('/api/auth/tokens').set(bearer),
        await t.http.post('/api/auth/tokens').set(bearer).send({ name: 'x', role: 'member' }),
        await t.http.delete(`/api/auth/tokens/${second.id}`).set(bearer),
      ]) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('SESSION_REQUIRED');
      }
      await t.http
        .get('/api/contacts')
        .set({ Authorization: `Bearer ${second.token}` })
        .expect(200);
      await t.http.delete(`/api/auth/tokens/${second.id}`).set(owner.auth).expect(204);
    });
  });

  it("the audit log's CSV neutralises cells a spreadsheet would run as formulas", async () => {
    const admin = await signedIn(t, Role.Admin);
    // A caller's own X-Request-Id is kept in the audit row: `-2-3` is a formula to a spreadsheet.
    const contact = await t.http
      .post('/api/contacts')
      .set(admin.auth)
      .set('X-Request-Id', '-2-3')
      .send({ firstName: 'Formula', lastName: 'Test' })
      .expect(201);
    const csv = await t.http
      .get(`/api/audit-log?format=csv&entityId=${contact.body.data.id}`)
      .set(admin.auth)
      .expect(200);
    const cells = csv.text.split('\n')[1].split(',');
    expect(cells).toContain("'-2-3");
    expect(cells).not.toContain('-2-3');
  });
});
