import { expect } from '@jest/globals';
import { generate } from 'otplib';

import { Role } from '../../src/common/auth/role.js';
import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { userFactory } from '../../src/database/factories/index.js';
import { PasswordService } from '../../src/modules/users/password.service.js';
import type { TestApp } from './test-app.js';

export const TEST_PASSWORD = 'Fund2-raise-tracker!';

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  role: Role;
}

export interface SignedInUser extends TestUser {
  token: string;
  auth: { Authorization: string };
}

let hashed: Promise<string> | undefined;

/** A user written straight to the database (the API path is tested in auth-api-tokens-users.e2e-spec.ts). */
export async function createUser(
  t: TestApp,
  role: Role = Role.Member,
  overrides: Partial<TestUser> = {},
): Promise<TestUser> {
  const password = overrides.password ?? TEST_PASSWORD;
  const passwords = t.app.get(PasswordService);
  // Hashing is slow on purpose: reuse one hash for the shared test password.
  const passwordHash =
    password === TEST_PASSWORD
      ? await (hashed ??= passwords.hash(TEST_PASSWORD))
      : await passwords.hash(password);
  const em = t.orm.em.fork();
  const user = userFactory(em, {
    role,
    passwordHash,
    ...(overrides.username && { username: overrides.username }),
    ...(overrides.email && { email: overrides.email }),
  });
  await em.flush();
  return { id: user.id, username: user.username, email: user.email, password, role };
}

export async function login(t: TestApp, user: TestUser): Promise<SignedInUser> {
  const res = await t.http.post('/api/auth/login').send({ username: user.username, password: user.password });
  expect(res.status).toBe(200);
  const token = res.body.token as string;
  return { ...user, token, auth: { Authorization: `Bearer ${token}` } };
}

export async function signedIn(
  t: TestApp,
  role: Role = Role.Member,
  overrides: Partial<TestUser> = {},
): Promise<SignedInUser> {
  return login(t, await createUser(t, role, overrides));
}

/** The TOTP code `offsetSteps` 30-second windows from now (codes are accepted once, ±1 window). */
export function totp(secret: string, offsetSteps = 0): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });
}

const SECRET_KEYS = [
  'passwordHash',
  'password_hash',
  'twoFactorSecret',
  'twoFactorPendingSecret',
  'recoveryCodeHashes',
  'tokenHash',
];

/** Fails if a response body carries a credential hash or secret, under any key or as an argon2 string. */
export function expectNoSecrets(body: unknown): void {
  const text = JSON.stringify(body ?? null);
  for (const key of SECRET_KEYS) expect(text).not.toContain(`"${key}"`);
  expect(text).not.toContain('$argon2');
}

/** The sign-in limits of the auth suites: three failed sign-ins lock an account for 15 minutes. */
export const LOCKOUT_ENV = { AUTH_MAX_FAILED_LOGINS: '3', AUTH_LOCKOUT_MINUTES: '15' };

/** The audit actions recorded on a user, oldest first. */
export async function userAuditActions(t: TestApp, userId: string): Promise<string[]> {
  return (await t.orm.em.fork().find(AuditLog, { entityId: userId }, { orderBy: { createdAt: 'asc' } })).map(
    (a) => a.action,
  );
}
