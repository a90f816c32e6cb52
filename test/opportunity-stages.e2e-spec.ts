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

  describe('stages', () => {
    it('records each move with from, to, at and by; probability follows the stage unless sent', async () => {
      const opp = await create({ name: 'Pipeline walk', expectedAmount: 1000000 });
      const toMeeting = await moveTo(opp.id, { stage: 'meeting' }, manager).expect(200);
      expect(toMeeting.body.data).toMatchObject({
        stage: 'meeting',
        probability: 35,
        version: 2,
        daysInStage: 0,
      });
      expect(toMeeting.body.data.weightedAmount).toBe(350000);
      const explicit = await moveTo(opp.id, { stage: 'due_diligence', probability: 70 }).expect(200);
      expect(explicit.body.data).toMatchObject({ stage: 'due_diligence', probability: 70 });
      const back = await moveTo(opp.id, { stage: 'outreach' }).expect(200);
      expect(back.body.data.probability).toBe(20);

      const read = await detail(opp.id);
      expect(read.stageHistory.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([
        [null, 'lead'],
        ['lead', 'meeting'],
        ['meeting', 'due_diligence'],
        ['due_diligence', 'outreach'],
      ]);
      expect(read.stageHistory.map((h: { by: { id: string } }) => h.by.id)).toEqual([
        member.id,
        manager.id,
        member.id,
        member.id,
      ]);
      const times = read.stageHistory.map((h: { at: string }) => Date.parse(h.at));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Date.parse(read.stageChangedAt)).toBe(times[3]);
    });

    it('needs a reason to lose, clears it when leaving lost, and refuses the current stage', async () => {
      const opp = await create({ name: 'Losing battle', stage: 'meeting' });
      const noReason = await moveTo(opp.id, { stage: 'lost' }).expect(400);
      expect(noReason.body.details).toEqual([
        { field: 'lostReason', message: 'is required when the stage is lost' },
      ]);
      const lost = await moveTo(opp.id, { stage: 'lost', lostReason: 'Allocation full' }).expect(200);
      expect(lost.body.data).toMatchObject({ stage: 'lost', probability: 0, lostReason: 'Allocation full' });
      const same = await moveTo(opp.id, { stage: 'lost', lostReason: 'Again' }).expect(400);
      expect(same.body.details).toEqual([{ field: 'stage', message: 'is already lost' }]);
      const revived = await moveTo(opp.id, { stage: 'outreach' }).expect(200);
      expect(revived.body.data).toMatchObject({ stage: 'outreach', lostReason: null, probability: 20 });
      const reasonElsewhere = await moveTo(opp.id, { stage: 'meeting', lostReason: 'x' }).expect(400);
      expect(reasonElsewhere.body.details[0].field).toBe('lostReason');
      await expectBadInput(
        (body) => moveTo(opp.id, body),
        [
          [{}, 'stage'],
          [{ stage: 'closed' }, 'stage'],
          [{ stage: 'meeting', probability: 101 }, 'probability'],
          [{ stage: 'meeting', note: 'x' }, 'note'],
        ],
      );
      expect((await detail(opp.id)).stageHistory).toHaveLength(3);
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

    it('computes days in the current stage and per stage visited from the history', async () => {
      const opp = await create({ name: 'Slow burner' });
      await moveTo(opp.id, { stage: 'meeting' }).expect(200);
      await moveTo(opp.id, { stage: 'lead' }).expect(200);
      await moveTo(opp.id, { stage: 'due_diligence' }).expect(200);
      // Spread the four moves over ten days: lead 3 days, meeting 2, lead again 3, due diligence the last 2.
      const conn = t.orm.em.getConnection();
      const rows = await conn.execute<{ id: string }[]>(
        'select id from opportunity_stage_history where opportunity_id = ? order by changed_at',
        [opp.id],
      );
      for (const [i, daysAgo] of [10, 7, 5, 2].entries()) {
        await conn.execute(
          `update opportunity_stage_history set changed_at = now() - make_interval(days => ?) where id = ?`,
          [daysAgo, rows[i].id],
        );
      }
      await conn.execute(
        `update opportunities set stage_changed_at = now() - interval '2 days' where id = ?`,
        [opp.id],
      );

      const read = await detail(opp.id);
      expect(read.daysInStage).toBe(2);
      expect(read.stageHistory.map((h: { days: number }) => h.days)).toEqual([3, 2, 3, 2]);
      expect(read.daysPerStage).toEqual([
        { stage: 'lead', days: 6, visits: 2 },
        { stage: 'meeting', days: 2, visits: 1 },
        { stage: 'due_diligence', days: 2, visits: 1 },
      ]);
      const [listed] = (
        await t.http.get('/api/opportunities?search=Slow%20burner').set(member.auth).expect(200)
      ).body.data;
      expect(listed.daysInStage).toBe(2);
    });
  });

  describe('detail', () => {
    it('shows the latest 50 communications about the opportunity, newest first, with the total', async () => {
      const opp = await create({ name: 'Chatty deal', contactId: dana.id });
      const em = t.orm.em.fork();
      const start = Date.UTC(2025, 0, 1);
      for (let i = 0; i < 55; i++) {
        em.create(Communication, {
          opportunity: opp.id,
          contact: dana.id,
          type: CommunicationType.Call,
          subject: `Call ${i}`,
          communicationDate: new Date(start + i * 3_600_000),
          createdBy: member.id,
        });
      }
      await em.flush();
      const read = await detail(opp.id);
      expect(read.communicationsTotal).toBe(55);
      expect(read.communications).toHaveLength(50);
      expect(read.communications[0]).toMatchObject({
        subject: 'Call 54',
        type: 'call',
        contact: { id: dana.id, name: 'Dana Whitfield' },
        createdBy: { id: member.id, username: member.username },
      });
      expect(read.communications[49].subject).toBe('Call 5');
      const quiet = await detail((await create({ name: 'Quiet deal' })).id);
      expect(quiet).toMatchObject({ communications: [], communicationsTotal: 0 });
    });
  });
});
