import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { ContactMethod } from '../../src/common/entities/enums.js';
import { contactFactory, fundFactory, organizationFactory } from '../../src/database/factories/index.js';
import { Contact, ContactType } from '../../src/modules/contacts/contact.entity.js';
import {
  CustomFieldDefinition,
  CustomFieldEntityType,
  CustomFieldType,
} from '../../src/modules/custom-fields/custom-field-definition.entity.js';
import { ListLpProfilesQueryDto } from '../../src/modules/lp-profiles/dto/lp-profile.dto.js';
import { InvestorType, LpProfile } from '../../src/modules/lp-profiles/lp-profile.entity.js';
import { LpProfilesModule } from '../../src/modules/lp-profiles/lp-profiles.module.js';
import { LpProfilesService } from '../../src/modules/lp-profiles/lp-profiles.service.js';
import { createMediumModule, type MediumModule, refusal } from '../helpers/medium.js';

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

  it('one profile per contact per fund also when creations race: the unique index keeps one row', async () => {
    // The 409 the losers get is the HTTP error filter's mapping of the constraint: lp-profiles.e2e-spec.ts.
    const [contact, fund] = await prospectAndFund();
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => create({ contactId: contact.id, fundId: fund.id })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(await m.em().count(LpProfile, { contact: contact.id })).toBe(1);
  });

  it('refuses unknown links and an amount funded with nothing committed, naming the field; the contact stays a prospect', async () => {
    const [contact, fund] = await prospectAndFund();
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [body, field] of [
      [{ contactId: unknown, fundId: fund.id }, 'contactId'],
      [{ contactId: contact.id, fundId: unknown }, 'fundId'],
      [{ contactId: contact.id, fundId: fund.id, fundedAmount: 1 }, 'fundedAmount'],
    ] as const) {
      await expect(create(body)).rejects.toMatchObject(refusal(field));
    }
    expect((await m.em().findOneOrFail(Contact, contact.id)).contactType).toBe(ContactType.Prospect);
  });

  it('PUT replaces the profile (left-out fields cleared), PATCH changes only what is sent', async () => {
    await m.seed((em) =>
      em.create(CustomFieldDefinition, {
        entityType: CustomFieldEntityType.LpProfile,
        key: 'region',
        label: 'Region',
        fieldType: CustomFieldType.Text,
      }),
    );
    const [contact, fund] = await prospectAndFund();
    const lp = await create({
      contactId: contact.id,
      fundId: fund.id,
      commitmentAmount: 2_000_000,
      fundedAmount: 1_000_000,
      commitmentDate: '2019-05-01',
      investorType: InvestorType.FamilyOffice,
      accredited: true,
      legalDocsSigned: true,
      signedDate: '2019-04-20',
      preferredCommunication: ContactMethod.Email,
      notes: 'Prefers quarterly calls',
      customFields: { region: 'EMEA' },
    });
    const patched = await m.as(member, () => service.update(lp.id, { k1Sent: true, notes: null }));
    expect(patched).toMatchObject({
      k1Sent: true,
      notes: null,
      accredited: true,
      investorType: 'family_office',
      commitmentDate: '2019-05-01',
      customFields: { region: 'EMEA' },
      version: 2,
    });
    const put = await m.as(member, () =>
      service.replace(lp.id, { contactId: contact.id, fundId: fund.id, commitmentAmount: 2_500_000 }),
    );
    expect(put).toMatchObject({
      commitmentAmount: 2_500_000,
      fundedAmount: 0,
      commitmentDate: null,
      investorType: null,
      accredited: false,
      legalDocsSigned: false,
      signedDate: null,
      k1Sent: false,
      preferredCommunication: null,
      customFields: {},
      version: 3,
    });
    const wired = await m.as(member, () =>
      service.update(lp.id, {
        commitmentAmount: 300,
        fundedAmount: 300,
        wireReceived: true,
        wireDate: '2024-03-15',
      }),
    );
    expect(wired).toMatchObject({
      commitmentAmount: 300,
      fundedAmount: 300,
      wireReceived: true,
      wireDate: '2024-03-15',
    });
  });

  it('moves a profile to another contact or fund with the same checks as on create', async () => {
    const [from, to, fundI, fundII] = await m.seed(
      (em) => [contactFactory(em), contactFactory(em), fundFactory(em), fundFactory(em)] as const,
    );
    const lp = await create({ contactId: from.id, fundId: fundI.id });
    await create({ contactId: to.id, fundId: fundII.id });
    const moved = await m.as(member, () => service.update(lp.id, { contactId: to.id }));
    expect(moved.contact.id).toBe(to.id);
    await expect(m.as(member, () => service.update(lp.id, { fundId: fundII.id }))).rejects.toMatchObject({
      code: 'LP_PROFILE_EXISTS',
    });
    await expect(
      m.as(member, () => service.update(lp.id, { fundId: '00000000-0000-4000-8000-000000000000' })),
    ).rejects.toMatchObject({ details: [expect.objectContaining({ field: 'fundId' })] });
  });

  it('refuses a stale version on PATCH and PUT without writing', async () => {
    const [contact, fund] = await prospectAndFund();
    const lp = await create({ contactId: contact.id, fundId: fund.id });
    await m.as(member, () => service.update(lp.id, { accredited: true }, 1));
    await expect(m.as(member, () => service.update(lp.id, { accredited: false }, 1))).rejects.toMatchObject({
      code: 'STALE_VERSION',
      details: { currentVersion: 2, sentVersion: 1 },
    });
    await expect(
      m.as(member, () => service.replace(lp.id, { contactId: contact.id, fundId: fund.id }, 1)),
    ).rejects.toMatchObject({ code: 'STALE_VERSION' });
    expect((await m.em().findOneOrFail(LpProfile, lp.id)).accredited).toBe(true);
  });

  describe('list', () => {
    let fundId: string;
    const who = async (values: Partial<ListLpProfilesQueryDto>) =>
      (
        await m.as(member, () =>
          service.list(Object.assign(new ListLpProfilesQueryDto(), { fundId, ...values })),
        )
      ).data.map((lp) => lp.contact.name);

    beforeAll(async () => {
      const [fund, pension] = await m.seed(
        (em) => [fundFactory(em), organizationFactory(em, { name: 'Northeast Pension Fund' })] as const,
      );
      fundId = fund.id;
      const rows = [
        ['Amelia', 'Stone', pension, 10_000_000, 5_000_000, '2024-03-01'],
        ['Bruno', 'Keller', null, 2_500_000, 2_500_000, '2023-11-15'],
        ['Chloe', 'Nakamura', null, 7_500_000, 0, undefined],
      ] as const;
      for (const [
        firstName,
        lastName,
        organization,
        commitmentAmount,
        fundedAmount,
        commitmentDate,
      ] of rows) {
        const contact = await m.seed((em) =>
          contactFactory(em, {
            firstName,
            lastName,
            email: `${firstName.toLowerCase()}@lp.example`,
            organization,
          }),
        );
        await create({ contactId: contact.id, fundId, commitmentAmount, fundedAmount, commitmentDate });
      }
    });

    it('largest commitment first by default, and sorts on the whitelisted fields (no date sorts last)', async () => {
      const [amelia, bruno, chloe] = ['Amelia Stone', 'Bruno Keller', 'Chloe Nakamura'];
      const cases: [Partial<ListLpProfilesQueryDto>, string[]][] = [
        [{}, [amelia, chloe, bruno]],
        [{ sort: 'commitmentAmount' }, [bruno, chloe, amelia]],
        [{ sort: 'fundedAmount', order: 'desc' }, [amelia, bruno, chloe]],
        [{ sort: 'commitmentDate' }, [bruno, amelia, chloe]],
        [{ sort: 'commitmentDate', order: 'desc' }, [chloe, amelia, bruno]],
        [{ sort: 'createdAt' }, [amelia, bruno, chloe]],
      ];
      for (const [query, names] of cases)
        expect({ query, names: await who(query) }).toEqual({ query, names });
    });

    it('searches the contact’s name, email and organization (LIKE characters literal); filters by contact', async () => {
      expect(await who({ search: 'NAKAM' })).toEqual(['Chloe Nakamura']);
      expect(await who({ search: 'bruno@lp' })).toEqual(['Bruno Keller']);
      expect(await who({ search: 'east pension' })).toEqual(['Amelia Stone']);
      expect(await who({ search: '_' })).toEqual([]);
      const [amelia] = (
        await m.as(member, () =>
          service.list(Object.assign(new ListLpProfilesQueryDto(), { fundId, search: 'amelia' })),
        )
      ).data;
      expect(await who({ contactId: amelia.contact.id })).toEqual(['Amelia Stone']);
      const everywhere = await m.as(member, () =>
        service.list(Object.assign(new ListLpProfilesQueryDto(), { contactId: amelia.contact.id })),
      );
      expect(everywhere.total).toBe(1);
    });
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
