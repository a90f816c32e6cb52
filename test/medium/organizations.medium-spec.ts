import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { contactFactory, opportunityFactory, tagFactory } from '../../src/database/factories/index.js';
import { ListOrganizationsQueryDto } from '../../src/modules/organizations/dto/organization.dto.js';
import { Organization, OrganizationType } from '../../src/modules/organizations/organization.entity.js';
import { OrganizationsModule } from '../../src/modules/organizations/organizations.module.js';
import { OrganizationsService } from '../../src/modules/organizations/organizations.service.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

describe('OrganizationsService on PostgreSQL', () => {
  let m: MediumModule;
  let service: OrganizationsService;
  let member: AuthUser;
  let manager: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(OrganizationsModule);
    service = m.module.get(OrganizationsService);
    [member, manager] = await Promise.all([m.user(Role.Member), m.user(Role.Manager)]);
  });
  afterAll(() => m.close());

  const create = (body: Parameters<OrganizationsService['create']>[0]) =>
    m.as(member, () => service.create(body));
  const listed = async (search: string, includeDeleted = false, caller = member) =>
    (
      await m.as(caller, () =>
        service.list(Object.assign(new ListOrganizationsQueryDto(), { search, includeDeleted }), caller),
      )
    ).data.map((o) => o.id);

  it('creates with type Other by default and its tags, audited once', async () => {
    const tag = await m.seed((em) => tagFactory(em));
    const org = await create({ name: 'Redwood Endowment', city: 'Palo Alto', tagIds: [tag.id] });
    expect(org).toMatchObject({ name: 'Redwood Endowment', type: OrganizationType.Other, city: 'Palo Alto' });
    expect(org.tags.map((t) => t.id)).toEqual([tag.id]);
    const audit = await m.auditOf('organization', org.id);
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([['create', member.id]]);
    expect(audit[0].changes).toMatchObject({ tags: { from: [], to: [tag.name] } });
  });

  it('lists by search (any case, inside a word), type and tag, sorted and paged', async () => {
    const tag = await m.seed((em) => tagFactory(em, { name: 'Pension LPs' }));
    await create({ name: 'Northeast Pension Fund', type: OrganizationType.Pension, tagIds: [tag.id] });
    await create({ name: 'Pacific Capital Partners', type: OrganizationType.FundOfFunds });
    await create({ name: 'Atlas Family Office', type: OrganizationType.FamilyOffice });
    const names = async (values: Partial<ListOrganizationsQueryDto>) =>
      (
        await m.as(member, () => service.list(Object.assign(new ListOrganizationsQueryDto(), values), member))
      ).data.map((o) => o.name);
    expect(await names({ search: 'PENSION' })).toEqual(['Northeast Pension Fund']);
    expect(await names({ search: 'cific' })).toEqual(['Pacific Capital Partners']);
    expect(await names({ type: OrganizationType.FamilyOffice })).toEqual(['Atlas Family Office']);
    expect(await names({ tag: tag.id })).toEqual(['Northeast Pension Fund']);
    const all = await names({ sort: 'name', order: 'desc' });
    expect(all).toEqual([...all].sort().reverse());
    expect(await names({ sort: 'name', order: 'desc', limit: 2, offset: 1 })).toEqual(all.slice(1, 3));
  });

  it('a PUT clears what it leaves out, a PATCH keeps it', async () => {
    const tag = await m.seed((em) => tagFactory(em));
    const org = await create({
      name: 'Atlas FO',
      city: 'Boston',
      industry: 'Family office',
      tagIds: [tag.id],
    });
    const patched = await m.as(member, () => service.update(org.id, { city: 'Denver' }, org.version));
    expect(patched).toMatchObject({ city: 'Denver', industry: 'Family office' });
    expect(patched.tags).toHaveLength(1);
    const replaced = await m.as(member, () => service.replace(org.id, { name: 'Atlas Family Office' }));
    expect(replaced).toMatchObject({ name: 'Atlas Family Office', city: null, industry: null, tags: [] });
    expect(replaced.type).toBe(OrganizationType.Other);
  });

  it('the detail shows its live contacts and opportunities only', async () => {
    const org = await create({ name: 'Summit Insurance Group' });
    const [live, gone, deal] = await m.seed((em) => {
      const o = em.getReference(Organization, org.id);
      return [
        contactFactory(em, { organization: o }),
        contactFactory(em, { organization: o, deletedAt: new Date() }),
        opportunityFactory(em, { organization: o }),
      ] as const;
    });
    const detail = await m.as(member, () =>
      service.get(org.id, member, { include: ['contacts', 'opportunities'] }),
    );
    expect(detail.contacts?.map((c) => c.id)).toEqual([live.id]);
    expect(detail.contacts?.map((c) => c.id)).not.toContain(gone.id);
    expect(detail.opportunities?.map((o) => o.id)).toEqual([deal.id]);
  });

  it('soft delete hides it (managers may still list it), restore brings it back; both audited', async () => {
    const org = await create({ name: 'Cascade Wealth Management' });
    await m.as(member, () => service.softDelete(org.id, member));
    expect(await listed('Cascade')).toEqual([]);
    expect(await listed('Cascade', true, manager)).toEqual([org.id]);
    await expect(m.as(member, () => service.get(org.id, member))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(listed('Cascade', true, member)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await m.em().findOneOrFail(Organization, org.id)).deletedBy?.id).toBe(member.id);

    await m.as(manager, () => service.restore(org.id));
    expect(await listed('Cascade')).toEqual([org.id]);
    expect((await m.auditOf('organization', org.id)).map((a) => [a.action, a.actorUserId])).toEqual([
      ['create', member.id],
      ['soft_delete', member.id],
      ['restore', manager.id],
    ]);
  });

  it('writes an organization without tags in one statement, answered and audited as with tags', async () => {
    const tag = await m.seed((em) => tagFactory(em));
    const body = {
      type: OrganizationType.Pension,
      city: 'Sacramento',
      country: 'US',
      description: 'State plan',
    };
    const plain = await create({ ...body, name: 'Golden State Pension' });
    const tagged = await create({ ...body, name: 'Golden State Pension II', tagIds: [tag.id] });
    const answer = ({ id, name, tags, createdAt, updatedAt, ...rest }: typeof plain) => {
      expect([id, name, tags, createdAt, updatedAt]).not.toContain(undefined);
      return rest;
    };
    expect(answer(plain)).toEqual(answer(tagged));
    expect(plain.tags).toEqual([]);
    const read = await m.as(member, () =>
      service.list(Object.assign(new ListOrganizationsQueryDto(), { search: 'Golden State' }), member),
    );
    expect(read.data.find((o) => o.id === plain.id)).toEqual(plain);

    const [plainAudit, taggedAudit] = await Promise.all([
      m.auditOf('organization', plain.id),
      m.auditOf('organization', tagged.id),
    ]);
    const shape = (a: (typeof plainAudit)[number]) => [a.action, a.actorUserId, a.source];
    expect(plainAudit.map(shape)).toEqual(taggedAudit.map(shape));
    const { name: n1, ...plainChanges } = plainAudit[0].changes ?? {};
    const { name: n2, tags, ...taggedChanges } = taggedAudit[0].changes ?? {};
    expect([n1, n2, tags]).not.toContain(undefined);
    expect(plainChanges).toEqual(taggedChanges);
  });
});
