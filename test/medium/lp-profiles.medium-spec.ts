import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { contactFactory, fundFactory } from '../../src/database/factories/index.js';
import { Contact, ContactType } from '../../src/modules/contacts/contact.entity.js';
import { LpProfile } from '../../src/modules/lp-profiles/lp-profile.entity.js';
import { LpProfilesModule } from '../../src/modules/lp-profiles/lp-profiles.module.js';
import { LpProfilesService } from '../../src/modules/lp-profiles/lp-profiles.service.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

describe('LpProfilesService on PostgreSQL', () => {
  let m: MediumModule;
  let service: LpProfilesService;
  let member: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(LpProfilesModule);
    service = m.module.get(LpProfilesService);
    member = await m.user(Role.Member);
  });
  afterAll(() => m.close());

  const prospectAndFund = () =>
    m.seed((em) => [contactFactory(em, { contactType: ContactType.Prospect }), fundFactory(em)] as const);
  const create = (body: Parameters<LpProfilesService['create']>[0]) =>
    m.as(member, () => service.create(body));

  it('creates the profile and makes the contact an investor in the same transaction, both audited', async () => {
    const [contact, fund] = await prospectAndFund();
    const lp = await create({ contactId: contact.id, fundId: fund.id, commitmentAmount: 2_000_000 });
    expect(lp).toMatchObject({ commitmentAmount: 2_000_000, fundedAmount: 0, currency: 'USD' });
    expect((await m.em().findOneOrFail(Contact, contact.id)).contactType).toBe(ContactType.Investor);

    expect((await m.auditOf('lp_profile', lp.id)).map((a) => [a.action, a.actorUserId])).toEqual([
      ['create', member.id],
    ]);
    const contactAudit = (await m.auditOf('contact', contact.id)).filter((a) => a.actorUserId === member.id);
    expect(contactAudit.map((a) => [a.action, a.changes])).toEqual([
      ['update', { contactType: { from: 'prospect', to: 'investor' } }],
    ]);
  });

  it('one profile per contact per fund (409 naming the existing one)', async () => {
    const [contact, fund] = await prospectAndFund();
    const first = await create({ contactId: contact.id, fundId: fund.id, commitmentAmount: 1 });
    await expect(
      create({ contactId: contact.id, fundId: fund.id, commitmentAmount: 2 }),
    ).rejects.toMatchObject({
      code: 'LP_PROFILE_EXISTS',
      details: [expect.objectContaining({ field: 'fundId', existingId: first.id })],
    });
    expect(await m.em().count(LpProfile, { contact: contact.id })).toBe(1);
  });

  it('funded may not exceed committed: refused on create and on a patch of either amount, nothing written', async () => {
    const [contact, fund] = await prospectAndFund();
    await expect(
      create({ contactId: contact.id, fundId: fund.id, commitmentAmount: 100, fundedAmount: 200 }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'fundedAmount' })],
    });
    // The transaction rolled back: no profile, and the contact is still a prospect.
    expect(await m.em().count(LpProfile, { contact: contact.id })).toBe(0);
    expect((await m.em().findOneOrFail(Contact, contact.id)).contactType).toBe(ContactType.Prospect);

    const lp = await create({
      contactId: contact.id,
      fundId: fund.id,
      commitmentAmount: 100,
      fundedAmount: 50,
    });
    await expect(m.as(member, () => service.update(lp.id, { fundedAmount: 150 }))).rejects.toThrow(
      'fundedAmount: must not exceed commitmentAmount (150 > 100)',
    );
    await expect(m.as(member, () => service.update(lp.id, { commitmentAmount: 40 }))).rejects.toThrow(
      'fundedAmount',
    );
    const patched = await m.as(member, () => service.update(lp.id, { fundedAmount: 100 }, lp.version));
    expect(patched).toMatchObject({ commitmentAmount: 100, fundedAmount: 100 });
  });

  it('refuses a deleted contact (400 naming contactId)', async () => {
    const [contact, fund] = await m.seed(
      (em) => [contactFactory(em, { deletedAt: new Date() }), fundFactory(em)] as const,
    );
    await expect(create({ contactId: contact.id, fundId: fund.id })).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'contactId' })],
    });
  });

  it('remove deletes the row for good (the contact stays an investor), audited', async () => {
    const [contact, fund] = await prospectAndFund();
    const lp = await create({ contactId: contact.id, fundId: fund.id, commitmentAmount: 10 });
    await m.as(member, () => service.remove(lp.id));
    expect(await m.em().count(LpProfile, { id: lp.id })).toBe(0);
    expect((await m.em().findOneOrFail(Contact, contact.id)).contactType).toBe(ContactType.Investor);
    expect((await m.auditOf('lp_profile', lp.id)).map((a) => a.action)).toEqual(['create', 'delete']);
  });
});
