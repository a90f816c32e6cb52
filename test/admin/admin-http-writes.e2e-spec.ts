import { describe, expect, it } from '@jest/globals';

import { Role } from '../../src/common/auth/role.js';
import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { Opportunity } from '../../src/modules/opportunities/opportunity.entity.js';
import { Organization } from '../../src/modules/organizations/organization.entity.js';
import { Task } from '../../src/modules/tasks/task.entity.js';
import { createUser, login } from '../helpers/auth.js';
import { suiteTestApp } from '../helpers/test-app.js';
import { adminAgent, createOrganization, stageHistory, RESOURCES_API as api } from './admin-helpers.js';

describe('back office over HTTP: form writes, fundraising, activity and API tokens', () => {
  const t = suiteTestApp();

  const newOrg = (name: string) => createOrganization(t, name);

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
});
