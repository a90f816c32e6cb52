import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { Priority } from '../../src/common/entities/enums.js';
import { contactFactory, fundFactory, organizationFactory } from '../../src/database/factories/index.js';
import { OpportunitiesModule } from '../../src/modules/opportunities/opportunities.module.js';
import { OpportunitiesService } from '../../src/modules/opportunities/opportunities.service.js';
import { OpportunityStageChange } from '../../src/modules/opportunities/opportunity-stage-change.entity.js';
import { applyStage } from '../../src/modules/opportunities/opportunity-stages.js';
import { Opportunity, OpportunityStage } from '../../src/modules/opportunities/opportunity.entity.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Fund } from '../../src/modules/funds/fund.entity.js';
import { Organization } from '../../src/modules/organizations/organization.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

/**
 * An opportunity's create is one statement after the custom fields' rules are read (insertAudited), its PUT, PATCH and
 * stage move one statement after the record is read (updateAudited), each with its stage history row. The import and
 * the back office still write opportunities through the unit of work: both must audit alike.
 */
describe('opportunity writes in one statement', () => {
  let m: MediumModule;
  let service: OpportunitiesService;
  let member: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(OpportunitiesModule);
    service = m.module.get(OpportunitiesService);
    member = await m.user(Role.Member);
  });
  afterAll(() => m.close());

  const as = <T>(work: () => Promise<T>) => m.as(member, work);
  const create = (name: string) =>
    as(() => service.create({ name, expectedAmount: 1_000_000, expectedCloseDate: '2027-01-31' }, member));
  const history = (id: string) =>
    m.em().find(OpportunityStageChange, { opportunity: id }, { orderBy: { changedAt: 'asc', id: 'asc' } });

  it('creates as the unit of work does: the answer a read gives, the first history row, the same audit', async () => {
    const [contact, org, fund] = await m.seed(
      (em) => [contactFactory(em), organizationFactory(em), fundFactory(em)] as const,
    );
    const body = {
      stage: OpportunityStage.Meeting,
      expectedAmount: 750_000,
      commitmentAmount: 500_000.25,
      currency: 'EUR',
      expectedCloseDate: '2027-06-30',
      nextStep: 'Data room',
    };
    const links = { contactId: contact.id, organizationId: org.id, fundId: fund.id };
    const created = await as(() => service.create({ name: 'Juniper — Fund II', ...body, ...links }, member));
    expect(created).toMatchObject({
      ...body,
      probability: 35,
      contact: { id: contact.id },
      organization: { id: org.id, name: org.name },
      fund: { id: fund.id, name: fund.name },
      owner: { id: member.id },
      version: 1,
    });
    expect(await as(() => service.get(created.id, member))).toMatchObject(created);
    const rows = await history(created.id);
    expect(rows.map((r) => [r.fromStage, r.toStage, r.changedBy?.id])).toEqual([
      [null, 'meeting', member.id],
    ]);

    // The same opportunity through the unit of work, as the import creates one.
    const viaOrm = await as(async () => {
      const em = m.em();
      const opp = em.create(Opportunity, {
        name: 'Juniper — Fund II (ORM)',
        ...body,
        probability: 0,
        priority: Priority.Medium,
        description: null,
        lostReason: null,
        contact: em.getReference(Contact, contact.id),
        organization: em.getReference(Organization, org.id),
        fund: em.getReference(Fund, fund.id),
        owner: em.getReference(User, member.id),
      });
      const move = { stage: body.stage, lostReason: undefined, probability: undefined };
      applyStage(em, opp, move, { userId: member.id, now: new Date(), isNew: true });
      await em.flush();
      return opp.id;
    });
    const [apiAudit, ormAudit] = await Promise.all([
      m.auditOf('opportunity', created.id),
      m.auditOf('opportunity', viaOrm),
    ]);
    const { name: apiName, stageChangedAt: apiAt, ...apiChanges } = apiAudit[0].changes ?? {};
    const { name: ormName, stageChangedAt: ormAt, ...ormChanges } = ormAudit[0].changes ?? {};
    expect([apiName, apiAt, ormName, ormAt]).not.toContain(undefined);
    expect(apiChanges).toEqual(ormChanges);
    expect(apiAudit.map((a) => [a.action, a.actorUserId, a.source])).toEqual([['create', member.id, 'api']]);
  });

  it('answers as a read does, writes the stage history row, and audits as the unit of work does', async () => {
    const [contact, org, fund] = await m.seed(
      (em) => [contactFactory(em), organizationFactory(em), fundFactory(em)] as const,
    );
    const owner = await m.user(Role.Manager);
    const [api, orm] = [await create('Harbor — Fund II'), await create('Harbour — Fund II')];
    const change = {
      expectedAmount: 2_500_000.5,
      expectedCloseDate: '2027-03-31',
      priority: Priority.High,
      nextStep: 'Send the LPA',
      stage: OpportunityStage.DueDiligence,
    };
    const links = { contactId: contact.id, organizationId: org.id, fundId: fund.id, ownerId: owner.id };
    const patched = await as(() => service.update(api.id, { ...change, ...links }, member, api.version));
    expect(patched).toMatchObject({
      ...change,
      probability: 60,
      weightedAmount: 1_500_000.3,
      contact: { id: contact.id, name: `${contact.firstName} ${contact.lastName}` },
      organization: { id: org.id, name: org.name },
      fund: { id: fund.id, name: fund.name },
      owner: { id: owner.id, username: owner.username },
      version: 2,
    });
    expect(await as(() => service.get(api.id, member))).toMatchObject(patched);
    const rows = await history(api.id);
    expect(rows.map((r) => [r.fromStage, r.toStage, r.changedBy?.id])).toEqual([
      [null, 'lead', member.id],
      ['lead', 'due_diligence', member.id],
    ]);
    expect(rows[1].changedAt.toISOString()).toBe(patched.stageChangedAt);

    // The same change through the unit of work, as the back office makes it.
    await as(async () => {
      const em = m.em();
      const opp = await em.findOneOrFail(Opportunity, orm.id);
      const { stage, ...fields } = change;
      Object.assign(opp, {
        ...fields,
        contact: em.getReference(Contact, contact.id),
        organization: em.getReference(Organization, org.id),
        fund: em.getReference(Fund, fund.id),
        owner: em.getReference(User, owner.id),
      });
      const move = { stage, lostReason: undefined, probability: undefined };
      applyStage(em, opp, move, { userId: member.id, now: new Date() });
      await em.flush();
    });
    const [apiAudit, ormAudit] = await Promise.all([
      m.auditOf('opportunity', api.id),
      m.auditOf('opportunity', orm.id),
    ]);
    expect(apiAudit.map((a) => a.action)).toEqual(['create', 'stage_change']);
    expect(ormAudit.map((a) => a.action)).toEqual(['create', 'stage_change']);
    const { stageChangedAt: apiMoved, ...apiChanges } = apiAudit[1].changes ?? {};
    const { stageChangedAt: ormMoved, ...ormChanges } = ormAudit[1].changes ?? {};
    expect(apiMoved?.to).toBe(patched.stageChangedAt);
    expect(ormMoved).toBeDefined();
    expect(apiChanges).toEqual(ormChanges);
  });

  it('refuses a missing link by its field, a lost stage without a reason, and a stale version; writes nothing', async () => {
    const opp = await create('Granite — Fund II');
    const [gone] = await m.seed((em) => [contactFactory(em, { deletedAt: new Date() })] as const);
    await expect(as(() => service.update(opp.id, { contactId: gone.id }, member))).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'contactId' })],
    });
    await expect(
      as(() => service.changeStage(opp.id, { stage: OpportunityStage.Lost }, member)),
    ).rejects.toMatchObject({ details: [expect.objectContaining({ field: 'lostReason' })] });
    await expect(as(() => service.update(opp.id, { nextStep: 'Call' }, member, 2))).rejects.toMatchObject({
      code: 'STALE_VERSION',
    });
    expect(await history(opp.id)).toHaveLength(1);
    expect(await m.auditOf('opportunity', opp.id)).toHaveLength(1);
    expect(await as(() => service.get(opp.id, member, { include: [] }))).toMatchObject({ version: 1 });
  });

  it('a PUT keeps the stage it leaves out, clears the rest, and writes no history without a move', async () => {
    const opp = await create('Summit — Fund II');
    const moved = await as(() =>
      service.changeStage(opp.id, { stage: OpportunityStage.Meeting, probability: 40 }, member),
    );
    const replaced = await as(() => service.replace(opp.id, { name: 'Summit — Fund II' }, member, 2));
    expect(replaced).toMatchObject({
      stage: 'meeting',
      probability: 35,
      expectedAmount: null,
      expectedCloseDate: null,
      owner: null,
      stageChangedAt: moved.stageChangedAt,
      version: 3,
    });
    expect((await history(opp.id)).map((r) => r.toStage)).toEqual(['lead', 'meeting']);
  });
});
