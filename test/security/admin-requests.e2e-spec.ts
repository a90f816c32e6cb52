import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';

import { Role } from '../../src/common/auth/role.js';
import { createUser, login, type TestUser } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { adminAgent, adminClient } from '../admin/admin-helpers.js';

const API = '/admin/api/resources';

/**
 * Upload files (formidable's `upload_*` in the OS temp folder) written since `since` that hold `marker`: the
 * marker tells this test's files from any other process's.
 */
async function uploadsHolding(marker: string, since: number): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith('upload_')) continue;
    const path = join(tmpdir(), name);
    const info = await stat(path).catch(() => undefined);
    if (!info || info.mtimeMs < since) continue;
    if ((await readFile(path, 'utf8').catch(() => '')).includes(marker)) found.push(path);
  }
  return found;
}

/** Findings 2, 3 and 6 of the security review, and the smaller ones found beside them. */
describe('security: what the back office reads from a request', () => {
  let t: TestApp;
  let admin: TestUser;
  let member: TestUser;
  let asAdmin: TestAgent;
  let asMember: TestAgent;

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT: '64kb' });
    admin = await createUser(t, Role.Admin);
    member = await createUser(t, Role.Member);
    asAdmin = await adminAgent(t, admin);
    asMember = await adminAgent(t, member);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('finding 2: uploads before sign-in', () => {
    it('a multipart body without a session is not read: nothing is written, the answer is a redirect', async () => {
      const anonymous = await adminClient(t);
      const marker = randomBytes(16).toString('hex');
      const since = Date.now() - 1000;
      const big = Buffer.from(marker.repeat(16 * 1024));
      const res = await anonymous
        .post(`${API}/Contact/actions/new`)
        .attach('file', big, 'payload.bin')
        .field('firstName', 'x');
      expect(res.status).toBe(302);
      expect(res.headers.location).toBe('/admin/login');
      expect(await uploadsHolding(marker, since)).toEqual([]);
    });

    it('signed in: files are refused, the body limit holds, and nothing is left on disk', async () => {
      const marker = randomBytes(16).toString('hex');
      const since = Date.now() - 1000;
      const file = await asMember
        .post(`${API}/Contact/actions/new`)
        .attach('file', Buffer.from(marker), 'notes.txt')
        .field('firstName', 'x');
      expect(file.status).toBe(400);
      expect(file.body.message).toContain('files cannot be uploaded');
      const huge = await asMember
        .post(`${API}/Contact/actions/new`)
        .field('firstName', 'x'.repeat(100 * 1024))
        .field('lastName', 'y');
      expect(huge.status).toBe(413);
      expect(await uploadsHolding(marker, since)).toEqual([]);
    });
  });

  describe('finding 3: unbounded reads', () => {
    it('page sizes are capped on every action, with a 400 naming the parameter', async () => {
      for (const path of [
        `${API}/Contact/actions/list?perPage=100000`,
        `${API}/Contact/actions/search?perPage=100000`,
        `${API}/Contact/actions/search/a?perPage=0`,
        `${API}/Contact/actions/list?page=-1`,
      ]) {
        const res = await asAdmin.get(path);
        expect(res.status).toBe(400);
        expect(res.body.details[0].field).toMatch(/perPage|page/);
      }
      expect((await asAdmin.get(`${API}/Contact/actions/list?perPage=100`)).status).toBe(200);
    });

    it('a 10 KB nested filter is refused at once', async () => {
      const deep = `filters.${Array.from({ length: 1200 }, (_, i) => `a${i}`).join('.')}=1`;
      const wide = Array.from({ length: 400 }, (_, i) => `filters.f${i}=x`).join('&');
      for (const query of [deep, wide, `filters.name=${'x'.repeat(10_000)}`]) {
        const started = Date.now();
        const res = await asAdmin.get(`${API}/Contact/actions/list?${query}`);
        expect(res.status).toBe(400);
        expect(Date.now() - started).toBeLessThan(3000);
      }
    });
  });

  describe('finding 6: what members learn about other users', () => {
    it('members filter, search and sort users only by what they may see', async () => {
      for (const path of [
        `${API}/User/actions/search?filters.email=gra`,
        `${API}/User/actions/search?filters.twoFactorEnabled=false`,
        `${API}/User/actions/search?filters.role=admin`,
        `${API}/User/actions/search/adm?searchProperty=email`,
        `${API}/User/actions/search?sortBy=role`,
        `${API}/User/actions/search?sortBy=lastLoginAt`,
      ]) {
        const res = await asMember.get(path);
        expect([path, res.status]).toEqual([path, 403]);
      }
      const names = await asMember.get(`${API}/User/actions/search/${member.username.slice(0, 4)}`);
      expect(names.status).toBe(200);
      expect(Object.keys(names.body.records[0].params).sort()).toEqual(['fullName', 'id', 'username']);
      const asAdminToo = await asAdmin.get(`${API}/User/actions/search?filters.email=${admin.email}`);
      expect(asAdminToo.status).toBe(200);
      expect(asAdminToo.body.records).toHaveLength(1);
    });
  });

  describe('finding 7: deleted records through back-office filters', () => {
    it('the Communication list, count and page hide what the API hides while the contact is deleted', async () => {
      const manager = await login(t, await createUser(t, Role.Manager));
      const api = { Authorization: `Bearer ${(await login(t, admin)).token}` };
      const contact = (
        await t.http.post('/api/contacts').set(api).send({ firstName: 'Gone', lastName: 'Away' }).expect(201)
      ).body.data;
      const note = (
        await t.http
          .post('/api/communications')
          .set(api)
          .send({ contactId: contact.id, type: 'call', subject: 'Secret terms' })
          .expect(201)
      ).body.data;
      const list = `${API}/Communication/actions/list?filters.contact=${contact.id}`;
      expect((await asMember.get(list)).body.records).toHaveLength(1);

      await t.http.delete(`/api/contacts/${contact.id}`).set(manager.auth).expect(204);
      const fromApi = await t.http.get(`/api/contacts/${contact.id}/communications`).set(api);
      expect(fromApi.body.data ?? []).toHaveLength(0);
      for (const agent of [asMember, asAdmin]) {
        const res = await agent.get(list);
        expect(res.status).toBe(200);
        expect(res.body.records).toEqual([]);
        expect(res.body.meta.total).toBe(0);
        expect(JSON.stringify(res.body)).not.toContain('Secret terms');
        const show = await agent.get(`${API}/Communication/records/${note.id}/show`);
        expect(JSON.stringify(show.body)).not.toContain('Secret terms');
      }
      // A manager may still ask for hidden records, as the API's includeDeleted allows.
      const included = await asAdmin.get(`${list}&filters.deletedRecords=include`);
      expect(included.body.records.map((r: { id: string }) => r.id)).toEqual([note.id]);
    });
  });

  describe('beside the findings', () => {
    it("the answer to a new user's form does not echo the typed password", async () => {
      const res = await asAdmin
        .post(`${API}/User/actions/new`)
        .field('username', `newbie${Date.now()}`)
        .field('email', `newbie${Date.now()}@fund.example`)
        .field('fullName', 'New Bie')
        .field('role', 'member')
        .field('isActive', 'true')
        .field('password', 'Correct-horse-battery-9');
      expect(res.status).toBe(200);
      expect(res.body.record.params.id).toBeDefined();
      expect(JSON.stringify(res.body)).not.toContain('Correct-horse-battery-9');
      const refused = await asAdmin
        .post(`${API}/User/actions/new`)
        .field('username', 'x')
        .field('password', 'Another-secret-pass-7');
      expect(JSON.stringify(refused.body)).not.toContain('Another-secret-pass-7');
    });

    it('every select filter on an enum column answers, by equality', async () => {
      for (const path of [
        'Task/actions/list?filters.status=open',
        'Opportunity/actions/list?filters.stage=lead',
        'Contact/actions/list?filters.contactType=investor',
        'Contact/actions/list?filters.status=active',
        'Communication/actions/list?filters.type=call',
        'Fund/actions/list?filters.status=raising',
        'Organization/actions/list?filters.type=pension',
        'LpProfile/actions/list?filters.investorType=institution',
        'Opportunity/actions/list?filters.stage=castle',
      ]) {
        const res = await asAdmin.get(`${API}/${path}`);
        expect([path, res.status]).toEqual([path, 200]);
      }
    });
  });
});
