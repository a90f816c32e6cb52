import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { Organization } from '../src/modules/organizations/organization.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('organizations and tags', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
  });

  afterAll(async () => {
    await t.close();
  });

  const createOrg = async (body: Record<string, unknown>) =>
    (await t.http.post('/api/organizations').set(member.auth).send(body).expect(201)).body.data;

  describe('tags', () => {
    it('managers create tags; names are unique ignoring case; members may only read', async () => {
      const created = await t.http
        .post('/api/tags')
        .set(manager.auth)
        .send({ name: 'Institutional', color: '#1d4ed8' })
        .expect(201);
      expect(created.body.data).toMatchObject({
        name: 'Institutional',
        color: '#1d4ed8',
        contactCount: 0,
        organizationCount: 0,
      });
      const dup = await t.http
        .post('/api/tags')
        .set(manager.auth)
        .send({ name: 'institutional' })
        .expect(409);
      expect(dup.body).toMatchObject({ code: 'TAG_EXISTS', details: [{ field: 'name' }] });
      await t.http.post('/api/tags').set(member.auth).send({ name: 'Nope' }).expect(403);
      const bad = await t.http
        .post('/api/tags')
        .set(manager.auth)
        .send({ name: 'x', color: 'blue' })
        .expect(400);
      expect(bad.body.details).toEqual([{ field: 'color', message: 'must be a colour as #rrggbb' }]);
      await t.http
        .get('/api/tags?search=INSTITU')
        .set(member.auth)
        .expect(200)
        .expect((res) => expect(res.body.total).toBe(1));
    });
  });

  describe('organizations', () => {
    it('creates with defaults, trims text and answers version 1', async () => {
      const org = await createOrg({
        name: '  Redwood Endowment ',
        city: ' ',
        website: 'https://redwood.example',
      });
      expect(org).toMatchObject({
        name: 'Redwood Endowment',
        type: 'other',
        city: null,
        website: 'https://redwood.example',
        version: 1,
        tags: [],
        deletedAt: null,
      });
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'name'],
        [{ name: '   ' }, 'name'],
        [{ name: 'x'.repeat(201) }, 'name'],
        [{ name: 'A', type: 'hedge_fund' }, 'type'],
        [{ name: 'A', email: 'not-an-email' }, 'email'],
        [{ name: 'A', website: 'javascript:alert(1)' }, 'website'],
        [{ name: 'A', tagIds: ['nope'] }, 'tagIds'],
        [{ name: 'A', tagIds: ['00000000-0000-4000-8000-000000000000'] }, 'tagIds'],
        [{ name: 'A', favouriteColour: 'blue' }, 'favouriteColour'],
        [{ name: 123 }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http.post('/api/organizations').set(member.auth).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
        expect(res.body.message).toContain(field);
      }
    });

    it('lists with the query parsed and the page shape; 400 naming a bad parameter', async () => {
      const { body: tag } = await t.http
        .post('/api/tags')
        .set(manager.auth)
        .send({ name: 'Pension LPs' })
        .expect(201);
      await createOrg({ name: 'Northeast Pension Fund', type: 'pension', tagIds: [tag.data.id] });
      await createOrg({ name: 'Pacific Capital Partners', type: 'fund_of_funds' });
      await createOrg({ name: 'Atlas Family Office', type: 'family_office' });

      // Which organizations a filter or sort selects: organizations.medium-spec.ts. Here the query is parsed.
      const byTag = await t.http
        .get(`/api/organizations?tag=${tag.data.id}&type=pension&search=PENSION`)
        .set(member.auth)
        .expect(200);
      expect(byTag.body.data.map((o: { name: string }) => o.name)).toEqual(['Northeast Pension Fund']);
      expect(byTag.body.data[0].tags).toEqual([{ id: tag.data.id, name: 'Pension LPs', color: '#64748b' }]);
      const sorted = await t.http
        .get('/api/organizations?sort=name&order=desc&limit=2&offset=1')
        .set(member.auth)
        .expect(200);
      expect(sorted.body).toMatchObject({ limit: 2, offset: 1 });
      const names = sorted.body.data.map((o: { name: string }) => o.name);
      expect(names).toEqual([...names].sort().reverse());

      for (const bad of [
        'sort=password',
        'order=sideways',
        'limit=201',
        'limit=0',
        'offset=-1',
        'type=bank2',
        'tag=abc',
        'includeDeleted=maybe',
      ]) {
        const res = await t.http.get(`/api/organizations?${bad}`).set(member.auth).expect(400);
        expect(res.body.details[0].field).toBe(bad.split('=')[0]);
      }
    });

    it('shows one organization with its contacts and opportunities; 404 and 400 for unknown or bad ids', async () => {
      const org = await createOrg({ name: 'Summit Insurance Group', type: 'insurance' });
      const em = t.orm.em.fork();
      em.create(Contact, {
        firstName: 'Dana',
        lastName: 'Ruiz',
        organization: org.id,
        email: 'dana@summit.example',
      });
      em.create(Contact, {
        firstName: 'Gone',
        lastName: 'Away',
        organization: org.id,
        deletedAt: new Date(),
      });
      await em.flush();
      const detail = await t.http.get(`/api/organizations/${org.id}`).set(member.auth).expect(200);
      expect(detail.body.data.contacts).toEqual([
        expect.objectContaining({ firstName: 'Dana', lastName: 'Ruiz', email: 'dana@summit.example' }),
      ]);
      expect(detail.body.data.opportunities).toEqual([]);
      await t.http
        .get('/api/organizations/00000000-0000-4000-8000-000000000000')
        .set(member.auth)
        .expect(404);
      const bad = await t.http.get('/api/organizations/123').set(member.auth).expect(400);
      expect(bad.body.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    });

    it('PUT replaces the whole record, PATCH only what is sent; null clears', async () => {
      const org = await createOrg({
        name: 'Cascade Wealth',
        city: 'Seattle',
        country: 'USA',
        industry: 'Wealth',
      });
      const put = await t.http
        .put(`/api/organizations/${org.id}`)
        .set(member.auth)
        .send({ name: 'Cascade Wealth Management', city: 'Portland' })
        .expect(200);
      expect(put.body.data).toMatchObject({
        name: 'Cascade Wealth Management',
        city: 'Portland',
        country: null,
        industry: null,
        version: 2,
      });
      const patch = await t.http
        .patch(`/api/organizations/${org.id}`)
        .set(member.auth)
        .send({ country: 'USA', city: null })
        .expect(200);
      expect(patch.body.data).toMatchObject({
        name: 'Cascade Wealth Management',
        city: null,
        country: 'USA',
        version: 3,
      });
      const nullName = await t.http
        .patch(`/api/organizations/${org.id}`)
        .set(member.auth)
        .send({ name: null })
        .expect(400);
      expect(nullName.body.details[0].field).toBe('name');
    });

    it('refuses a stale version with 409 and the current version (body or If-Match)', async () => {
      const org = await createOrg({ name: 'Blue Harbor Foundation' });
      await t.http
        .patch(`/api/organizations/${org.id}`)
        .set(member.auth)
        .send({ city: 'Boston', version: 1 })
        .expect(200);
      const stale = await t.http
        .patch(`/api/organizations/${org.id}`)
        .set(member.auth)
        .send({ city: 'Austin', version: 1 })
        .expect(409);
      expect(stale.body).toMatchObject({
        statusCode: 409,
        code: 'STALE_VERSION',
        details: { currentVersion: 2, sentVersion: 1 },
      });
      await t.http
        .patch(`/api/organizations/${org.id}`)
        .set(member.auth)
        .set('If-Match', '"1"')
        .send({ city: 'Austin' })
        .expect(409);
      await t.http
        .patch(`/api/organizations/${org.id}`)
        .set(member.auth)
        .set('If-Match', 'W/"2"')
        .send({ city: 'Austin' })
        .expect(200);
      await t.http
        .put(`/api/organizations/${org.id}`)
        .set(member.auth)
        .send({ name: 'Blue Harbor Foundation', version: 2 })
        .expect(409);
      const current = await t.orm.em.fork().findOneOrFail(Organization, org.id);
      expect(current.city).toBe('Austin');
    });

    it('deletes softly (managers), hides from lists, and restores', async () => {
      const org = await createOrg({ name: 'Sovereign Wealth Holdings', type: 'sovereign_wealth' });
      await t.http.delete(`/api/organizations/${org.id}`).set(member.auth).expect(403);
      await t.http.delete(`/api/organizations/${org.id}`).set(manager.auth).expect(204);
      await t.http.get(`/api/organizations/${org.id}`).set(manager.auth).expect(404);
      const hidden = await t.http.get('/api/organizations?search=Sovereign').set(manager.auth).expect(200);
      expect(hidden.body.total).toBe(0);
      await t.http
        .get('/api/organizations?search=Sovereign&includeDeleted=true')
        .set(member.auth)
        .expect(403);
      const shown = await t.http
        .get('/api/organizations?search=Sovereign&includeDeleted=true')
        .set(manager.auth)
        .expect(200);
      expect(shown.body.data[0]).toMatchObject({ id: org.id, deletedAt: expect.any(String) });
      const stored = await t.orm.em.fork().findOneOrFail(Organization, org.id);
      expect(stored.deletedBy?.id).toBe(manager.id);
      await t.http.post(`/api/organizations/${org.id}/restore`).set(member.auth).expect(403);
      const restored = await t.http
        .post(`/api/organizations/${org.id}/restore`)
        .set(manager.auth)
        .expect(200);
      expect(restored.body.data.deletedAt).toBeNull();
      await t.http.get(`/api/organizations/${org.id}`).set(member.auth).expect(200);
    });

    it('counts tagged organizations per tag, and deleting a tag untags them', async () => {
      const { body: tag } = await t.http
        .post('/api/tags')
        .set(manager.auth)
        .send({ name: 'Re-up Target' })
        .expect(201);
      const org = await createOrg({ name: 'Tagged Org', tagIds: [tag.data.id] });
      const counted = await t.http.get(`/api/tags/${tag.data.id}`).set(member.auth).expect(200);
      expect(counted.body.data.organizationCount).toBe(1);
      await t.http.delete(`/api/tags/${tag.data.id}`).set(manager.auth).expect(204);
      const after = await t.http.get(`/api/organizations/${org.id}`).set(member.auth).expect(200);
      expect(after.body.data.tags).toEqual([]);
    });
  });
});
