import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { PagingQueryDto } from '../../src/common/dto/paging.dto.js';
import {
  communicationFactory,
  contactFactory,
  organizationFactory,
  tagFactory,
} from '../../src/database/factories/index.js';
import { Communication } from '../../src/modules/communications/communication.entity.js';
import { Contact, ContactStatus, ContactType } from '../../src/modules/contacts/contact.entity.js';
import { ContactMergeService } from '../../src/modules/contacts/contact-merge.service.js';
import { ContactsModule } from '../../src/modules/contacts/contacts.module.js';
import { ContactsService } from '../../src/modules/contacts/contacts.service.js';
import { ListContactsQueryDto } from '../../src/modules/contacts/dto/contact-request.dto.js';
import { OrganizationsModule } from '../../src/modules/organizations/organizations.module.js';
import { OrganizationsService } from '../../src/modules/organizations/organizations.service.js';
import { createMediumModule, type MediumModule, UNKNOWN_ID } from '../helpers/medium.js';

describe('ContactsService on PostgreSQL', () => {
  let m: MediumModule;
  let service: ContactsService;
  let merges: ContactMergeService;
  let organizations: OrganizationsService;
  let member: AuthUser;
  let manager: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(ContactsModule, OrganizationsModule);
    service = m.module.get(ContactsService);
    merges = m.module.get(ContactMergeService);
    organizations = m.module.get(OrganizationsService);
    [member, manager] = await Promise.all([m.user(Role.Member), m.user(Role.Manager)]);
  });
  afterAll(() => m.close());

  const create = (body: Parameters<ContactsService['create']>[0]) => m.as(member, () => service.create(body));

  it('creates with its organization and tags, and one audit row naming them', async () => {
    const [org, tag] = await m.seed((em) => [organizationFactory(em), tagFactory(em)] as const);
    const c = await create({ firstName: 'Dana', lastName: 'Ruiz', organizationId: org.id, tagIds: [tag.id] });
    expect(c).toMatchObject({ firstName: 'Dana', lastName: 'Ruiz', organization: { id: org.id } });
    expect(c.tags.map((t) => t.id)).toEqual([tag.id]);
    const audit = await m.auditOf('contact', c.id);
    expect(audit.map((a) => [a.action, a.actorUserId, a.source])).toEqual([['create', member.id, 'api']]);
    expect(audit[0].changes).toMatchObject({
      firstName: { from: null, to: 'Dana' },
      organization: { from: null, to: org.id },
      tags: { from: [], to: [tag.name] },
    });
  });

  it('writes a contact without tags in one statement, answered and audited as the unit of work does with tags', async () => {
    const [org, tag] = await m.seed((em) => [organizationFactory(em), tagFactory(em)] as const);
    const owner = await m.user(Role.Manager);
    const body = {
      lastName: 'Okafor',
      email: 'maya@harbor.example',
      phone: '+1 555 0100',
      title: 'Partner',
      organizationId: org.id,
      ownerId: owner.id,
      contactType: ContactType.Investor,
      notes: 'Met at the annual meeting',
    };
    const plain = await create({ ...body, firstName: 'Maya' });
    const tagged = await create({
      ...body,
      firstName: 'Maia',
      email: 'maia@harbor.example',
      tagIds: [tag.id],
    });
    const answer = ({ id, firstName, email, tags, createdAt, updatedAt, ...rest }: typeof plain) => {
      expect([id, firstName, email, tags, createdAt, updatedAt]).not.toContain(undefined);
      return rest;
    };
    expect(answer(plain)).toEqual(answer(tagged));
    expect(plain).toMatchObject({ organization: { id: org.id, name: org.name }, owner: { id: owner.id } });
    expect(plain.tags).toEqual([]);
    // The answer is what a read gives.
    expect(await m.as(member, () => service.response(plain.id))).toEqual(plain);

    const [plainAudit, taggedAudit] = await Promise.all([
      m.auditOf('contact', plain.id),
      m.auditOf('contact', tagged.id),
    ]);
    const shape = (a: (typeof plainAudit)[number]) => [a.action, a.actorUserId, a.source];
    expect(plainAudit.map(shape)).toEqual(taggedAudit.map(shape));
    const { firstName: f1, email: e1, ...plainChanges } = plainAudit[0].changes ?? {};
    const { firstName: f2, email: e2, tags, ...taggedChanges } = taggedAudit[0].changes ?? {};
    expect([f1, e1, f2, e2, tags]).not.toContain(undefined);
    expect(plainChanges).toEqual(taggedChanges);
  });

  it('writes nothing when a contact without tags links to a deleted organization or an inactive owner', async () => {
    const [org] = await m.seed((em) => [organizationFactory(em, { deletedAt: new Date() })] as const);
    const inactive = await m.user(Role.Member, false);
    await expect(create({ firstName: 'Nobody', organizationId: org.id })).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'organizationId' })],
    });
    await expect(create({ firstName: 'Nobody', ownerId: inactive.id })).rejects.toMatchObject({
      details: [expect.objectContaining({ field: 'ownerId' })],
    });
    const written = await m.em().count(Contact, { firstName: 'Nobody' });
    expect(written).toBe(0);
  });

  it('an email is unique among live contacts, ignoring case; a deleted contact frees it until restored', async () => {
    const first = await create({ firstName: 'Ada', email: 'ada@fund.example' });
    await expect(create({ firstName: 'Other', email: 'ADA@fund.example' })).rejects.toMatchObject({
      code: 'DUPLICATE_EMAIL',
      details: [expect.objectContaining({ field: 'email', contactId: first.id })],
    });

    await m.as(member, () => service.softDelete(first.id, member));
    const second = await create({ firstName: 'Ada two', email: 'Ada@Fund.example' });
    await expect(m.as(manager, () => service.restore(first.id))).rejects.toMatchObject({
      code: 'DUPLICATE_EMAIL',
      details: [expect.objectContaining({ contactId: second.id })],
    });
    const row = await m.em().findOneOrFail(Contact, first.id);
    expect(row.deletedAt).not.toBeNull();
  });

  describe('list', () => {
    const ids = async (values: Partial<ListContactsQueryDto>) =>
      (
        await m.as(member, () => service.list(Object.assign(new ListContactsQueryDto(), values), member))
      ).data.map((c) => c.id);

    it('filters by type, status, organization, tag and owner', async () => {
      const [org, tag] = await m.seed((em) => [organizationFactory(em), tagFactory(em)] as const);
      const a = await create({
        firstName: 'Ann',
        lastName: 'Filter',
        organizationId: org.id,
        contactType: ContactType.Investor,
        tagIds: [tag.id],
        ownerId: manager.id,
      });
      const b = await create({
        firstName: 'Bob',
        lastName: 'Filter',
        organizationId: org.id,
        status: ContactStatus.Inactive,
      });
      expect(await ids({ organizationId: org.id })).toEqual([a.id, b.id]);
      expect(await ids({ organizationId: org.id, type: ContactType.Investor })).toEqual([a.id]);
      expect(await ids({ organizationId: org.id, status: ContactStatus.Inactive })).toEqual([b.id]);
      expect(await ids({ tag: tag.id })).toEqual([a.id]);
      expect(await ids({ ownerId: manager.id })).toEqual([a.id]);
      expect(await ids({ organizationId: UNKNOWN_ID })).toEqual([]);
    });

    it('sorts by each whitelisted field in both orders (default last name, then first name), and pages', async () => {
      const org = await m.seed((em) => organizationFactory(em));
      const make = (firstName: string, lastName: string, email: string) =>
        create({ firstName, lastName, email, organizationId: org.id });
      const c1 = await make('Zoe', 'Adams', 'b@sort.example');
      const c2 = await make('Amy', 'Adams', 'c@sort.example');
      const c3 = await make('Mia', 'Brown', 'a@sort.example');
      await m.as(member, () => service.update(c1.id, { title: 'Touched' }));
      const sorted = (values: Partial<ListContactsQueryDto>) => ids({ organizationId: org.id, ...values });
      const cases: [Partial<ListContactsQueryDto>, string[]][] = [
        [{}, [c2.id, c1.id, c3.id]],
        [{ sort: 'lastName', order: 'desc' }, [c3.id, c1.id, c2.id]],
        [{ sort: 'firstName' }, [c2.id, c3.id, c1.id]],
        [{ sort: 'email', order: 'desc' }, [c2.id, c1.id, c3.id]],
        [{ sort: 'createdAt' }, [c1.id, c2.id, c3.id]],
        [{ sort: 'createdAt', order: 'desc' }, [c3.id, c2.id, c1.id]],
      ];
      for (const [query, expected] of cases)
        expect({ query, ids: await sorted(query) }).toEqual({ query, ids: expected });
      expect((await sorted({ sort: 'updatedAt', order: 'desc' }))[0]).toBe(c1.id);
      expect(await sorted({ limit: 2, offset: 1 })).toEqual([c1.id, c3.id]);
      const beyond = await m.as(member, () =>
        service.list(
          Object.assign(new ListContactsQueryDto(), { organizationId: org.id, offset: 10 }),
          member,
        ),
      );
      expect([beyond.data, beyond.total]).toEqual([[], 3]);
    });

    it('searches first name, last name, email and live organization name, partially, ignoring case, literally', async () => {
      const [org, gone] = await m.seed(
        (em) =>
          [
            organizationFactory(em, { name: 'Quixotic Holdings' }),
            organizationFactory(em, { name: 'Vanished Zyzzyva Trust', deletedAt: new Date() }),
          ] as const,
      );
      const ann = await create({
        firstName: 'Annabelle',
        lastName: 'Xanthopoulos',
        email: 'ax@mail.example',
      });
      const bob = await create({ firstName: 'Bob', lastName: 'Plain', organizationId: org.id });
      const cat = await create({ firstName: 'Cat', lastName: 'Mailer', email: 'cat@quirkmail.example' });
      await m.seed((em) =>
        contactFactory(em, { firstName: 'Dan', lastName: 'Zyzzyva-free', organization: gone }),
      );
      expect(await ids({ search: 'nthopoul' })).toEqual([ann.id]); // inside the last name
      expect(await ids({ search: 'ANNAB' })).toEqual([ann.id]); // first name, other case
      expect(await ids({ search: 'belle xan' })).toEqual([ann.id]); // across first and last name
      expect(await ids({ search: 'quirkMAIL' })).toEqual([cat.id]); // inside the email
      expect(await ids({ search: 'xotic hold' })).toEqual([bob.id]); // organization name
      expect(await ids({ search: 'zzyva trust' })).toEqual([]); // a deleted organization's name does not match
      expect(await ids({ search: '%' })).toEqual([]); // wildcards are literal
      expect(await ids({ search: '_' })).toEqual([]);
      expect(await ids({ search: 'mail', sort: 'firstName', order: 'desc', limit: 1 })).toEqual([cat.id]);
      expect(await ids({ search: 'quixotic', organizationId: org.id, type: ContactType.Prospect })).toEqual([
        bob.id,
      ]);
    });

    it('search follows the organization: renamed, deleted, restored, or the contact moved', async () => {
      const [mistral, sirocco] = await m.seed(
        (em) =>
          [
            organizationFactory(em, { name: 'Mistral Ventures' }),
            organizationFactory(em, { name: 'Sirocco Partners' }),
          ] as const,
      );
      const eve = await create({ firstName: 'Eve', lastName: 'Aldana', organizationId: mistral.id });
      const asMember = <T>(fn: () => Promise<T>) => m.as(member, fn);
      expect(await ids({ search: 'mistral vent' })).toEqual([eve.id]);

      await asMember(() => organizations.update(mistral.id, { name: 'Tramontane Ventures' }));
      expect(await ids({ search: 'mistral' })).toEqual([]);
      expect(await ids({ search: 'tramontane' })).toEqual([eve.id]);

      await m.as(manager, () => organizations.softDelete(mistral.id, manager));
      expect(await ids({ search: 'tramontane' })).toEqual([]);
      expect(await ids({ search: 'eve aldana' })).toEqual([eve.id]); // its own names still match
      await m.as(manager, () => organizations.restore(mistral.id));
      expect(await ids({ search: 'tramontane' })).toEqual([eve.id]);

      const moved = await asMember(() => service.update(eve.id, { organizationId: sirocco.id }));
      expect(await ids({ search: 'tramontane' })).toEqual([]);
      expect(await ids({ search: 'sirocco' })).toEqual([eve.id]);
      // Following the organization is not an edit of the contact.
      await asMember(() => organizations.update(sirocco.id, { name: 'Sirocco Capital' }));
      const after = await asMember(() => service.response(eve.id));
      expect([after.version, after.updatedAt]).toEqual([moved.version, moved.updatedAt]);
      expect(await ids({ search: 'sirocco capital' })).toEqual([eve.id]);
    });
  });

  it('soft delete hides the contact from the list and the detail; restore brings it back; both audited', async () => {
    const c = await create({ firstName: 'Grace', lastName: 'Quiet' });
    const listed = async (values: Partial<ListContactsQueryDto> = {}, caller = member) =>
      (
        await m.as(caller, () =>
          service.list(Object.assign(new ListContactsQueryDto(), { search: 'Quiet', ...values }), caller),
        )
      ).data.map((x) => x.id);
    expect(await listed()).toEqual([c.id]);

    await m.as(member, () => service.softDelete(c.id, member));
    expect(await listed()).toEqual([]);
    expect(await listed({ includeDeleted: true }, manager)).toEqual([c.id]);
    await expect(m.as(member, () => service.get(c.id, member))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const row = await m.em().findOneOrFail(Contact, c.id);
    expect(row.deletedBy?.id).toBe(member.id);

    const restored = await m.as(manager, () => service.restore(c.id));
    expect(restored.deletedAt).toBeNull();
    expect(await listed()).toEqual([c.id]);
    expect((await m.auditOf('contact', c.id)).map((a) => [a.action, a.actorUserId])).toEqual([
      ['create', member.id],
      ['soft_delete', member.id],
      ['restore', manager.id],
    ]);
  });

  it('a patch changes only what it sends, a stale version is refused', async () => {
    const c = await create({ firstName: 'Linus', title: 'CIO', phone: '+1 555 0100' });
    const patched = await m.as(member, () => service.update(c.id, { title: 'CFO' }, c.version));
    expect(patched).toMatchObject({ title: 'CFO', phone: '+1 555 0100', version: c.version + 1 });
    await expect(m.as(member, () => service.update(c.id, { title: 'CEO' }, c.version))).rejects.toMatchObject(
      {
        code: 'STALE_VERSION',
      },
    );
    const audit = await m.auditOf('contact', c.id);
    expect(audit.at(-1)?.changes).toEqual({ title: { from: 'CIO', to: 'CFO' } });
  });

  it('groups similar names within one organization as likely duplicates', async () => {
    const [a, b] = await m.seed((em) => {
      const org = organizationFactory(em, { name: 'Zeta Duplicates Trust' });
      return [
        contactFactory(em, { firstName: 'Katherine', lastName: 'Johnson', organization: org }),
        contactFactory(em, { firstName: 'Katharine', lastName: 'Johnson', organization: org }),
      ] as const;
    });
    const report = await m.as(manager, () => merges.duplicates(new PagingQueryDto()));
    const group = report.data.find((g) => g.contacts.some((c) => c.id === a.id));
    expect(group).toMatchObject({ reason: 'similar_name' });
    expect(group?.contacts.map((c) => c.id).sort()).toEqual([a.id, b.id].sort());
    expect(group?.explanation).toContain('Zeta Duplicates Trust');
  });

  it('a merge moves the source’s communications, fills empty fields, deletes the source, and audits it all', async () => {
    const [kept, source, note] = await m.seed((em) => {
      const k = contactFactory(em, { title: null });
      const s = contactFactory(em, { title: 'Partner' });
      return [k, s, communicationFactory(em, { contact: s })] as const;
    });
    const merged = await m.as(manager, () => merges.merge(kept.id, source.id, manager));
    expect(merged.title).toBe('Partner');
    const moved = await m.em().findOneOrFail(Communication, note.id);
    expect(moved.contact?.id).toBe(kept.id);
    expect((await m.em().findOneOrFail(Contact, source.id)).deletedAt).not.toBeNull();

    // The seed's own rows are the factory's (source system); the merge's are the manager's.
    const keptAudit = (await m.auditOf('contact', kept.id)).filter((a) => a.actorUserId === manager.id);
    expect(keptAudit.map((a) => a.action).sort()).toEqual(['merge', 'update']);
    expect(keptAudit.find((a) => a.action === 'merge')?.meta).toMatchObject({
      sourceId: source.id,
      moved: { communication: [note.id] },
    });
    expect((await m.auditOf('communication', note.id)).map((a) => a.action)).toContain('update');
  });
});
