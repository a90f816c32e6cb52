import { describe, expect, it } from '@jest/globals';

import { Role } from '../../src/common/auth/role.js';
import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { Organization } from '../../src/modules/organizations/organization.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createUser, expectNoSecrets, login, TEST_PASSWORD } from '../helpers/auth.js';
import { suiteTestApp } from '../helpers/test-app.js';
import { adminAgent, adminClient, createOrganization, RESOURCES_API as api } from './admin-helpers.js';

describe('back office over HTTP: roles and users', () => {
  const t = suiteTestApp();

  const newOrg = (name: string) => createOrganization(t, name);

  it('answers a path it does not have with a 404 of its own, signed in; signed out, with the sign-in page', async () => {
    const agent = await adminAgent(t, await createUser(t, Role.Member));
    const page = await agent.get('/admin/no-such-page').set('Accept', 'text/html').expect(404);
    expect(page.text).toContain('No back office page GET /admin/no-such-page');
    const json = await agent.get('/admin/api/no-such-thing').expect(404);
    expect(json.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    const signedOut = await (await adminClient(t)).get('/admin/no-such-page').expect(302);
    expect(signedOut.headers.location).toBe('/admin/login');
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
