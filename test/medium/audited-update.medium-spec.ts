import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import {
  contactFactory,
  opportunityFactory,
  organizationFactory,
  tagFactory,
} from '../../src/database/factories/index.js';
import { updateAudited } from '../../src/modules/audit/audited-writes.js';
import { CommunicationType } from '../../src/modules/communications/communication.entity.js';
import { CommunicationsModule } from '../../src/modules/communications/communications.module.js';
import { CommunicationsService } from '../../src/modules/communications/communications.service.js';
import { liveOrganizationSql } from '../../src/modules/communications/linked-records.js';
import { Contact, ContactType } from '../../src/modules/contacts/contact.entity.js';
import { ContactsModule } from '../../src/modules/contacts/contacts.module.js';
import { ContactsService } from '../../src/modules/contacts/contacts.service.js';
import { OrganizationsModule } from '../../src/modules/organizations/organizations.module.js';
import { OrganizationsService } from '../../src/modules/organizations/organizations.service.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

/**
 * A contact, organization or communication changed without its tags (or a communication's inferred contact) is written in one statement (updateAudited); with new tags,
 * through the unit of work. Both must answer and audit alike, and refuse alike.
 */
describe('PUT and PATCH in one statement (updateAudited)', () => {
  let m: MediumModule;
  let contacts: ContactsService;
  let organizations: OrganizationsService;
  let communications: CommunicationsService;
  let member: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(ContactsModule, OrganizationsModule, CommunicationsModule);
    contacts = m.module.get(ContactsService);
    organizations = m.module.get(OrganizationsService);
    communications = m.module.get(CommunicationsService);
    member = await m.user(Role.Member);
  });
  afterAll(() => m.close());

  const as = <T>(work: () => Promise<T>) => m.as(member, work);
  const newContact = (firstName: string, organizationId?: string) =>
    as(() => contacts.create({ firstName, lastName: 'Okafor', title: 'CIO', organizationId }));

  it('answers and audits a contact patch as the unit of work does when the tags change too', async () => {
    const [org, moved, tag] = await m.seed(
      (em) => [organizationFactory(em), organizationFactory(em), tagFactory(em)] as const,
    );
    const owner = await m.user(Role.Manager);
    const [plain, tagged] = [await newContact('Maya', org.id), await newContact('Maia', org.id)];
    const change = {
      title: 'Partner',
      phone: null,
      organizationId: moved.id.toUpperCase(),
      ownerId: owner.id,
      contactType: ContactType.Investor,
    };
    const plainPatched = await as(() => contacts.update(plain.id, change, plain.version));
    const taggedPatched = await as(() => contacts.update(tagged.id, { ...change, tagIds: [tag.id] }));

    const answer = ({ id, firstName, tags, createdAt, updatedAt, ...rest }: typeof plainPatched) => {
      expect([id, firstName, tags, createdAt, updatedAt]).not.toContain(undefined);
      return rest;
    };
    expect(answer(plainPatched)).toEqual(answer(taggedPatched));
    expect(plainPatched).toMatchObject({
      title: 'Partner',
      organization: { id: moved.id, name: moved.name },
      owner: { id: owner.id, username: owner.username },
      version: 2,
    });
    // The answer is what a read gives.
    expect(await as(() => contacts.response(plain.id))).toEqual(plainPatched);

    const [plainAudit, taggedAudit] = await Promise.all([
      m.auditOf('contact', plain.id),
      m.auditOf('contact', tagged.id),
    ]);
    expect(plainAudit.map((a) => [a.action, a.actorUserId, a.source])).toEqual([
      ['create', member.id, 'api'],
      ['update', member.id, 'api'],
    ]);
    const { tags, ...taggedChanges } = taggedAudit[1].changes ?? {};
    expect(tags).toBeDefined();
    expect(plainAudit[1].changes).toEqual(taggedChanges);
    expect(plainAudit[1].changes).toEqual({
      title: { from: 'CIO', to: 'Partner' },
      organization: { from: org.id, to: moved.id },
      owner: { from: null, to: owner.id },
      contactType: { from: ContactType.Prospect, to: ContactType.Investor },
    });
  });

  it('a PUT clears what it leaves out and keeps an unchanged organization without checking it again', async () => {
    const [org] = await m.seed((em) => [organizationFactory(em)] as const);
    const c = await newContact('Ines', org.id);
    await m.em().nativeUpdate('Organization', { id: org.id }, { deletedAt: new Date() });
    const replaced = await as(() => contacts.replace(c.id, { firstName: 'Ines', organizationId: org.id }));
    expect(replaced).toMatchObject({ title: null, organization: { id: org.id }, version: 2 });
    expect((await m.auditOf('contact', c.id)).at(-1)?.changes).toEqual({
      lastName: { from: 'Okafor', to: '' },
      title: { from: 'CIO', to: null },
    });
  });

  it('writes nothing, and no audit row, for a patch that changes nothing', async () => {
    const c = await newContact('Noor');
    const same = await as(() => contacts.update(c.id, { title: 'CIO', phone: null }, c.version));
    expect(same).toEqual(c);
    expect(await m.auditOf('contact', c.id)).toHaveLength(1);
  });

  it('refuses a deleted organization or an inactive owner, a taken email, and a stale version; writes nothing', async () => {
    const [gone] = await m.seed((em) => [organizationFactory(em, { deletedAt: new Date() })] as const);
    const inactive = await m.user(Role.Member, false);
    const c = await newContact('Tariq');
    const other = await as(() => contacts.create({ firstName: 'Other', email: 'taken@fund.example' }));
    const refusals: [Parameters<ContactsService['update']>[1], Record<string, unknown>][] = [
      [{ organizationId: gone.id }, { details: [expect.objectContaining({ field: 'organizationId' })] }],
      [{ ownerId: inactive.id }, { details: [expect.objectContaining({ field: 'ownerId' })] }],
      [
        { email: 'TAKEN@fund.example' },
        { code: 'DUPLICATE_EMAIL', details: [expect.objectContaining({ contactId: other.id })] },
      ],
    ];
    for (const [body, refusal] of refusals) {
      await expect(as(() => contacts.update(c.id, { title: 'CEO', ...body }))).rejects.toMatchObject(refusal);
    }
    await expect(as(() => contacts.update(c.id, { title: 'CEO' }, c.version + 1))).rejects.toMatchObject({
      code: 'STALE_VERSION',
    });
    expect(await as(() => contacts.response(c.id))).toEqual(c);
    expect(await m.auditOf('contact', c.id)).toHaveLength(1);
  });

  it('refuses a write based on a version changed or a record deleted since it was read (409, 404)', async () => {
    const [org] = await m.seed((em) => [organizationFactory(em)] as const);
    const c = await newContact('Yara');
    const write = (version: number, organizationId: string | null = null) =>
      as(() =>
        updateAudited(m.em(), {
          entity: Contact,
          name: 'Contact',
          auditType: 'contact',
          id: c.id,
          version,
          before: { title: 'CIO', organization: null },
          after: { title: 'CEO', organization: organizationId },
          refs: organizationId ? { organization: liveOrganizationSql(m.em(), organizationId) } : {},
        }),
      );
    await as(() => contacts.update(c.id, { phone: '+1 555 0101' }));
    await expect(write(1)).rejects.toMatchObject({
      code: 'STALE_VERSION',
      details: { currentVersion: 2, sentVersion: 1 },
    });
    const written = await write(2, org.id);
    expect(written?.refs.organization).toEqual({ id: org.id, name: org.name });
    await as(() => contacts.softDelete(c.id, member));
    await expect(write(3)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await m.auditOf('contact', c.id)).map((a) => a.action)).toEqual([
      'create',
      'update',
      'update',
      'soft_delete',
    ]);
  });

  it('of concurrent patches from one version, one is written and the others are refused: none is lost', async () => {
    const c = await newContact('Lena');
    const results = await Promise.allSettled(
      ['CEO', 'CFO', 'COO', 'CTO'].map((title) => as(() => contacts.update(c.id, { title }, c.version))),
    );
    const written = results.filter((r) => r.status === 'fulfilled');
    expect(written).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(r.reason).toMatchObject({ code: 'STALE_VERSION' });
    }
    const now = await as(() => contacts.response(c.id));
    expect(now).toEqual(written[0].value);
    expect(await m.auditOf('contact', c.id)).toHaveLength(2);
  });

  it('answers and audits an organization patch as the unit of work does when the tags change too', async () => {
    const tag = await m.seed((em) => tagFactory(em));
    const create = (name: string) =>
      as(() => organizations.create({ name, city: 'Oslo', industry: 'Pension' }));
    const [plain, tagged] = [await create('Fjord Pension'), await create('Fjord Pensjon')];
    const change = { city: 'Bergen', industry: null, customFields: {} };
    const plainPatched = await as(() => organizations.update(plain.id, change, 1));
    const taggedPatched = await as(() => organizations.update(tagged.id, { ...change, tagIds: [tag.id] }, 1));
    const answer = ({ id, name, tags, createdAt, updatedAt, ...rest }: typeof plainPatched) => {
      expect([id, name, tags, createdAt, updatedAt]).not.toContain(undefined);
      return rest;
    };
    expect(answer(plainPatched)).toEqual(answer(taggedPatched));
    expect(plainPatched).toMatchObject({ city: 'Bergen', industry: null, version: 2 });
    expect(await as(() => organizations.get(plain.id, member))).toMatchObject(plainPatched);
    const [plainAudit, taggedAudit] = await Promise.all([
      m.auditOf('organization', plain.id),
      m.auditOf('organization', tagged.id),
    ]);
    const { tags, ...taggedChanges } = taggedAudit[1].changes ?? {};
    expect(tags).toBeDefined();
    expect(plainAudit[1].changes).toEqual(taggedChanges);
    expect(plainAudit[1].changes).toEqual({
      city: { from: 'Oslo', to: 'Bergen' },
      industry: { from: 'Pension', to: null },
    });
  });

  it('answers and audits a communication patch as the unit of work does when it infers the contact', async () => {
    const [contact, other] = await m.seed((em) => [contactFactory(em), contactFactory(em)] as const);
    const deal = await m.seed((em) => opportunityFactory(em, { contact }));
    const create = () =>
      as(() =>
        communications.create(
          {
            type: CommunicationType.Call,
            contactId: contact.id,
            subject: 'Intro',
            attendees: ['Dana'],
            communicationDate: '2026-11-29T10:00:00.000Z',
          },
          member,
        ),
      );
    const [plain, inferred] = [await create(), await create()];
    const change = {
      opportunityId: deal.id,
      communicationDate: '2026-11-30T15:00:00.000Z',
      outcome: 'Wants the data room',
      nextActionDate: '2027-01-15',
      attendees: ['Dana', 'Lee'],
    };
    const plainPatched = await as(() => communications.update(plain.id, change));
    // An opportunity sent with no contact: the unit of work files it under the opportunity's contact.
    const inferredPatched = await as(() =>
      communications.update(inferred.id, { ...change, contactId: null }),
    );
    const answer = ({ id, createdAt, updatedAt, ...rest }: typeof plainPatched) => {
      expect([id, createdAt, updatedAt]).not.toContain(undefined);
      return rest;
    };
    expect(answer(plainPatched)).toEqual(answer(inferredPatched));
    expect(plainPatched).toMatchObject({
      contact: { id: contact.id },
      opportunity: { id: deal.id, name: deal.name },
      communicationDate: change.communicationDate,
    });
    expect(await as(() => communications.get(plain.id, member))).toEqual(plainPatched);
    const [plainAudit, inferredAudit] = await Promise.all([
      m.auditOf('communication', plain.id),
      m.auditOf('communication', inferred.id),
    ]);
    expect(plainAudit[1].changes).toEqual(inferredAudit[1].changes);
    expect(Object.keys(plainAudit[1].changes ?? {}).sort()).toEqual(
      ['attendees', 'communicationDate', 'nextActionDate', 'opportunity', 'outcome'].sort(),
    );

    // Moved to another contact, and cleared by a PUT: the contact is checked and named, the rest cleared.
    const moved = await as(() =>
      communications.replace(plain.id, { type: CommunicationType.Note, contactId: other.id }),
    );
    expect(moved).toMatchObject({
      type: 'note',
      contact: { id: other.id, name: `${other.firstName} ${other.lastName}`.trim() },
      opportunity: null,
      subject: null,
      attendees: [],
    });
    expect(await as(() => communications.get(plain.id, member))).toEqual(moved);
    await expect(as(() => communications.update(plain.id, { contactId: null }))).rejects.toMatchObject({
      details: expect.arrayContaining([expect.objectContaining({ field: 'contactId' })]),
    });
  });
});
