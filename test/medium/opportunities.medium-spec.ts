import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { ValidationError } from '../../src/common/errors/index.js';
import {
  communicationFactory,
  contactFactory,
  fundFactory,
  organizationFactory,
} from '../../src/database/factories/index.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { CommunicationType } from '../../src/modules/communications/communication.entity.js';
import { ListOpportunitiesQueryDto } from '../../src/modules/opportunities/dto/opportunity.dto.js';
import { OpportunitiesModule } from '../../src/modules/opportunities/opportunities.module.js';
import { OpportunitiesService } from '../../src/modules/opportunities/opportunities.service.js';
import { OpportunityStageChange } from '../../src/modules/opportunities/opportunity-stage-change.entity.js';
import { Opportunity, OpportunityStage } from '../../src/modules/opportunities/opportunity.entity.js';
import { createMediumModule, type MediumModule, refusal, UNKNOWN_ID } from '../helpers/medium.js';

describe('OpportunitiesService on PostgreSQL', () => {
  let m: MediumModule;
  let service: OpportunitiesService;
  let member: AuthUser;
  let manager: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(OpportunitiesModule);
    service = m.module.get(OpportunitiesService);
    [member, manager] = await Promise.all([m.user(Role.Member), m.user(Role.Manager)]);
  });
  afterAll(() => m.close());

  const history = (id: string) =>
    m.em().find(OpportunityStageChange, { opportunity: id }, { orderBy: { changedAt: 'asc', id: 'asc' } });
  const create = (body: Parameters<OpportunitiesService['create']>[0]) =>
    m.as(member, () => service.create(body, member));

  it('creates with the stage default probability, the caller as owner, a first history row and an audit row', async () => {
    const opp = await create({
      name: 'Redwood — Fund II',
      stage: OpportunityStage.Meeting,
      expectedAmount: 1_000_000,
    });
    expect(opp).toMatchObject({
      stage: 'meeting',
      probability: 35,
      weightedAmount: 350_000,
      lostReason: null,
    });
    expect(opp.owner?.id).toBe(member.id);

    const rows = await history(opp.id);
    expect(rows.map((r) => [r.fromStage, r.toStage, r.changedBy?.id])).toEqual([
      [null, 'meeting', member.id],
    ]);
    const audit = await m.auditOf('opportunity', opp.id);
    expect(audit.map((a) => [a.action, a.actorUserId, a.actorLabel, a.source])).toEqual([
      ['create', member.id, member.username, 'api'],
    ]);
    expect(audit[0].changes).toMatchObject({ stage: { from: null, to: 'meeting' } });
  });

  it('a stage change writes a history row, resets probability to the new default and is audited as stage_change', async () => {
    const opp = await create({ name: 'Atlas', expectedAmount: 200 });
    const moved = await m.as(member, () =>
      service.changeStage(opp.id, { stage: OpportunityStage.DueDiligence }, member, opp.version),
    );
    expect(moved).toMatchObject({ stage: 'due_diligence', probability: 60, weightedAmount: 120 });
    expect(moved.version).toBe(opp.version + 1);

    const rows = await history(opp.id);
    expect(rows.map((r) => [r.fromStage, r.toStage])).toEqual([
      [null, 'lead'],
      ['lead', 'due_diligence'],
    ]);
    const audit = await m.auditOf('opportunity', opp.id);
    expect(audit.map((a) => a.action)).toEqual(['create', 'stage_change']);
    expect(audit[1].changes).toMatchObject({
      stage: { from: 'lead', to: 'due_diligence' },
      probability: { from: 10, to: 60 },
    });
  });

  it('a probability sent with the move wins over the stage default; an edit without a move writes no history', async () => {
    const opp = await create({ name: 'Summit', expectedAmount: 1000 });
    const moved = await m.as(member, () =>
      service.update(opp.id, { stage: OpportunityStage.Committed, probability: 75 }, member),
    );
    expect(moved).toMatchObject({ stage: 'committed', probability: 75, weightedAmount: 750 });
    await m.as(member, () => service.update(opp.id, { probability: 80, nextStep: 'Wire' }, member));
    expect(await history(opp.id)).toHaveLength(2);
  });

  it('on create: a probability or owner sent wins, a null owner leaves none, lost starts at 0 with its reason', async () => {
    expect((await create({ name: 'Funded', stage: OpportunityStage.Funded })).probability).toBe(100);
    const explicit = await create({ name: 'Hot lead', probability: 55, ownerId: manager.id });
    expect([explicit.probability, explicit.owner?.id]).toEqual([55, manager.id]);
    expect((await create({ name: 'Unowned', ownerId: null })).owner).toBeNull();
    const lost = await create({
      name: 'Lost one',
      stage: OpportunityStage.Lost,
      lostReason: 'Chose another fund',
    });
    expect(lost).toMatchObject({ stage: 'lost', probability: 0, lostReason: 'Chose another fund' });
  });

  it('refuses unknown, deleted or inactive references and a lost reason out of place on create, naming the field', async () => {
    const inactive = await m.user(Role.Member, false);
    const gone = await m.seed((em) => contactFactory(em, { deletedAt: new Date() }));
    const refuses = (field: string, body: Omit<Parameters<OpportunitiesService['create']>[0], 'name'>) =>
      expect(create({ name: 'A', ...body })).rejects.toMatchObject(refusal(field));
    await refuses('contactId', { contactId: UNKNOWN_ID });
    await refuses('contactId', { contactId: gone.id });
    await refuses('organizationId', { organizationId: UNKNOWN_ID });
    await refuses('fundId', { fundId: UNKNOWN_ID });
    await refuses('ownerId', { ownerId: UNKNOWN_ID });
    await refuses('ownerId', { ownerId: inactive.id });
    await refuses('lostReason', { stage: OpportunityStage.Lost });
    await refuses('lostReason', { stage: OpportunityStage.Meeting, lostReason: 'Not lost' });
  });

  it('a PATCH clears a reference sent as null; a lost reason may be reworded but not removed while lost', async () => {
    const contact = await m.seed((em) => contactFactory(em));
    const opp = await create({
      name: 'Patch me',
      contactId: contact.id,
      expectedAmount: 100,
      nextStep: 'Call',
    });
    const patched = await m.as(member, () =>
      service.update(
        opp.id,
        { nextStep: 'Send deck', contactId: null, stage: OpportunityStage.Committed },
        member,
      ),
    );
    expect(patched).toMatchObject({
      contact: null,
      expectedAmount: 100,
      stage: 'committed',
      probability: 90,
    });
    await expect(
      m.as(member, () => service.update(opp.id, { fundId: UNKNOWN_ID }, member)),
    ).rejects.toMatchObject({ details: [expect.objectContaining({ field: 'fundId' })] });
    await m.as(member, () =>
      service.update(opp.id, { stage: OpportunityStage.Lost, lostReason: 'Went quiet' }, member),
    );
    const reworded = await m.as(member, () =>
      service.update(opp.id, { lostReason: 'Went quiet after DD' }, member),
    );
    expect(reworded.lostReason).toBe('Went quiet after DD');
    await expect(
      m.as(member, () => service.update(opp.id, { lostReason: null }, member)),
    ).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'lostReason' })],
    });
  });

  it('a PUT clears what it leaves out and keeps the stage with its default probability; a stage sent is a move', async () => {
    const [contact, fund] = await m.seed((em) => [contactFactory(em), fundFactory(em)] as const);
    const opp = await create({
      name: 'Put me',
      stage: OpportunityStage.Meeting,
      probability: 50,
      contactId: contact.id,
      fundId: fund.id,
      description: 'Long story',
    });
    const put = await m.as(member, () =>
      service.replace(opp.id, { name: 'Put me again', fundId: fund.id }, member),
    );
    expect(put).toMatchObject({
      stage: 'meeting',
      probability: 35,
      contact: null,
      owner: null,
      description: null,
    });
    expect(await history(opp.id)).toHaveLength(1);
    const moved = await m.as(member, () =>
      service.replace(
        opp.id,
        { name: 'Put me again', stage: OpportunityStage.Committed, probability: 95 },
        member,
      ),
    );
    expect(moved).toMatchObject({ stage: 'committed', probability: 95 });
    expect(await history(opp.id)).toHaveLength(2);
  });

  it('accepts a reference that did not change even if it is no longer live', async () => {
    const [contact, org] = await m.seed((em) => [contactFactory(em), organizationFactory(em)] as const);
    const opp = await create({ name: 'Keeps its contact', contactId: contact.id, organizationId: org.id });
    await m.em().nativeUpdate(Contact, { id: contact.id }, { deletedAt: new Date() });
    const patched = await m.as(member, () =>
      service.update(opp.id, { contactId: contact.id, nextStep: 'Find a new contact' }, member),
    );
    expect(patched.contact?.id).toBe(contact.id);
  });

  it('lost needs a reason, and leaving lost clears it; nothing is written on a refusal', async () => {
    const opp = await create({ name: 'Cascade' });
    const refused = m.as(member, () => service.changeStage(opp.id, { stage: OpportunityStage.Lost }, member));
    await expect(refused).rejects.toThrow(ValidationError);
    await expect(refused).rejects.toThrow('lostReason: is required when the stage is lost');
    expect(await history(opp.id)).toHaveLength(1);
    expect(await m.auditOf('opportunity', opp.id)).toHaveLength(1);

    const lost = await m.as(member, () =>
      service.changeStage(opp.id, { stage: OpportunityStage.Lost, lostReason: 'Allocation full' }, member),
    );
    expect(lost).toMatchObject({ stage: 'lost', probability: 0, lostReason: 'Allocation full' });
    const back = await m.as(member, () =>
      service.changeStage(opp.id, { stage: OpportunityStage.Lead }, member),
    );
    expect(back).toMatchObject({ stage: 'lead', probability: 10, lostReason: null });
  });

  it('refuses a lost reason on another stage, and a move to the stage it is in', async () => {
    const opp = await create({ name: 'Blue Harbor' });
    await expect(
      m.as(member, () => service.update(opp.id, { lostReason: 'Too early' }, member)),
    ).rejects.toThrow('lostReason: only applies when the stage is lost');
    await expect(
      m.as(member, () => service.changeStage(opp.id, { stage: OpportunityStage.Lead }, member)),
    ).rejects.toThrow('stage: is already lead');
  });

  it('refuses a stale version without writing', async () => {
    const opp = await create({ name: 'Pacific' });
    await m.as(member, () => service.update(opp.id, { nextStep: 'Call' }, member, opp.version));
    await expect(
      m.as(member, () => service.update(opp.id, { nextStep: 'Other' }, member, opp.version)),
    ).rejects.toMatchObject({ code: 'STALE_VERSION' });
    const row = await m.em().findOneOrFail(Opportunity, opp.id);
    expect(row.nextStep).toBe('Call');
  });

  it('the detail shows the history with days per stage', async () => {
    const opp = await create({ name: 'Northeast' });
    await m.as(member, () => service.changeStage(opp.id, { stage: OpportunityStage.Outreach }, member));
    const detail = await m.as(member, () => service.get(opp.id, member, { include: ['stageHistory'] }));
    expect(detail.stageHistory?.map((h) => [h.from, h.to, h.by?.id])).toEqual([
      [null, 'lead', member.id],
      ['lead', 'outreach', member.id],
    ]);
    expect(detail.daysPerStage?.map((d) => [d.stage, d.visits])).toEqual([
      ['lead', 1],
      ['outreach', 1],
    ]);
  });

  it('each move is recorded with from, to, at and by; stageChangedAt is the last move; a sent probability wins', async () => {
    const opp = await create({ name: 'Pipeline walk', expectedAmount: 1_000_000 });
    const move = (stage: OpportunityStage, caller: AuthUser, probability?: number) =>
      m.as(caller, () => service.changeStage(opp.id, { stage, probability }, caller));
    expect(await move(OpportunityStage.Meeting, manager)).toMatchObject({
      probability: 35,
      weightedAmount: 350_000,
      daysInStage: 0,
    });
    expect((await move(OpportunityStage.DueDiligence, member, 70)).probability).toBe(70);
    expect((await move(OpportunityStage.Outreach, member)).probability).toBe(20);
    const detail = await m.as(member, () => service.get(opp.id, member));
    const rows = detail.stageHistory ?? [];
    expect(rows.map((h) => [h.from, h.to, h.by?.id])).toEqual([
      [null, 'lead', member.id],
      ['lead', 'meeting', manager.id],
      ['meeting', 'due_diligence', member.id],
      ['due_diligence', 'outreach', member.id],
    ]);
    const times = rows.map((h) => new Date(h.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Date(detail.stageChangedAt).getTime()).toBe(times[3]);
  });

  it('refuses a lost reason with a move to another stage, and a move to lost when already lost', async () => {
    const opp = await create({ name: 'Losing battle', stage: OpportunityStage.Meeting });
    const change = (dto: Parameters<OpportunitiesService['changeStage']>[1]) =>
      m.as(member, () => service.changeStage(opp.id, dto, member));
    await change({ stage: OpportunityStage.Lost, lostReason: 'Allocation full' });
    await expect(change({ stage: OpportunityStage.Lost, lostReason: 'Again' })).rejects.toThrow(
      'stage: is already lost',
    );
    await change({ stage: OpportunityStage.Outreach });
    await expect(change({ stage: OpportunityStage.Meeting, lostReason: 'x' })).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'lostReason' })],
    });
    expect(await history(opp.id)).toHaveLength(3);
  });

  it('computes days in the current stage and per stage visited from the history, in the list too', async () => {
    const opp = await create({ name: 'Slow burner' });
    for (const stage of [OpportunityStage.Meeting, OpportunityStage.Lead, OpportunityStage.DueDiligence]) {
      await m.as(member, () => service.changeStage(opp.id, { stage }, member));
    }
    // Spread the four moves over ten days: lead 3 days, meeting 2, lead again 3, due diligence the last 2.
    const conn = m.em().getConnection();
    for (const [i, row] of (await history(opp.id)).entries()) {
      await conn.execute(
        'update opportunity_stage_history set changed_at = now() - make_interval(days => ?) where id = ?',
        [[10, 7, 5, 2][i], row.id],
      );
    }
    await conn.execute(`update opportunities set stage_changed_at = now() - interval '2 days' where id = ?`, [
      opp.id,
    ]);
    const detail = await m.as(member, () => service.get(opp.id, member));
    expect(detail.daysInStage).toBe(2);
    expect(detail.stageHistory?.map((h) => h.days)).toEqual([3, 2, 3, 2]);
    expect(detail.daysPerStage).toEqual([
      { stage: 'lead', days: 6, visits: 2 },
      { stage: 'meeting', days: 2, visits: 1 },
      { stage: 'due_diligence', days: 2, visits: 1 },
    ]);
    const query = Object.assign(new ListOpportunitiesQueryDto(), { search: 'Slow burner' });
    const [listed] = (await m.as(member, () => service.list(query, member))).data;
    expect(listed.daysInStage).toBe(2);
  });

  it('the detail shows the latest 50 communications about it, newest first, with the total', async () => {
    const contact = await m.seed((em) => contactFactory(em, { firstName: 'Dana', lastName: 'Whitfield' }));
    const opp = await create({ name: 'Chatty deal', contactId: contact.id });
    const start = Date.UTC(2025, 0, 1);
    await m.seed((em) => {
      for (let i = 0; i < 55; i++) {
        communicationFactory(em, {
          opportunity: em.getReference(Opportunity, opp.id),
          contact,
          type: CommunicationType.Call,
          subject: `Call ${i}`,
          communicationDate: new Date(start + i * 3_600_000),
          createdBy: member.id,
        });
      }
    });
    const detail = await m.as(member, () => service.get(opp.id, member));
    expect(detail.communicationsTotal).toBe(55);
    expect(detail.communications).toHaveLength(50);
    expect(detail.communications?.[0]).toMatchObject({
      subject: 'Call 54',
      type: 'call',
      contact: { id: contact.id, name: 'Dana Whitfield' },
      createdBy: { id: member.id, username: member.username },
    });
    expect(detail.communications?.[49].subject).toBe('Call 5');
    const quiet = await create({ name: 'Quiet deal' });
    expect(await m.as(member, () => service.get(quiet.id, member))).toMatchObject({
      communications: [],
      communicationsTotal: 0,
    });
  });

  it('soft delete hides the opportunity and records who deleted it; restore brings it back', async () => {
    const opp = await create({ name: 'Sovereign' });
    await m.as(member, () => service.softDelete(opp.id, member));
    const row = await m.em().findOneOrFail(Opportunity, opp.id);
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect(row.deletedBy?.id).toBe(member.id);
    await expect(m.as(member, () => service.get(opp.id, member))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const listed = await m.as(member, () => service.list(new ListOpportunitiesQueryDto(), member));
    expect(listed.data.map((o) => o.id)).not.toContain(opp.id);

    const restored = await m.as(manager, () => service.restore(opp.id));
    expect(restored.deletedAt).toBeNull();
    const audit = await m.auditOf('opportunity', opp.id);
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([
      ['create', member.id],
      ['soft_delete', member.id],
      ['restore', manager.id],
    ]);
  });
});
