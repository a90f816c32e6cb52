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
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { ContactMergeService } from '../../src/modules/contacts/contact-merge.service.js';
import { ContactsModule } from '../../src/modules/contacts/contacts.module.js';
import { ContactsService } from '../../src/modules/contacts/contacts.service.js';
import { ListContactsQueryDto } from '../../src/modules/contacts/dto/contact-request.dto.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

describe('ContactsService on PostgreSQL', () => {
  let m: MediumModule;
  let service: ContactsService;
  let merges: ContactMergeService;
  let member: AuthUser;
  let manager: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(ContactsModule);
    service = m.module.get(ContactsService);
    merges = m.module.get(ContactMergeService);
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
