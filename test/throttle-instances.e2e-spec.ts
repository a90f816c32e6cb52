import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { adminClient } from './admin/admin-helpers.js';
import { sql } from './helpers/backups.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const JWT_SECRET = randomBytes(32).toString('hex');
const LIMIT = 4;

/**
 * Two instances on one database behind a (simulated) load balancer: sign-in attempts are counted in
 * PostgreSQL, so attempts spread over both are refused once the one shared limit is reached.
 */
describe('sign-in throttling across instances', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = { JWT_SECRET, AUTH_RATE_LIMIT_PER_MINUTE: String(LIMIT), TRUST_PROXY: 'true' };
    a = await createTestApp(env);
    b = await createTestApp({ ...env, DATABASE_URL: a.databaseUrl });
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** One API sign-in attempt on instance `app` from the address `ip` (X-Forwarded-For, trusted here). */
  function attempt(app: TestApp, ip: string, username: string): Promise<{ status: number; body: unknown }> {
    return app.http
      .post('/api/auth/login')
      .set('X-Forwarded-For', ip)
      .send({ username, password: 'not-the-password' })
      .then((res) => res);
  }

  it('the API refuses the attempt past the limit per address, whichever instance it reaches', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      statuses.push((await attempt([a, b][i % 2], '203.0.113.1', `nobody-${i}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    const res = await attempt(a, '203.0.113.1', 'nobody');
    expect(res).toMatchObject({ status: 429, body: { statusCode: 429, code: 'RATE_LIMITED' } });
    // Another address is not affected.
    expect((await attempt(b, '203.0.113.2', 'nobody')).status).toBe(401);
  });

  it('the API refuses the attempt past the limit per account, from many addresses and both instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      // One account however it is spelled: the username is trimmed and lowercased.
      statuses.push(
        (await attempt([a, b][i % 2], `198.51.100.${i + 1}`, i % 2 ? 'Target' : 'target ')).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('/admin/login refuses the attempt past the limit, whichever instance it reaches', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) {
      const client = await adminClient([a, b][i % 2]);
      const res = await client
        .post('/admin/login')
        .set('X-Forwarded-For', '192.0.2.7')
        .type('form')
        .send({ username: `someone-${i}`, password: 'wrong' });
      statuses.push(res.status);
      if (res.status === 429) expect(res.text).toContain('tooManyRequests');
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
  });

  it('keeps the counters in one UNLOGGED table, one row per key', async () => {
    const table = await sql(
      a.databaseUrl,
      `select relpersistence from pg_class where relname = 'sign_in_throttle'`,
    );
    expect(table.rows).toEqual([{ relpersistence: 'u' }]);
    const { rows } = await sql(
      a.databaseUrl,
      `select key, hits from sign_in_throttle where key like 'admin-login:%'`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([{ key: 'admin-login:admin-login:ip:192.0.2.7', hits: LIMIT + 1 }]),
    );
  });
});
