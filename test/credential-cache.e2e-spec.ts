import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { AppConfig } from '../src/config/app-config.js';
import { CredentialCache } from '../src/modules/auth/credential-cache.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { sql } from './helpers/backups.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const JWT_SECRET = randomBytes(32).toString('hex');

/**
 * Two instances on one database, each keeping who a session or an API token is in memory: a change made
 * through one is refused by the other on the very next request (NOTIFY from the database's triggers).
 */
describe('credential cache across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: SignedInUser;

  beforeAll(async () => {
    a = await createTestApp({ JWT_SECRET });
    b = await createTestApp({ DATABASE_URL: a.databaseUrl, JWT_SECRET });
    admin = await signedIn(a, Role.Admin);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Requests `path` on instance `t` a few times, so its answer is served from the cache if it can be. */
  async function warm(t: TestApp, auth: Record<string, string>, path = '/api/auth/me'): Promise<void> {
    for (let i = 0; i < 3; i += 1) await t.http.get(path).set(auth).expect(200);
  }

  async function apiToken(user: SignedInUser): Promise<{ id: string; auth: Record<string, string> }> {
    const res = await a.http
      .post('/api/auth/tokens')
      .set(user.auth)
      .send({ name: 'sync', role: Role.Member })
      .expect(201);
    return { id: res.body.data.id, auth: { Authorization: `Bearer ${res.body.data.token}` } };
  }

  it('a token revoked on one instance is refused by the other at once', async () => {
    const member = await signedIn(a, Role.Member);
    const token = await apiToken(member);
    await warm(b, token.auth);
    await a.http.delete(`/api/auth/tokens/${token.id}`).set(member.auth).expect(204);
    await b.http.get('/api/auth/me').set(token.auth).expect(401);
    await a.http.get('/api/auth/me').set(token.auth).expect(401);
  });

  it('a deactivated user is refused by both, with their session and their token', async () => {
    const member = await signedIn(a, Role.Member);
    const token = await apiToken(member);
    await warm(b, member.auth);
    await warm(b, token.auth);
    await warm(a, member.auth);
    await a.http.patch(`/api/users/${member.id}`).set(admin.auth).send({ isActive: false }).expect(200);
    for (const t of [b, a]) {
      await t.http.get('/api/auth/me').set(member.auth).expect(401);
      await t.http.get('/api/auth/me').set(token.auth).expect(401);
    }
  });

  it('a role taken away applies at the next request, on the other instance and on the writing one', async () => {
    const second = await signedIn(a, Role.Admin);
    await warm(b, second.auth, '/api/users');
    await warm(a, second.auth, '/api/users');
    await a.http.patch(`/api/users/${second.id}`).set(admin.auth).send({ role: Role.Manager }).expect(200);
    await b.http.get('/api/users').set(second.auth).expect(403);
    // The write answered once its own instance had forgotten the old role.
    await a.http.get('/api/users').set(second.auth).expect(403);
  });

  it('a password change ends the old session on the other instance', async () => {
    const member = await signedIn(a, Role.Member);
    await warm(b, member.auth);
    await a.http
      .post('/api/auth/change-password')
      .set(member.auth)
      .send({ currentPassword: member.password, newPassword: 'An-entirely-new-passphrase-42' })
      .expect(204);
    await b.http.get('/api/auth/me').set(member.auth).expect(401);
  });

  it('after caughtUp, an instance has heard every change committed before it', async () => {
    const member = await signedIn(a, Role.Member);
    const token = await apiToken(member);
    await warm(b, token.auth);
    // Revoked outside both instances: only the notification can tell them.
    await sql(a.databaseUrl, `update api_tokens set revoked_at = now() where id = $1`, [token.id]);
    await b.app.get(CredentialCache).caughtUp();
    await b.http.get('/api/auth/me').set(token.auth).expect(401);
  });

  it('an instance stopped while its listener connects leaves no connection open', async () => {
    const listeners = async () =>
      (
        await sql(
          a.databaseUrl,
          `select count(*)::int as n from pg_stat_activity
            where application_name = 'vcrm-credentials' and datname = current_database()`,
        )
      ).rows[0].n as number;
    const before = await listeners();
    const cache = new CredentialCache(new AppConfig({ NODE_ENV: 'test', DATABASE_URL: a.databaseUrl }));
    const connecting = cache.onModuleInit();
    await cache.onApplicationShutdown();
    await connecting;
    expect(await listeners()).toBe(before);
  });

  it('while the notifications are cut off, nothing is served from memory', async () => {
    const member = await signedIn(a, Role.Member);
    const token = await apiToken(member);
    await warm(b, token.auth);
    await sql(
      a.databaseUrl,
      `select pg_terminate_backend(pid) from pg_stat_activity
        where application_name = 'vcrm-credentials' and datname = current_database()`,
    );
    // Revoked behind the instances' backs: no trigger can reach an instance whose listener is gone.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sql(a.databaseUrl, `update api_tokens set revoked_at = now() where id = $1`, [token.id]);
    await b.http.get('/api/auth/me').set(token.auth).expect(401);
  });
});
