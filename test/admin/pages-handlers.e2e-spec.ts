import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';

import { Role } from '../../src/common/auth/role.js';
import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Opportunity } from '../../src/modules/opportunities/opportunity.entity.js';
import { type SignedInUser, signedIn } from '../helpers/auth.js';
import { CrmApi } from '../helpers/crm.js';
import { createOpportunity, UNKNOWN_ID } from '../helpers/pipeline-fixtures.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { adminAgent, serve, stageHistory } from './admin-helpers.js';

const pages = '/admin/api/pages';

interface Board {
  columns: {
    stage: string;
    count: number;
    totals: { currency: string; amount: number; count: number }[];
    cards: { id: string; name: string; version: number; daysInStage: number; owner: unknown }[];
  }[];
  funds: { id: string; name: string }[];
  owners: { id: string; fullName: string }[];
}

/**
 * The page handlers behind the pipeline board, duplicates and search (admin/pages/*): they answer what the
 * API answers, write through the same services with the signed-in user's role, and refuse what the API
 * refuses — plus the router's own refusals (no session, another site).
 */
describe('back office pages: handlers and refusals', () => {
  let t: TestApp;
  let base: string;
  let manager: SignedInUser;
  let member: SignedInUser;
  let asManager: TestAgent;
  let asMember: TestAgent;
  let api: CrmApi;
  let fundId: string;

  beforeAll(async () => {
    t = await createTestApp();
    base = await serve(t);
    [manager, member] = await Promise.all([signedIn(t, Role.Manager), signedIn(t, Role.Member)]);
    [asManager, asMember] = await Promise.all([adminAgent(t, manager), adminAgent(t, member)]);
    api = new CrmApi(t, member, manager);
    const fund = await t.http
      .post('/api/funds')
      .set(manager.auth)
      .send({ name: 'Handlers Fund III' })
      .expect(201);
    fundId = fund.body.data.id;
  });

  afterAll(async () => {
    await t.close();
  });

  const board = async (as: TestAgent, query: Record<string, string> = {}): Promise<Board> =>
    (await as.get(`${pages}/pipeline`).query(query).expect(200)).body as Board;

  const move = (as: TestAgent, body: Record<string, unknown>) =>
    as.post(`${pages}/pipeline`).send({ action: 'move', ...body });

  describe('pipeline board', () => {
    it('answers one column per stage with counts, totals per currency, cards and the filter choices', async () => {
      await createOpportunity(t, member, {
        name: 'Board USD deal',
        stage: 'meeting',
        expectedAmount: 2_000_000,
        fundId,
        ownerId: member.id,
      });
      await createOpportunity(t, member, {
        name: 'Board EUR deal',
        stage: 'meeting',
        expectedAmount: 500_000,
        currency: 'EUR',
      });
      await createOpportunity(t, member, { name: 'Board deal without amount', stage: 'meeting' });
      const b = await board(asMember);
      expect(b.columns.map((c) => c.stage)).toEqual([
        'lead',
        'outreach',
        'meeting',
        'due_diligence',
        'committed',
        'funded',
        'lost',
      ]);
      const meeting = b.columns.find((c) => c.stage === 'meeting')!;
      expect(meeting.count).toBe(3);
      expect(meeting.totals).toEqual([
        { currency: 'USD', amount: 2_000_000, count: 2 },
        { currency: 'EUR', amount: 500_000, count: 1 },
      ]);
      expect(meeting.cards.map((c) => c.name).sort()).toEqual([
        'Board EUR deal',
        'Board USD deal',
        'Board deal without amount',
      ]);
      expect(meeting.cards[0]).toMatchObject({ daysInStage: 0, version: expect.any(Number) });
      expect(b.funds).toEqual([{ id: fundId, name: 'Handlers Fund III' }]);
      expect(b.owners).toEqual([{ id: member.id, username: member.username, fullName: expect.any(String) }]);

      const byFund = await board(asMember, { fundId });
      expect(byFund.columns.find((c) => c.stage === 'meeting')!.cards.map((c) => c.name)).toEqual([
        'Board USD deal',
      ]);
      const byOwner = await board(asMember, { ownerId: manager.id });
      expect(byOwner.columns.every((c) => c.count === 0 && c.cards.length === 0)).toBe(true);
    });

    it('moves a card through the service: the history row, the version, and any role like the API', async () => {
      const opp = await createOpportunity(t, member, { name: 'Moved from the board', stage: 'lead' });
      const res = await move(asMember, { id: opp.id, stage: 'outreach', version: opp.version }).expect(200);
      expect(res.body.data).toMatchObject({
        id: opp.id,
        stage: 'outreach',
        probability: 20,
        version: opp.version + 1,
      });
      expect(await stageHistory(t, opp.id)).toEqual([
        [null, 'lead', member.id],
        ['lead', 'outreach', member.id],
      ]);
      const audit = await t.orm.em
        .fork()
        .find(AuditLog, { entityId: opp.id, action: 'stage_change' }, { orderBy: { createdAt: 'asc' } });
      expect(audit.at(-1)).toMatchObject({ source: AuditSource.Admin, actorUserId: member.id });
      expect(audit.at(-1)!.changes).toMatchObject({ stage: { from: 'lead', to: 'outreach' } });
    });

    it('refuses what the API refuses: a stale version, lost without a reason, the same stage, bad fields', async () => {
      const created = await createOpportunity(t, member, { name: 'Refused moves', stage: 'meeting' });
      // Someone else renames it: the version the board read is now stale.
      const renamed = await t.http
        .patch(`/api/opportunities/${created.id}`)
        .set(manager.auth)
        .send({ name: 'Refused moves (renamed)' })
        .expect(200);
      const opp = renamed.body.data as typeof created;
      const stale = await move(asMember, { id: opp.id, stage: 'committed', version: created.version }).expect(
        409,
      );
      expect(stale.body).toMatchObject({ code: 'STALE_VERSION', details: { currentVersion: opp.version } });

      const lost = await move(asMember, { id: opp.id, stage: 'lost', version: opp.version }).expect(400);
      expect(lost.body.details).toEqual([
        { field: 'lostReason', message: 'is required when the stage is lost' },
      ]);
      const same = await move(asMember, { id: opp.id, stage: 'meeting' }).expect(400);
      expect(same.body.details[0].field).toBe('stage');

      for (const [body, field] of [
        [{ id: opp.id, stage: 'won' }, 'stage'],
        [{ id: 'not-an-id', stage: 'lead' }, 'id'],
        [{ id: opp.id, stage: 'lead', version: 'x' }, 'version'],
        [{ id: opp.id, stage: 'lead', ownerId: manager.id }, 'ownerId'],
      ] as const) {
        const res = await move(asMember, body).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      await move(asMember, { id: UNKNOWN_ID, stage: 'lead' }).expect(404);
      const unknown = await asMember.post(`${pages}/pipeline`).send({ action: 'drop' }).expect(400);
      expect(unknown.body.details).toEqual([{ field: 'action', message: 'must be one of: move' }]);
      await asMember.get(`${pages}/pipeline`).query({ fundId: 'nope' }).expect(400);

      const stored = await t.orm.em.fork().findOneOrFail(Opportunity, opp.id);
      expect({ stage: stored.stage, version: stored.version }).toEqual({
        stage: 'meeting',
        version: opp.version,
      });
      expect(await stageHistory(t, opp.id)).toHaveLength(1);
    });

    it('refuses a write from another site, and every page without a session', async () => {
      const opp = await createOpportunity(t, member, { name: 'Cross-site target', stage: 'lead' });
      const cross = await asMember
        .post(`${pages}/pipeline`)
        .set('Origin', 'http://evil.example')
        .send({ action: 'move', id: opp.id, stage: 'lost', lostReason: 'forged' })
        .expect(403);
      expect(cross.body.code).toBe('CROSS_SITE_REQUEST');
      const fetched = await asMember
        .post(`${pages}/pipeline`)
        .set('Sec-Fetch-Site', 'cross-site')
        .send({ action: 'move', id: opp.id, stage: 'lost', lostReason: 'forged' })
        .expect(403);
      expect(fetched.body.code).toBe('CROSS_SITE_REQUEST');
      expect((await t.orm.em.fork().findOneOrFail(Opportunity, opp.id)).stage).toBe('lead');

      const anonymous = request.agent(base).set('Origin', base);
      for (const page of ['pipeline', 'duplicates', 'search']) {
        const res = await anonymous.get(`${pages}/${page}`).query({ q: 'ab' });
        expect({ page, status: res.status, location: res.headers.location }).toEqual({
          page,
          status: 302,
          location: '/admin/login',
        });
      }
      await anonymous
        .post(`${pages}/pipeline`)
        .send({ action: 'move', id: opp.id, stage: 'outreach' })
        .expect(302);
      expect((await t.orm.em.fork().findOneOrFail(Opportunity, opp.id)).stage).toBe('lead');
    });
  });

  describe('duplicates and merge', () => {
    it('lists the API’s groups, shows two contacts side by side, and merges for managers only', async () => {
      const org = await api.organization('Handlers Harbor Foundation');
      const kept = await api.contact({
        firstName: 'Jonathan',
        lastName: 'Whitfield',
        organizationId: org.id,
      });
      const source = await api.contact({
        firstName: 'Jonathon',
        lastName: 'Whitfield',
        email: 'jon@harbor.example',
        organizationId: org.id,
      });
      const fromApi = await t.http.get('/api/contacts/duplicates').set(member.auth).expect(200);
      const fromPage = await asMember.get(`${pages}/duplicates`).expect(200);
      expect(JSON.parse(JSON.stringify(fromPage.body.groups))).toEqual(fromApi.body);

      const pair = await asMember
        .get(`${pages}/duplicates`)
        .query({ left: kept.id, right: source.id })
        .expect(200);
      expect(pair.body.pair.map((c: { id: string }) => c.id)).toEqual([kept.id, source.id]);
      expect(pair.body.pair[1]).toMatchObject({
        email: 'jon@harbor.example',
        communicationsTotal: 0,
        tasks: [],
      });
      const half = await asMember.get(`${pages}/duplicates`).query({ left: kept.id }).expect(400);
      expect(half.body.details[0].field).toBe('right');

      // A member may not merge, in the API or here; nothing changes.
      await t.http
        .post(`/api/contacts/${kept.id}/merge`)
        .set(member.auth)
        .send({ sourceId: source.id })
        .expect(403);
      const refused = await asMember
        .post(`${pages}/duplicates`)
        .send({ action: 'merge', keptId: kept.id, sourceId: source.id })
        .expect(403);
      expect(refused.body).toMatchObject({
        code: 'FORBIDDEN',
        message: 'This requires the role manager or admin',
      });
      expect((await t.orm.em.fork().findOneOrFail(Contact, source.id)).deletedAt).toBeNull();

      const bad = await asManager
        .post(`${pages}/duplicates`)
        .send({ action: 'merge', keptId: kept.id, sourceId: kept.id })
        .expect(400);
      expect(bad.body.details[0].field).toBe('sourceId');
      await asManager
        .post(`${pages}/duplicates`)
        .set('Origin', 'http://evil.example')
        .send({ action: 'merge', keptId: kept.id, sourceId: source.id })
        .expect(403);

      const merged = await asManager
        .post(`${pages}/duplicates`)
        .send({ action: 'merge', keptId: kept.id, sourceId: source.id })
        .expect(200);
      expect(merged.body.data).toMatchObject({ id: kept.id, email: 'jon@harbor.example', deletedAt: null });
      const gone = await t.orm.em.fork().findOneOrFail(Contact, source.id);
      expect(gone.deletedAt).not.toBeNull();
      expect(gone.deletedBy?.id).toBe(manager.id);
      const audit = await t.orm.em.fork().findOneOrFail(AuditLog, { entityId: kept.id, action: 'merge' });
      expect(audit).toMatchObject({
        source: AuditSource.Admin,
        actorUserId: manager.id,
        meta: { sourceId: source.id },
      });
    });
  });

  describe('search', () => {
    it('answers what GET /api/search answers, with its rules for the query', async () => {
      await api.contact({ firstName: 'Grace', lastName: 'Hopperton', email: 'grace@navy.example' });
      const fromApi = await t.http
        .get('/api/search')
        .query({ q: 'hopperton', limit: 5 })
        .set(member.auth)
        .expect(200);
      const fromPage = await asMember
        .get(`${pages}/search`)
        .query({ q: 'hopperton', limit: '5' })
        .expect(200);
      expect(fromPage.body).toEqual(fromApi.body);
      expect(fromPage.body.data[0]).toMatchObject({ type: 'contact', title: 'Grace Hopperton' });

      for (const [query, field] of [
        [{ q: 'a' }, 'q'],
        [{}, 'q'],
        [{ q: 'grace', limit: '500' }, 'limit'],
        [{ q: 'grace', sort: 'x' }, 'sort'],
      ] as const) {
        const res = await asMember.get(`${pages}/search`).query(query).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      const write = await asMember.post(`${pages}/search`).send({ action: 'anything' }).expect(405);
      expect(write.body.code).toBe('METHOD_NOT_ALLOWED');
    });
  });
});
