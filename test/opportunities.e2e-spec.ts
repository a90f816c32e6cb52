import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import {
  createContact,
  createFund,
  createOpportunity,
  createOrganization,
  expectBadInput,
  type Opp,
  opportunityDetail,
  UNKNOWN_ID,
} from './helpers/pipeline-fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('opportunities', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let fund: { id: string; name: string };
  let org: { id: string };
  let dana: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    fund = await createFund(t, manager, { name: 'Fund II' });
    org = await createOrganization(t, member, 'Redwood Endowment');
    dana = await createContact(t, {
      firstName: 'Dana',
      lastName: 'Whitfield',
      email: 'dana.w@redwood.example',
      organization: org.id,
    });
  });

  afterAll(async () => {
    await t.close();
  });

  const create = (body: Record<string, unknown>): Promise<Opp> => createOpportunity(t, member, body);
  const detail = (id: string) => opportunityDetail(t, member, id);
  const moveTo = (id: string, body: Record<string, unknown>, as: SignedInUser = member) =>
    t.http.patch(`/api/opportunities/${id}/stage`).set(as.auth).send(body);

  describe('create', () => {
    it('applies defaults: stage lead, its probability, the caller as owner; records the first stage', async () => {
      const opp = await create({
        name: ' Redwood — Fund II ',
        contactId: dana.id,
        organizationId: org.id,
        fundId: fund.id,
        expectedAmount: 2500000.5,
        expectedCloseDate: '2026-06-30',
      });
      expect(opp).toMatchObject({
        name: 'Redwood — Fund II',
        stage: 'lead',
        probability: 10,
        weightedAmount: 250000.05,
        daysInStage: 0,
        currency: 'USD',
        priority: 'medium',
        lostReason: null,
        expectedCloseDate: '2026-06-30',
        contact: { id: dana.id, name: 'Dana Whitfield' },
        organization: { id: org.id, name: 'Redwood Endowment' },
        fund: { id: fund.id, name: 'Fund II' },
        owner: { id: member.id, username: member.username },
        version: 1,
        deletedAt: null,
      });
      const read = await detail(opp.id);
      expect(read.stageHistory).toEqual([
        {
          from: null,
          to: 'lead',
          at: expect.any(String),
          by: expect.objectContaining({ id: member.id }),
          days: 0,
        },
      ]);
      expect(read.daysPerStage).toEqual([{ stage: 'lead', days: 0, visits: 1 }]);
    });

    it('refuses bad input with a 400 naming the field', async () => {
      // Field syntax here; which references and lost reasons the service refuses: opportunities.medium-spec.ts.
      await expectBadInput(
        (body) => t.http.post('/api/opportunities').set(member.auth).send(body),
        [
          [{}, 'name'],
          [{ name: ' ' }, 'name'],
          [{ name: 'A', stage: 'won' }, 'stage'],
          [{ name: 'A', priority: 'urgent' }, 'priority'],
          [{ name: 'A', expectedAmount: -5 }, 'expectedAmount'],
          [{ name: 'A', expectedAmount: 10.005 }, 'expectedAmount'],
          [{ name: 'A', expectedAmount: '1,000' }, 'expectedAmount'],
          [{ name: 'A', commitmentAmount: -0.01 }, 'commitmentAmount'],
          [{ name: 'A', probability: 101 }, 'probability'],
          [{ name: 'A', probability: -1 }, 'probability'],
          [{ name: 'A', probability: 12.5 }, 'probability'],
          [{ name: 'A', expectedCloseDate: '2024-02-30' }, 'expectedCloseDate'],
          [{ name: 'A', expectedCloseDate: '30/06/2026' }, 'expectedCloseDate'],
          [{ name: 'A', currency: 'dollars' }, 'currency'],
          [{ name: 'A', contactId: 'dana' }, 'contactId'],
          [{ name: 'A', stage: 'lost', lostReason: '  ' }, 'lostReason'],
          [{ name: 'A', customFields: 'x' }, 'customFields'],
          [{ name: 'A', amount: 5 }, 'amount'],
        ],
      );
      const res = await t.http
        .post('/api/opportunities')
        .set(member.auth)
        .send({ name: 'A', contactId: UNKNOWN_ID });
      expect(res.body.details).toEqual([
        { field: 'contactId', message: `no live contact with id ${UNKNOWN_ID}` },
      ]);
    });
  });

  describe('detail', () => {
    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      await t.http.get(`/api/opportunities/${UNKNOWN_ID}`).set(member.auth).expect(404);
      await t.http.patch(`/api/opportunities/${UNKNOWN_ID}`).set(member.auth).send({ name: 'x' }).expect(404);
      await t.http.put(`/api/opportunities/${UNKNOWN_ID}`).set(member.auth).send({ name: 'x' }).expect(404);
      const bad = await t.http.get('/api/opportunities/42').set(member.auth).expect(400);
      expect(bad.body.details).toEqual([{ field: 'id', message: 'must be a UUID' }]);
    });
  });

  describe('update', () => {
    // PATCH/PUT semantics (what is kept, cleared, moved) are the service's: opportunities.medium-spec.ts.
    it('PATCH and PUT answer the opportunity; 400 naming the field', async () => {
      const opp = await create({ name: 'Patch me', contactId: dana.id, expectedAmount: 100 });
      const patched = await t.http
        .patch(`/api/opportunities/${opp.id}`)
        .set(member.auth)
        .send({ nextStep: 'Send deck', stage: 'committed' })
        .expect(200);
      expect(patched.body.data).toMatchObject({
        name: 'Patch me',
        nextStep: 'Send deck',
        contact: { id: dana.id },
        stage: 'committed',
        probability: 90,
        version: 2,
      });
      await expectBadInput(
        (body) => t.http.patch(`/api/opportunities/${opp.id}`).set(member.auth).send(body),
        [
          [{ name: null }, 'name'],
          [{ stage: 'lost' }, 'lostReason'],
          [{ probability: 101 }, 'probability'],
          [{ expectedCloseDate: '2024-02-30' }, 'expectedCloseDate'],
        ],
      );
      const put = await t.http
        .put(`/api/opportunities/${opp.id}`)
        .set(member.auth)
        .send({ name: 'Put me', fundId: fund.id })
        .expect(200);
      expect(put.body.data).toMatchObject({
        name: 'Put me',
        stage: 'committed',
        contact: null,
        fund: { id: fund.id },
        version: 3,
      });
      await t.http.put(`/api/opportunities/${opp.id}`).set(member.auth).send({}).expect(400);
    });

    it('refuses a stale version with 409 and the current version (body or If-Match)', async () => {
      const opp = await create({ name: 'Contended' });
      await t.http
        .patch(`/api/opportunities/${opp.id}`)
        .set(member.auth)
        .send({ nextStep: 'A', version: 1 })
        .expect(200);
      const stale = await t.http
        .patch(`/api/opportunities/${opp.id}`)
        .set(member.auth)
        .send({ nextStep: 'B', version: 1 })
        .expect(409);
      expect(stale.body).toMatchObject({
        code: 'STALE_VERSION',
        details: { currentVersion: 2, sentVersion: 1 },
      });
      await t.http
        .put(`/api/opportunities/${opp.id}`)
        .set(member.auth)
        .set('If-Match', 'W/"1"')
        .send({ name: 'Contended' })
        .expect(409);
      await t.http
        .patch(`/api/opportunities/${opp.id}`)
        .set(member.auth)
        .set('If-Match', '"2"')
        .send({ nextStep: 'C' })
        .expect(200);
      expect((await detail(opp.id)).nextStep).toBe('C');
    });
  });

  it('documents the pipeline routes in the OpenAPI document', async () => {
    const doc = await t.http.get('/api/docs-json').expect(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/opportunities',
        '/api/opportunities/{id}',
        '/api/opportunities/{id}/stage',
        '/api/opportunities/{id}/restore',
        '/api/funds',
        '/api/funds/{id}',
        '/api/lp-profiles',
        '/api/lp-profiles/{id}',
      ]),
    );
    const stage = doc.body.paths['/api/opportunities/{id}/stage'].patch;
    expect(stage.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['id', 'If-Match']),
    );
  });

  describe('delete and restore', () => {
    it('deletes softly (managers only), hides it, and restores it', async () => {
      const opp = await create({ name: 'Disposable deal', fundId: fund.id });
      await t.http.delete(`/api/opportunities/${opp.id}`).set(member.auth).expect(403);
      await t.http.delete(`/api/opportunities/${opp.id}`).set(manager.auth).expect(204);
      await t.http.get(`/api/opportunities/${opp.id}`).set(manager.auth).expect(404);
      await moveTo(opp.id, { stage: 'meeting' }).expect(404);
      const hidden = await t.http.get('/api/opportunities?search=Disposable').set(manager.auth).expect(200);
      expect(hidden.body.total).toBe(0);
      await t.http
        .get('/api/opportunities?search=Disposable&includeDeleted=true')
        .set(member.auth)
        .expect(403);
      await t.http.get(`/api/opportunities/${opp.id}?includeDeleted=true`).set(member.auth).expect(403);
      const shown = await t.http
        .get('/api/opportunities?search=Disposable&includeDeleted=true')
        .set(manager.auth)
        .expect(200);
      expect(shown.body.data[0]).toMatchObject({ id: opp.id, deletedAt: expect.any(String) });
      const deletedDetail = await t.http
        .get(`/api/opportunities/${opp.id}?includeDeleted=true`)
        .set(manager.auth)
        .expect(200);
      expect(deletedDetail.body.data.stageHistory).toHaveLength(1);
      await t.http.post(`/api/opportunities/${opp.id}/restore`).set(member.auth).expect(403);
      const restored = await t.http
        .post(`/api/opportunities/${opp.id}/restore`)
        .set(manager.auth)
        .expect(200);
      expect(restored.body.data).toMatchObject({ id: opp.id, deletedAt: null, fund: { id: fund.id } });
      await t.http.get(`/api/opportunities/${opp.id}`).set(member.auth).expect(200);
      await t.http.post(`/api/opportunities/${UNKNOWN_ID}/restore`).set(manager.auth).expect(404);
    });
  });
});
