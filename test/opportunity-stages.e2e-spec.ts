import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Communication, CommunicationType } from '../src/modules/communications/communication.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import {
  createContact,
  createOpportunity,
  expectBadInput,
  type Opp,
  opportunityDetail,
  UNKNOWN_ID,
} from './helpers/pipeline-fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** The pipeline: stage moves and their history, days in stage, and what an opportunity's detail shows. */
describe('opportunity stages and detail', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let dana: { id: string };

  beforeAll(async () => {
    t = await createTestApp();
    member = await signedIn(t, Role.Member);
    manager = await signedIn(t, Role.Manager);
    dana = await createContact(t, { firstName: 'Dana', lastName: 'Whitfield' });
  });

  afterAll(async () => {
    await t.close();
  });

  const create = (body: Record<string, unknown>): Promise<Opp> => createOpportunity(t, member, body);
  const detail = (id: string) => opportunityDetail(t, member, id);
  const moveTo = (id: string, body: Record<string, unknown>, as: SignedInUser = member) =>
    t.http.patch(`/api/opportunities/${id}/stage`).set(as.auth).send(body);

  // The stage rules (history, probability defaults, lost reason, days per stage, the detail's latest 50
  // communications) are OpportunitiesService's: test/medium/opportunities.medium-spec.ts. Here: the route,
  // its statuses and the shape of the answers.
  describe('stages', () => {
    it('a move answers the opportunity; the detail shows the history and days per stage', async () => {
      const opp = await create({ name: 'Pipeline walk', expectedAmount: 1000000 });
      const toMeeting = await moveTo(opp.id, { stage: 'meeting' }, manager).expect(200);
      expect(toMeeting.body.data).toMatchObject({
        stage: 'meeting',
        probability: 35,
        weightedAmount: 350000,
        version: 2,
        daysInStage: 0,
      });
      const read = await detail(opp.id);
      // The history entry's full shape is pinned in opportunities.e2e-spec.ts.
      expect(read.stageHistory.map((h: { to: string; by: { id: string } }) => [h.to, h.by.id])).toEqual([
        ['lead', member.id],
        ['meeting', manager.id],
      ]);
      expect(read.stageHistory[1].at).toBe(read.stageChangedAt);
      expect(read.daysPerStage).toEqual([
        { stage: 'lead', days: 0, visits: 1 },
        { stage: 'meeting', days: 0, visits: 1 },
      ]);
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const opp = await create({ name: 'Losing battle', stage: 'meeting' });
      const noReason = await moveTo(opp.id, { stage: 'lost' }).expect(400);
      expect(noReason.body.details).toEqual([
        { field: 'lostReason', message: 'is required when the stage is lost' },
      ]);
      await expectBadInput(
        (body) => moveTo(opp.id, body),
        [
          [{}, 'stage'],
          [{ stage: 'closed' }, 'stage'],
          [{ stage: 'meeting' }, 'stage'],
          [{ stage: 'meeting', probability: 101 }, 'probability'],
          [{ stage: 'meeting', note: 'x' }, 'note'],
        ],
      );
    });

    it('refuses a stale version (body or If-Match) with 409; unknown id 404, bad id 400', async () => {
      const opp = await create({ name: 'Versioned move' });
      await moveTo(opp.id, { stage: 'outreach', version: 1 }).expect(200);
      const stale = await moveTo(opp.id, { stage: 'meeting', version: 1 }).expect(409);
      expect(stale.body).toMatchObject({
        code: 'STALE_VERSION',
        details: { currentVersion: 2, sentVersion: 1 },
      });
      await t.http
        .patch(`/api/opportunities/${opp.id}/stage`)
        .set(member.auth)
        .set('If-Match', '"1"')
        .send({ stage: 'meeting' })
        .expect(409);
      await moveTo(UNKNOWN_ID, { stage: 'meeting' }).expect(404);
      const bad = await moveTo('nope', { stage: 'meeting' }).expect(400);
      expect(bad.body.details[0].field).toBe('id');
    });
  });

  describe('detail', () => {
    it('shows the communications about the opportunity with the total', async () => {
      const opp = await create({ name: 'Chatty deal', contactId: dana.id });
      const em = t.orm.em.fork();
      for (const i of [0, 1]) {
        em.create(Communication, {
          opportunity: opp.id,
          contact: dana.id,
          type: CommunicationType.Call,
          subject: `Call ${i}`,
          communicationDate: new Date(Date.UTC(2025, 0, 1, i)),
          createdBy: member.id,
        });
      }
      await em.flush();
      const read = await detail(opp.id);
      expect(read.communicationsTotal).toBe(2);
      expect(read.communications[0]).toMatchObject({
        subject: 'Call 1',
        type: 'call',
        contact: { id: dana.id, name: 'Dana Whitfield' },
        createdBy: { id: member.id, username: member.username },
      });
    });
  });
});
