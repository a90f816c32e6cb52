import { describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import {
  expectNoSecrets,
  LOCKOUT_ENV,
  signedIn,
  TEST_PASSWORD,
  totp,
  userAuditActions,
} from './helpers/auth.js';
import { suiteTestApp } from './helpers/test-app.js';

describe('auth: two-factor authentication', () => {
  const t = suiteTestApp(LOCKOUT_ENV);

  const auditActions = (userId: string) => userAuditActions(t, userId);

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
});
