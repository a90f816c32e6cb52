import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../../src/common/auth/role.js';
import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { buildComponentsBundle } from '../../src/modules/admin/build-bundle.js';
import { Opportunity } from '../../src/modules/opportunities/opportunity.entity.js';
import { Organization } from '../../src/modules/organizations/organization.entity.js';
import { Task } from '../../src/modules/tasks/task.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createUser, expectNoSecrets, login, TEST_PASSWORD, totp } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { adminAgent, adminClient, stageHistory } from './admin-helpers.js';

const api = '/admin/api/resources';

describe('back office over HTTP: sign-in, sessions, roles, validation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const newOrg = async (name: string) => {
    const em = t.orm.em.fork();
    const org = em.create(Organization, { name });
    await em.flush();
    return org;
  };

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

  describe('roles', () => {
    it('members: no Users, API tokens or Audit Log, no delete or bulk delete', async () => {
      const agent = await adminAgent(t, await createUser(t, Role.Member));
      const page = await agent.get('/admin').expect(200);
      const state = JSON.parse(/window\.REDUX_STATE = (.*);\n/.exec(page.text)![1]) as {
        resources: { id: string; href: string | null; resourceActions: { name: string }[] }[];
      };
      const hrefs = Object.fromEntries(state.resources.map((r) => [r.id, r.href]));
      expect(hrefs.User).toBeNull();
      expect(hrefs.AuditLog).toBeNull();
      expect(hrefs.ApiToken).toBeNull();
      expect(hrefs.Contact).toBe('/admin/resources/Contact');
      const orgActions = state.resources
        .find((r) => r.id === 'Organization')!
        .resourceActions.map((a) => a.name);
      expect(orgActions).toContain('new');
      expect(orgActions).not.toContain('bulkDelete');

      const users = await agent.get(`${api}/User/actions/list`).expect(200);
      expect(users.body.records).toEqual([]);
      expect(users.body.notice.type).toBe('error');
      const audit = await agent.get(`${api}/AuditLog/actions/list`).expect(200);
      expect(audit.body.records).toEqual([]);

      const org = await newOrg('Member Cannot Delete');
      await agent.post(`${api}/Organization/records/${org.id}/delete`).expect(200);
      const still = await t.orm.em.fork().findOneOrFail(Organization, org.id);
      expect(still.deletedAt).toBeNull();
      const bulk = await agent.post(`${api}/Organization/bulk/bulkDelete?recordIds=${org.id}`).expect(200);
      expect(bulk.body.notice.type).toBe('error');
    });

    it('managers: API tokens but no Users or Audit Log; bulk delete is the soft delete', async () => {
      const agent = await adminAgent(t, await createUser(t, Role.Manager));
      const page = await agent.get('/admin').expect(200);
      const state = JSON.parse(/window\.REDUX_STATE = (.*);\n/.exec(page.text)![1]) as {
        resources: { id: string; href: string | null }[];
      };
      const hrefs = Object.fromEntries(state.resources.map((r) => [r.id, r.href]));
      expect([hrefs.User, hrefs.AuditLog, hrefs.ApiToken]).toEqual([null, null, '/admin/resources/ApiToken']);
      const [a, b] = [await newOrg('Bulk One'), await newOrg('Bulk Two')];
      const bulk = await agent
        .post(`${api}/Organization/bulk/bulkDelete?recordIds=${a.id},${b.id}`)
        .expect(200);
      expect(bulk.body.notice.type).toBe('success');
      const rows = await t.orm.em.fork().find(Organization, { id: { $in: [a.id, b.id] } });
      expect(rows.map((r) => r.deletedAt)).toEqual([expect.any(Date), expect.any(Date)]);
    });

    it('the audit log is read-only, even for admins', async () => {
      const agent = await adminAgent(t, await createUser(t, Role.Admin));
      const list = await agent.get(`${api}/AuditLog/actions/list`).expect(200);
      expect(list.body.records.length).toBeGreaterThan(0);
      const id = list.body.records[0].id as string;
      const edit = await agent.post(`${api}/AuditLog/records/${id}/edit`).field('action', 'x').expect(200);
      expect(edit.body.notice.type).toBe('error');
      const del = await agent.post(`${api}/AuditLog/records/${id}/delete`).expect(200);
      expect(del.body.notice.type).toBe('error');
      expect(await t.orm.em.fork().count(AuditLog, { id })).toBe(1);
    });

    it('never shows password hashes, TOTP secrets, recovery codes or token hashes', async () => {
      const admin = await createUser(t, Role.Admin);
      const signed = await login(t, admin);
      await t.http
        .post('/api/auth/tokens')
        .set(signed.auth)
        .send({ name: 'sync', role: 'member' })
        .expect(201);
      const agent = await adminAgent(t, admin);
      const users = await agent.get(`${api}/User/actions/list?perPage=100`).expect(200);
      expect(users.body.records.length).toBeGreaterThan(0);
      expectNoSecrets(users.body);
      expectNoSecrets((await agent.get(`${api}/User/records/${admin.id}/show`).expect(200)).body);
      expectNoSecrets((await agent.get(`${api}/User/records/${admin.id}/edit`).expect(200)).body);
      expectNoSecrets((await agent.get(`${api}/ApiToken/actions/list`).expect(200)).body);
      expectNoSecrets((await agent.get(`${api}/User/actions/search/${admin.username}`).expect(200)).body);
      // Members pick owners by name; they learn nothing else about colleagues.
      const member = await adminAgent(t, await createUser(t, Role.Member));
      // The picker searches the title (the full name).
      const { fullName } = await t.orm.em.fork().findOneOrFail(User, admin.id);
      const picked = await member
        .get(`${api}/User/actions/search/${encodeURIComponent(fullName)}`)
        .expect(200);
      expect(Object.keys(picked.body.records[0].params).sort()).toEqual(['fullName', 'id', 'username']);
      // Nor can a hand-made form set them.
      await agent
        .post(`${api}/User/records/${admin.id}/edit`)
        .field('fullName', 'Renamed')
        .field('passwordHash', 'x')
        .field('tokenVersion', '99')
        .expect(200);
      const row = await t.orm.em.fork().findOneOrFail(User, admin.id, { populate: ['passwordHash'] });
      expect(row.fullName).toBe('Renamed');
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.tokenVersion).toBe(0);
    });
  });

  describe('writes', () => {
    it('validates with the API DTO and shows the errors on the fields', async () => {
      const agent = await adminAgent(t, await createUser(t, Role.Member));
      const bad = await agent
        .post(`${api}/Organization/actions/new`)
        .field('name', ' ')
        .field('website', 'not a url')
        .field('type', 'castle')
        .expect(200);
      expect(Object.keys(bad.body.record.errors).sort()).toEqual(['name', 'type', 'website']);
      expect(bad.body.record.errors.website.message).toBe(
        'must be a web address such as https://example.com',
      );
      expect(await t.orm.em.fork().count(Organization, { name: ' ' })).toBe(0);
    });

    it('creates through the form what the API then serves (trimmed, blanks as null, tags)', async () => {
      const manager = await login(t, await createUser(t, Role.Manager));
      const tag = (await t.http.post('/api/tags').set(manager.auth).send({ name: 'Admin tag' }).expect(201))
        .body.data;
      const agent = await adminAgent(t, await createUser(t, Role.Member));
      const res = await agent
        .post(`${api}/Organization/actions/new`)
        .field('name', '  Form Capital ')
        .field('type', 'family_office')
        .field('city', ' ')
        .field('website', 'https://form.example')
        .field('tags.0', tag.id)
        .expect(200);
      expect(res.body.notice.type).toBe('success');
      const id = res.body.record.id as string;
      const fromApi = (await t.http.get(`/api/organizations/${id}`).set(manager.auth).expect(200)).body.data;
      expect(fromApi).toMatchObject({
        name: 'Form Capital',
        type: 'family_office',
        city: null,
        website: 'https://form.example',
        tags: [{ id: tag.id, name: 'Admin tag' }],
        version: 1,
      });
    });

    it('refuses an edit made on an older version with a clear message', async () => {
      const agent = await adminAgent(t, await createUser(t, Role.Member));
      const member = await login(t, await createUser(t, Role.Member));
      const org = await newOrg('Versioned Partners');
      await t.http
        .patch(`/api/organizations/${org.id}`)
        .set(member.auth)
        .send({ city: 'Boston', version: 1 })
        .expect(200);
      const stale = await agent
        .post(`${api}/Organization/records/${org.id}/edit`)
        .field('name', 'Versioned Partners')
        .field('city', 'Denver')
        .field('version', '1')
        .expect(200);
      expect(stale.body.notice.type).toBe('error');
      expect(stale.body.notice.message).toContain('Someone else saved this organization');
      expect(stale.body.record.errors.version).toBeDefined();
      const row = await t.orm.em.fork().findOneOrFail(Organization, org.id);
      expect(row).toMatchObject({ city: 'Boston', version: 2 });

      const fresh = await agent
        .post(`${api}/Organization/records/${org.id}/edit`)
        .field('name', 'Versioned Partners')
        .field('city', 'Denver')
        .field('version', '2')
        .expect(200);
      expect(fresh.body.notice.type).toBe('success');
      expect(await t.orm.em.fork().findOneOrFail(Organization, org.id)).toMatchObject({
        city: 'Denver',
        version: 3,
      });
    });

    it('delete is the soft delete: hidden from lists, shown to managers by the filter, restorable', async () => {
      const manager = await createUser(t, Role.Manager);
      const agent = await adminAgent(t, manager);
      const memberAgent = await adminAgent(t, await createUser(t, Role.Member));
      const org = await newOrg('Soft Delete Holdings');
      await agent.post(`${api}/Organization/records/${org.id}/delete`).expect(200);
      const row = await t.orm.em.fork().findOneOrFail(Organization, org.id, { populate: ['deletedBy'] });
      expect(row.deletedAt).toBeInstanceOf(Date);
      expect(row.deletedBy?.id).toBe(manager.id);

      const search = `filters.name=${encodeURIComponent('Soft Delete')}`;
      expect((await agent.get(`${api}/Organization/actions/list?${search}`)).body.records).toEqual([]);
      const only = await agent.get(`${api}/Organization/actions/list?${search}&filters.deletedRecords=only`);
      expect(only.body.records.map((r: { id: string }) => r.id)).toEqual([org.id]);
      // Members get live records only, whatever they ask.
      const asMember = await memberAgent.get(
        `${api}/Organization/actions/list?${search}&filters.deletedRecords=only`,
      );
      expect(asMember.body.records).toEqual([]);

      const memberRestore = await memberAgent
        .post(`${api}/Organization/records/${org.id}/restore`)
        .expect(200);
      expect(memberRestore.body.notice.type).toBe('error');
      const restored = await agent.post(`${api}/Organization/records/${org.id}/restore`).expect(200);
      expect(restored.body.notice.type).toBe('success');
      expect((await t.orm.em.fork().findOneOrFail(Organization, org.id)).deletedAt).toBeNull();
    });

    it('searches contacts by name or email, case-insensitively', async () => {
      const agent = await adminAgent(t, await createUser(t, Role.Member));
      const member = await login(t, await createUser(t, Role.Member));
      // Contacts are created straight in the database: their API is on another branch.
      const em = t.orm.em.fork();
      const { Contact } = await import('../../src/modules/contacts/contact.entity.js');
      em.create(Contact, { firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.example' });
      em.create(Contact, { firstName: 'Alan', lastName: 'Turing', email: 'alan@bletchley.example' });
      await em.flush();
      const byName = await agent.get(`${api}/Contact/actions/list?filters.name=HOPP`).expect(200);
      expect(byName.body.records.map((r: { params: { name: string } }) => r.params.name)).toEqual([
        'Grace Hopper',
      ]);
      const byEmail = await agent.get(`${api}/Contact/actions/list?filters.name=bletchley`).expect(200);
      expect(byEmail.body.records.map((r: { params: { name: string } }) => r.params.name)).toEqual([
        'Alan Turing',
      ]);
      const byQuery = await agent.get(`${api}/Contact/actions/search/grace`).expect(200);
      expect(byQuery.body.records).toHaveLength(1);
      expect(member.role).toBe(Role.Member);
    });
  });

  describe('fundraising, activity and API tokens', () => {
    it('opportunities: money from the form, the stage default probability, and the stage history', async () => {
      const user = await createUser(t, Role.Member);
      const agent = await adminAgent(t, user);
      const created = await agent
        .post(`${api}/Opportunity/actions/new`)
        .field('name', 'Pacific — Fund II')
        .field('stage', 'meeting')
        .field('probability', '')
        .field('priority', 'high')
        .field('expectedAmount', '5,000,000.50')
        .field('currency', '')
        .expect(200);
      expect(created.body.notice.type).toBe('success');
      const id = created.body.record.id as string;
      const em = t.orm.em.fork();
      const deal = await em.findOneOrFail(Opportunity, id);
      expect(deal).toMatchObject({ probability: 35, expectedAmount: 5_000_000.5, currency: 'USD' });
      const moved = await agent
        .post(`${api}/Opportunity/records/${id}/edit`)
        .field('name', 'Pacific — Fund II')
        .field('stage', 'due_diligence')
        .field('probability', '60')
        .field('version', '1')
        .expect(200);
      expect(moved.body.notice.type).toBe('success');
      expect(await stageHistory(t, id)).toEqual([
        [null, 'meeting', user.id],
        ['meeting', 'due_diligence', user.id],
      ]);
    });

    it('tasks: marking one done stamps completedAt (the database insists)', async () => {
      const agent = await adminAgent(t, await createUser(t, Role.Member));
      const created = await agent
        .post(`${api}/Task/actions/new`)
        .field('title', 'Send the deck')
        .field('status', 'done')
        .field('dueDate', '2026-12-01T00:00:00.000Z')
        .expect(200);
      expect(created.body.notice.type).toBe('success');
      const task = await t.orm.em.fork().findOneOrFail(Task, created.body.record.id as string);
      expect(task.completedAt).toBeInstanceOf(Date);
      expect(task.dueDate).toBe('2026-12-01');
    });

    it('API tokens: managers see and revoke their own; the revocation is audited with source admin', async () => {
      const manager = await createUser(t, Role.Manager);
      const other = await createUser(t, Role.Manager);
      const mine = (
        await t.http
          .post('/api/auth/tokens')
          .set((await login(t, manager)).auth)
          .send({ name: 'mine', role: 'member' })
          .expect(201)
      ).body.data;
      await t.http
        .post('/api/auth/tokens')
        .set((await login(t, other)).auth)
        .send({ name: 'theirs', role: 'member' })
        .expect(201);
      const agent = await adminAgent(t, manager);
      const list = await agent.get(`${api}/ApiToken/actions/list`).expect(200);
      expect(list.body.records.map((r: { params: { name: string } }) => r.params.name)).toEqual(['mine']);
      const created = await agent.post(`${api}/ApiToken/actions/new`).field('name', 'x').expect(200);
      expect(created.body.notice.type).toBe('error');
      const revoked = await agent.post(`${api}/ApiToken/records/${mine.id}/revoke`).expect(200);
      expect(revoked.body.notice.type).toBe('success');
      await t.http.get('/api/auth/me').set('Authorization', `Bearer ${mine.token}`).expect(401);
      const [row] = await t.orm.em.fork().find(AuditLog, { action: 'api_token.revoke', entityId: mine.id });
      expect(row).toMatchObject({
        source: AuditSource.Admin,
        actorUserId: manager.id,
        actorLabel: manager.username,
      });
    });
  });

  describe('users', () => {
    it('creates users with an argon2 hash and the password policy; resets passwords; keeps the last admin', async () => {
      const admin = await createUser(t, Role.Admin);
      const agent = await adminAgent(t, admin);
      const weak = await agent
        .post(`${api}/User/actions/new`)
        .field('username', 'newbie')
        .field('email', 'newbie@fund.example')
        .field('fullName', 'New Bie')
        .field('role', 'member')
        .field('password', 'password123')
        .expect(200);
      expect(weak.body.record.errors.password).toBeDefined();
      const created = await agent
        .post(`${api}/User/actions/new`)
        .field('username', 'newbie')
        .field('email', 'newbie@fund.example')
        .field('fullName', 'New Bie')
        .field('role', 'member')
        .field('password', TEST_PASSWORD)
        .expect(200);
      expect(created.body.notice.type).toBe('success');
      const id = created.body.record.id as string;
      await login(t, {
        id,
        username: 'newbie',
        email: 'newbie@fund.example',
        password: TEST_PASSWORD,
        role: Role.Member,
      });

      const reset = await agent
        .post(`${api}/User/records/${id}/edit`)
        .field('fullName', 'New Bie')
        .field('email', 'newbie@fund.example')
        .field('role', 'member')
        .field('isActive', 'true')
        .field('password', 'Fresh-fundraising-phrase-42')
        .expect(200);
      expect(reset.body.notice.type).toBe('success');
      const row = await t.orm.em.fork().findOneOrFail(User, id, { populate: ['passwordHash'] });
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.tokenVersion).toBe(1);
      await t.http
        .post('/api/auth/login')
        .send({ username: 'newbie', password: 'Fresh-fundraising-phrase-42' })
        .expect(200);

      // Demoting every admin but one is fine; the last active admin stays.
      const admins = await t.orm.em.fork().find(User, { role: Role.Admin, isActive: true });
      const em = t.orm.em.fork();
      await em.nativeUpdate(
        User,
        { id: { $in: admins.map((a) => a.id).filter((a) => a !== admin.id) } },
        { role: Role.Manager },
      );
      const demote = await agent
        .post(`${api}/User/records/${admin.id}/edit`)
        .field('fullName', 'Boss')
        .field('email', admin.email)
        .field('role', 'member')
        .field('isActive', 'true')
        .expect(200);
      expect(demote.body.notice.type).toBe('error');
      expect(demote.body.notice.message).toContain('last active admin');
    });
  });
});
