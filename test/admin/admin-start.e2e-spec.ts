import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from '@jest/globals';
import argon2 from 'argon2';
import pg from 'pg';

import { projectRoot } from '../../src/common/utils/project-root.js';
import { freePort } from '../../src/database/embedded-postgres.js';
import { TEST_PASSWORD } from '../helpers/auth.js';
import { startApp, waitFor } from '../helpers/processes.js';
import { createTestDatabase } from '../helpers/test-app.js';

describe('back office in a production start', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });

  it('serves the bundle built by `npm run build`, bundles nothing at run time, and sends a Secure cookie', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'vcrm-admin-prod-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const databaseUrl = await createTestDatabase();
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    await db.query(
      `insert into users (username, email, full_name, role, password_hash) values ('prod', 'prod@fund.example', 'Prod User', 'admin', $1)`,
      [await argon2.hash(TEST_PASSWORD, { type: argon2.argon2id })],
    );
    await db.end();
    const app = startApp({
      NODE_ENV: 'production',
      ADMIN_JS_SKIP_BUNDLE: 'false',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(48).toString('base64url'),
      ENCRYPTION_KEY: randomBytes(48).toString('base64url'),
    });
    cleanup.push(async () => {
      app.child.kill('SIGTERM');
      await app.exited;
    });
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => ((await fetch(`${base}/api/health`)).ok ? true : undefined));

    const page = await fetch(`${base}/admin/login`);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain('googleapis');
    const bundle = await fetch(`${base}/admin/frontend/assets/components.bundle.js`);
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).toContain('AdminJS.UserComponents.Dashboard');
    // AdminJS would otherwise write its bundle into ./.adminjs of the install folder.
    expect(existsSync(join(projectRoot(), '.adminjs'))).toBe(false);

    // Behind a TLS proxy the session cookie is Secure (ADMIN_COOKIE_SECURE defaults to on in production);
    // over plain HTTP no session cookie is sent at all.
    const signIn = (https: boolean) =>
      fetch(`${base}/admin/login`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          // Sent by the browser from the sign-in page (the back office refuses writes from elsewhere).
          Origin: https ? base.replace('http:', 'https:') : base,
          ...(https ? { 'X-Forwarded-Proto': 'https' } : {}),
        },
        body: `username=prod&password=${encodeURIComponent(TEST_PASSWORD)}`,
        redirect: 'manual',
      });
    const secure = await signIn(true);
    expect(secure.status).toBe(302);
    expect(secure.headers.get('set-cookie')).toMatch(/^vcrm_admin=.*; Secure; SameSite=Lax/);
    const plain = await signIn(false);
    expect(plain.status).toBe(302);
    expect(plain.headers.get('set-cookie')).toBeNull();
    expect(app.output()).not.toMatch(/bundling|Unhandled type/i);
  });
});
