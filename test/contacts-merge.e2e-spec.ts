import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Communication, CommunicationType } from '../src/modules/communications/communication.entity.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { Fund } from '../src/modules/funds/fund.entity.js';
import { LpProfile } from '../src/modules/lp-profiles/lp-profile.entity.js';
import { Opportunity } from '../src/modules/opportunities/opportunity.entity.js';
import { Task } from '../src/modules/tasks/task.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { CrmApi, UNKNOWN_ID } from './helpers/crm.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { defineTextFields } from './helpers/custom-fields.js';
import { AuditLog } from '../src/modules/audit/audit-log.entity.js';

describe('contacts: merge, bulk actions and duplicates', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let api: CrmApi;

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    api = new CrmApi(t, member, manager);
    await defineTextFields(t, 'contact', ['region', 'tier']);
  });

  afterAll(async () => {
    await t.close();
  });

  const stored = (id: string) => t.orm.em.fork().findOneOrFail(Contact, id, { populate: ['tags'] });

  /** Related rows straight through the ORM: their APIs live in other modules. */
  async function related(contactId: string, fund: Fund | string) {
    const em = t.orm.em.fork();
    const communication = em.create(Communication, {
      contact: contactId,
      type: CommunicationType.Meeting,
      subject: 'Intro meeting',
    });
    const opportunity = em.create(Opportunity, { name: 'Deal', contact: contactId, probability: 10 });
    const task = em.create(Task, { title: 'Follow up', contact: contactId });
    const lp = em.create(LpProfile, { contact: contactId, fund, commitmentAmount: 1_000_000 });
    await em.flush();
    return { communication, opportunity, task, lp };
  }

  async function fund(name: string): Promise<Fund> {
    const em = t.orm.em.fork();
    const f = em.create(Fund, { name });
    await em.flush();
    return f;
  }

  describe('merge', () => {
    it('moves related rows, unites tags, fills empty fields and deletes the source', async () => {
      const org = await api.organization('Atlas Family Office');
      const [t1, t2, t3] = [
        await api.tag('Family Office'),
        await api.tag('Institutional'),
        await api.tag('Re-up'),
      ];
      const kept = await api.contact({
        firstName: 'Kenji',
        lastName: 'Sato',
        phone: '+81 3 0000 0000',
        tagIds: [t1.id, t2.id],
        customFields: { region: 'APAC' },
      });
      const source = await api.contact({
        firstName: 'Ken',
        lastName: 'Sato',
        email: 'ken.sato@atlas.example',
        phone: '+1 555 0199',
        title: 'CIO',
        organizationId: org.id,
        ownerId: manager.id,
        tagIds: [t2.id, t3.id],
        customFields: { region: 'US', tier: 'A' },
      });
      const fundI = await fund('Merge Fund I');
      const moved = await related(source.id, fundI);
      const keptRows = await related(kept.id, await fund('Merge Fund II'));

      await t.http
        .post(`/api/contacts/${kept.id}/merge`)
        .set(member.auth)
        .send({ sourceId: source.id })
        .expect(403);
      const res = await t.http
        .post(`/api/contacts/${kept.id}/merge`)
        .set(manager.auth)
        .send({ sourceId: source.id })
        .expect(200);
      expect(res.body.data).toMatchObject({
        id: kept.id,
        firstName: 'Kenji',
        email: 'ken.sato@atlas.example', // filled
        phone: '+81 3 0000 0000', // never overwritten
        title: 'CIO',
        organization: { id: org.id, name: 'Atlas Family Office' },
        owner: { id: manager.id },
        contactType: 'investor', // it now holds LP profiles
        customFields: { region: 'APAC', tier: 'A' },
        deletedAt: null,
      });
      expect(res.body.data.tags.map((x: { id: string }) => x.id).sort()).toEqual(
        [t1.id, t2.id, t3.id].sort(),
      );

      const em = t.orm.em.fork();
      expect((await em.findOneOrFail(Communication, moved.communication.id)).contact?.id).toBe(kept.id);
      expect((await em.findOneOrFail(Task, moved.task.id)).contact?.id).toBe(kept.id);
      expect((await em.findOneOrFail(LpProfile, moved.lp.id)).contact.id).toBe(kept.id);
      expect((await em.findOneOrFail(Opportunity, moved.opportunity.id)).contact?.id).toBe(kept.id);
      expect((await em.findOneOrFail(Communication, keptRows.communication.id)).contact?.id).toBe(kept.id);
      expect((await em.findOneOrFail(Opportunity, moved.opportunity.id)).version).toBe(2);
      const gone = await stored(source.id);
      expect(gone.deletedAt).not.toBeNull();
      expect(gone.deletedBy?.id).toBe(manager.id);

      const detail = await t.http.get(`/api/contacts/${kept.id}`).set(member.auth).expect(200);
      expect(detail.body.data).toMatchObject({ communicationsTotal: 2 });
      expect(detail.body.data.opportunities).toHaveLength(2);
      expect(detail.body.data.lpProfiles).toHaveLength(2);
      expect(detail.body.data.tasks).toHaveLength(2);

      // The merge, the source's soft delete, the kept contact's filled fields and every moved row are audited.
      const audit = await em.find(AuditLog, {
        entityId: { $in: [kept.id, source.id, moved.communication.id, moved.lp.id] },
      });
      const actions = audit.map((a) => `${a.entityType}:${a.action}`);
      expect(actions).toEqual(
        expect.arrayContaining([
          'contact:merge',
          'contact:soft_delete',
          'communication:update',
          'lp_profile:update',
        ]),
      );
      const merge = audit.find((a) => a.action === 'merge')!;
      expect(merge).toMatchObject({ entityId: kept.id, actorUserId: manager.id, source: 'api' });
      expect(merge.meta).toMatchObject({
        sourceId: source.id,
        moved: { communication: [moved.communication.id], lp_profile: [moved.lp.id] },
      });
      const movedRow = audit.find((a) => a.entityId === moved.communication.id && a.action === 'update')!;
      expect(movedRow.changes).toEqual({ contact: { from: source.id, to: kept.id } });
    });

    it('refuses with 409 MERGE_CONFLICT naming the fund when both have an LP profile in it, changing nothing', async () => {
      const shared = await fund('Conflict Fund I');
      const kept = await api.contact({ firstName: 'Ingrid', lastName: 'Berg' });
      const source = await api.contact({ firstName: 'Ingrid', lastName: 'Bergh', email: 'ib@x.example' });
      await related(kept.id, shared);
      const sourceRows = await related(source.id, shared);

      const res = await t.http
        .post(`/api/contacts/${kept.id}/merge`)
        .set(manager.auth)
        .send({ sourceId: source.id })
        .expect(409);
      expect(res.body).toMatchObject({
        code: 'MERGE_CONFLICT',
        details: { funds: [{ id: shared.id, name: 'Conflict Fund I' }] },
      });
      expect(res.body.message).toContain('Conflict Fund I');
      const em = t.orm.em.fork();
      expect((await em.findOneOrFail(Communication, sourceRows.communication.id)).contact?.id).toBe(
        source.id,
      );
      expect((await em.findOneOrFail(Opportunity, sourceRows.opportunity.id)).contact?.id).toBe(source.id);
      expect((await stored(source.id)).deletedAt ?? null).toBeNull();
      expect((await stored(kept.id)).email ?? null).toBeNull();
    });

    it('answers 400 for the same id, a deleted or missing source, a deleted kept contact; 404 for a missing one', async () => {
      const a = await api.contact({ firstName: 'Merge', lastName: 'A' });
      const b = await api.contact({ firstName: 'Merge', lastName: 'B' });
      await t.http.delete(`/api/contacts/${b.id}`).set(manager.auth).expect(204);
      const cases: [string, unknown, number, string][] = [
        [a.id, { sourceId: a.id }, 400, 'sourceId'],
        [a.id, { sourceId: b.id }, 400, 'sourceId'],
        [a.id, { sourceId: UNKNOWN_ID }, 400, 'sourceId'],
        [a.id, { sourceId: 'nope' }, 400, 'sourceId'],
        [a.id, {}, 400, 'sourceId'],
        [a.id, { sourceId: b.id, extra: 1 }, 400, 'extra'],
        [b.id, { sourceId: a.id }, 400, 'id'],
        ['123', { sourceId: a.id }, 400, 'id'],
      ];
      for (const [id, body, status, field] of cases) {
        const res = await t.http
          .post(`/api/contacts/${id}/merge`)
          .set(manager.auth)
          .send(body as object);
        expect({ id, body, status: res.status }).toEqual({ id, body, status });
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      await t.http
        .post(`/api/contacts/${UNKNOWN_ID}/merge`)
        .set(manager.auth)
        .send({ sourceId: a.id })
        .expect(404);
      expect((await stored(a.id)).deletedAt ?? null).toBeNull();
    });
  });

  describe('bulk', () => {
    it('tags, untags, assigns, unassigns and deletes', async () => {
      const [tagA, tagB] = [await api.tag('Bulk A'), await api.tag('Bulk B')];
      const c1 = await api.contact({ firstName: 'Bulk', lastName: 'One', tagIds: [tagA.id] });
      const c2 = await api.contact({ firstName: 'Bulk', lastName: 'Two' });
      const ids = [c1.id, c2.id];
      const bulk = (body: Record<string, unknown>) =>
        t.http.post('/api/contacts/bulk').set(manager.auth).send(body);

      const tagged = await bulk({ ids: [...ids, c1.id], action: 'tag', tagIds: [tagA.id, tagB.id] }).expect(
        200,
      );
      expect(tagged.body).toEqual({ data: { action: 'tag', affected: 2 } });
      for (const id of ids) {
        expect(
          (await stored(id)).tags
            .getItems()
            .map((x) => x.id)
            .sort(),
        ).toEqual([tagA.id, tagB.id].sort());
      }
      await bulk({ ids, action: 'untag', tagIds: [tagA.id] }).expect(200);
      for (const id of ids) expect((await stored(id)).tags.getItems().map((x) => x.id)).toEqual([tagB.id]);

      const assigned = await bulk({ ids, action: 'assign', ownerId: member.id }).expect(200);
      expect(assigned.body.data).toEqual({ action: 'assign', affected: 2 });
      for (const id of ids) expect((await stored(id)).owner?.id).toBe(member.id);
      await bulk({ ids, action: 'assign', ownerId: null }).expect(200);
      for (const id of ids) expect((await stored(id)).owner ?? null).toBeNull();

      await bulk({ ids, action: 'delete' }).expect(200);
      for (const id of ids) {
        const row = await stored(id);
        expect(row.deletedAt).not.toBeNull();
        expect(row.deletedBy?.id).toBe(manager.id);
      }
    });

    it('changes nothing and lists the bad ids when one is unknown or deleted', async () => {
      const tag = await api.tag('Bulk None');
      const live = await api.contact({ firstName: 'Bulk', lastName: 'Live' });
      const deleted = await api.contact({ firstName: 'Bulk', lastName: 'Deleted' });
      await t.http.delete(`/api/contacts/${deleted.id}`).set(manager.auth).expect(204);
      for (const action of ['tag', 'assign', 'delete']) {
        const body = {
          ids: [live.id, deleted.id, UNKNOWN_ID],
          action,
          tagIds: action === 'tag' ? [tag.id] : undefined,
          ownerId: action === 'assign' ? manager.id : undefined,
        };
        const res = await t.http.post('/api/contacts/bulk').set(manager.auth).send(body).expect(400);
        expect(res.body.details).toEqual([
          expect.objectContaining({ field: 'ids', ids: expect.arrayContaining([deleted.id, UNKNOWN_ID]) }),
        ]);
        expect(res.body.details[0].ids).toHaveLength(2);
      }
      const row = await stored(live.id);
      expect(row).toMatchObject({ deletedAt: null, version: 1 });
      expect(row.owner ?? null).toBeNull();
      expect(row.tags.getItems()).toEqual([]);
    });

    it('is for managers, and refuses bad input with a 400 naming the field', async () => {
      const c = await api.contact({ firstName: 'Bulk', lastName: 'Rules' });
      await t.http
        .post('/api/contacts/bulk')
        .set(member.auth)
        .send({ ids: [c.id], action: 'delete' })
        .expect(403);
      const cases: [Record<string, unknown>, string][] = [
        [{ action: 'delete' }, 'ids'],
        [{ ids: [], action: 'delete' }, 'ids'],
        [{ ids: Array.from({ length: 501 }, () => c.id), action: 'delete' }, 'ids'],
        [{ ids: ['nope'], action: 'delete' }, 'ids'],
        [{ ids: [c.id] }, 'action'],
        [{ ids: [c.id], action: 'explode' }, 'action'],
        [{ ids: [c.id], action: 'tag' }, 'tagIds'],
        [{ ids: [c.id], action: 'untag', tagIds: [] }, 'tagIds'],
        [{ ids: [c.id], action: 'tag', tagIds: [UNKNOWN_ID] }, 'tagIds'],
        [{ ids: [c.id], action: 'tag', tagIds: ['x'] }, 'tagIds'],
        [{ ids: [c.id], action: 'delete', tagIds: [UNKNOWN_ID] }, 'tagIds'],
        [{ ids: [c.id], action: 'assign' }, 'ownerId'],
        [{ ids: [c.id], action: 'assign', ownerId: 'x' }, 'ownerId'],
        [{ ids: [c.id], action: 'assign', ownerId: UNKNOWN_ID }, 'ownerId'],
        [{ ids: [c.id], action: 'delete', ownerId: null }, 'ownerId'],
        [{ ids: [c.id], action: 'delete', why: 'because' }, 'why'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http.post('/api/contacts/bulk').set(manager.auth).send(body);
        expect({ body: JSON.stringify(body).slice(0, 80), status: res.status }).toEqual({
          body: JSON.stringify(body).slice(0, 80),
          status: 400,
        });
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      expect((await stored(c.id)).deletedAt ?? null).toBeNull();
    });
  });

  describe('duplicates', () => {
    it('groups similar names within one organization, never across organizations or with deleted ones', async () => {
      const harbor = await api.organization('Blue Harbor Foundation');
      const other = await api.organization('Summit Insurance Group');
      const jon = await api.contact({
        firstName: 'Jonathan',
        lastName: 'Whitfield',
        organizationId: harbor.id,
      });
      const john = await api.contact({
        firstName: 'Jonathon',
        lastName: 'Whitfield',
        organizationId: harbor.id,
      });
      const chained = await api.contact({
        firstName: 'Jonathon',
        lastName: 'Whitfeld',
        organizationId: harbor.id,
      });
      await api.contact({ firstName: 'Maria', lastName: 'Lopez', organizationId: harbor.id });
      await api.contact({ firstName: 'Jonathan', lastName: 'Whitfield', organizationId: other.id });
      const deleted = await api.contact({
        firstName: 'Maria',
        lastName: 'Lopes',
        organizationId: harbor.id,
      });
      await t.http.delete(`/api/contacts/${deleted.id}`).set(manager.auth).expect(204);

      const res = await t.http.get('/api/contacts/duplicates').set(member.auth).expect(200);
      expect(res.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
      const [group] = res.body.data;
      expect(group).toMatchObject({
        reason: 'similar_name',
        explanation: expect.stringContaining('Blue Harbor Foundation'),
        similarity: expect.any(Number),
      });
      expect(group.similarity).toBeGreaterThan(0.6);
      expect(group.contacts.map((c: { id: string }) => c.id)).toEqual([jon.id, john.id, chained.id]);
      expect(group.contacts[0]).toEqual({
        id: jon.id,
        firstName: 'Jonathan',
        lastName: 'Whitfield',
        email: null,
        organization: { id: harbor.id, name: 'Blue Harbor Foundation' },
        createdAt: expect.any(String),
      });
    });

    it('groups live contacts sharing an email ignoring case (rows the unique index never saw), and pages', async () => {
      // Simulates data from before the unique index: drop it, write the rows, put it back afterwards.
      const em = t.orm.em.fork();
      const conn = em.getConnection();
      await conn.execute('drop index contacts_email_lower_unique');
      try {
        await conn.execute(
          `insert into contacts (first_name, last_name, email, created_at) values
             ('Old', 'Import', 'dup@legacy.example', '2020-01-01'),
             ('Old', 'Import2', 'DUP@Legacy.example', '2021-01-01')`,
        );
        const all = await t.http.get('/api/contacts/duplicates').set(member.auth).expect(200);
        expect(all.body.total).toBe(2);
        expect(all.body.data[0]).toMatchObject({
          reason: 'same_email',
          explanation: expect.stringContaining('dup@legacy.example'),
          similarity: null,
          contacts: [{ lastName: 'Import' }, { lastName: 'Import2' }],
        });
        const second = await t.http
          .get('/api/contacts/duplicates?limit=1&offset=1')
          .set(member.auth)
          .expect(200);
        expect(second.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
        expect(second.body.data).toEqual([all.body.data[1]]);
        await t.http.get('/api/contacts/duplicates?limit=500').set(member.auth).expect(400);
      } finally {
        await conn.execute(`update contacts set deleted_at = now() where email ilike 'dup@legacy.example'`);
        await conn.execute(
          'create unique index contacts_email_lower_unique on contacts (lower(email)) where deleted_at is null and email is not null',
        );
      }
    });
  });
});
