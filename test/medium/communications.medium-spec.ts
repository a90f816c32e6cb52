import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import { Role } from '../../src/common/auth/role.js';
import { contactFactory, opportunityFactory } from '../../src/database/factories/index.js';
import { Communication, CommunicationType } from '../../src/modules/communications/communication.entity.js';
import { CommunicationsModule } from '../../src/modules/communications/communications.module.js';
import { CommunicationsService } from '../../src/modules/communications/communications.service.js';
import {
  CommunicationFiltersQueryDto,
  ListCommunicationsQueryDto,
} from '../../src/modules/communications/dto/communication.dto.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Opportunity } from '../../src/modules/opportunities/opportunity.entity.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

describe('CommunicationsService on PostgreSQL', () => {
  let m: MediumModule;
  let service: CommunicationsService;
  let member: AuthUser;
  let manager: AuthUser;

  beforeAll(async () => {
    m = await createMediumModule(CommunicationsModule);
    service = m.module.get(CommunicationsService);
    [member, manager] = await Promise.all([m.user(Role.Member), m.user(Role.Manager)]);
  });
  afterAll(() => m.close());

  const query = <T extends object>(dto: T, values: Partial<T> = {}): T => Object.assign(dto, values);
  const setDeleted = async (entity: typeof Contact | typeof Opportunity, id: string, deleted: boolean) => {
    const em = m.em();
    const row = await em.findOneOrFail(entity as typeof Contact, id);
    row.deletedAt = deleted ? new Date() : null;
    await em.flush();
  };
  const listedIds = async (values: Partial<ListCommunicationsQueryDto> = {}, caller = member) =>
    (
      await m.as(caller, () => service.list(query(new ListCommunicationsQueryDto(), values), caller))
    ).data.map((c) => c.id);

  it('creates a communication by its author, filed under the contact, with an audit row', async () => {
    const contact = await m.seed((em) => contactFactory(em));
    const created = await m.as(member, () =>
      service.create(
        { type: CommunicationType.Call, contactId: contact.id, subject: 'Intro call', durationMinutes: 30 },
        member,
      ),
    );
    expect(created).toMatchObject({ type: 'call', subject: 'Intro call', durationMinutes: 30 });
    expect(created.contact?.id).toBe(contact.id);
    expect(created.createdBy?.id).toBe(member.id);
    const audit = await m.auditOf('communication', created.id);
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([['create', member.id]]);
  });

  it('given only an opportunity, files it under the opportunity’s contact too', async () => {
    const opp = await m.seed((em) => opportunityFactory(em, { contact: contactFactory(em) }));
    const created = await m.as(member, () =>
      service.create({ type: CommunicationType.Note, opportunityId: opp.id }, member),
    );
    expect(created.opportunity?.id).toBe(opp.id);
    expect(created.contact?.id).toBe(opp.contact!.id);
  });

  it('is hidden while its contact is deleted, and back when the contact is restored', async () => {
    const contact = await m.seed((em) => contactFactory(em));
    const c = await m.as(member, () =>
      service.create({ type: CommunicationType.Email, contactId: contact.id }, member),
    );
    await setDeleted(Contact, contact.id, true);
    await expect(m.as(member, () => service.get(c.id, member))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await listedIds()).not.toContain(c.id);
    // A manager may still ask for it.
    expect(await listedIds({ includeDeleted: true }, manager)).toContain(c.id);
    expect((await m.as(manager, () => service.get(c.id, manager, true))).id).toBe(c.id);
    // The row itself is untouched.
    expect(await m.em().count(Communication, { id: c.id })).toBe(1);

    await setDeleted(Contact, contact.id, false);
    expect((await m.as(member, () => service.get(c.id, member))).id).toBe(c.id);
    expect(await listedIds()).toContain(c.id);
  });

  it('is hidden while its opportunity is deleted, from the contact’s list as well', async () => {
    const opp = await m.seed((em) => opportunityFactory(em, { contact: contactFactory(em) }));
    const c = await m.as(member, () =>
      service.create({ type: CommunicationType.Meeting, opportunityId: opp.id }, member),
    );
    const contactList = () =>
      m.as(member, () => service.forContact(opp.contact!.id, new CommunicationFiltersQueryDto(), member));
    expect((await contactList()).data.map((x) => x.id)).toEqual([c.id]);

    await setDeleted(Opportunity, opp.id, true);
    expect((await contactList()).data).toEqual([]);
    expect(await listedIds({ opportunityId: opp.id })).toEqual([]);
    await expect(m.as(member, () => service.get(c.id, member))).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await setDeleted(Opportunity, opp.id, false);
    expect(await listedIds({ opportunityId: opp.id })).toEqual([c.id]);
  });

  it('refuses a deleted contact as the link (400 naming contactId)', async () => {
    const contact = await m.seed((em) => contactFactory(em, { deletedAt: new Date() }));
    await expect(
      m.as(member, () => service.create({ type: CommunicationType.Email, contactId: contact.id }, member)),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [expect.objectContaining({ field: 'contactId' })],
    });
  });

  it('a member may not ask for hidden ones', async () => {
    await expect(listedIds({ includeDeleted: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('remove deletes the row for good and audits it', async () => {
    const contact = await m.seed((em) => contactFactory(em));
    const c = await m.as(member, () =>
      service.create({ type: CommunicationType.Text, contactId: contact.id }, member),
    );
    await m.as(manager, () => service.remove(c.id));
    expect(await m.em().count(Communication, { id: c.id })).toBe(0);
    const audit = await m.auditOf('communication', c.id);
    expect(audit.map((a) => [a.action, a.actorUserId])).toEqual([
      ['create', member.id],
      ['delete', manager.id],
    ]);
  });
});
