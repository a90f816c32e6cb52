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
import { createMediumModule, type MediumModule, refusal } from '../helpers/medium.js';

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

  it('an opportunity without a contact leaves the contact empty; a contact sent with the opportunity wins', async () => {
    const [orphan, deal, lee] = await m.seed(
      (em) =>
        [
          opportunityFactory(em),
          opportunityFactory(em, { contact: contactFactory(em) }),
          contactFactory(em),
        ] as const,
    );
    const alone = await m.as(member, () =>
      service.create({ type: CommunicationType.Note, opportunityId: orphan.id }, member),
    );
    expect([alone.contact, alone.opportunity?.id]).toEqual([null, orphan.id]);
    const both = await m.as(member, () =>
      service.create({ type: CommunicationType.Note, opportunityId: deal.id, contactId: lee.id }, member),
    );
    expect(both.contact?.id).toBe(lee.id);
  });

  it('refuses no link, unknown links and a deleted opportunity, naming the field', async () => {
    const gone = await m.seed((em) => opportunityFactory(em, { deletedAt: new Date() }));
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [links, field] of [
      [{}, 'contactId'],
      [{ contactId: unknown }, 'contactId'],
      [{ opportunityId: unknown }, 'opportunityId'],
      [{ opportunityId: gone.id }, 'opportunityId'],
    ] as const) {
      await expect(
        m.as(member, () => service.create({ type: CommunicationType.Call, ...links }, member)),
      ).rejects.toMatchObject(refusal(field));
    }
  });

  it('PUT replaces the record (author and date kept), PATCH changes only what is sent; one link must stay', async () => {
    const [dana, lee, deal] = await m.seed(
      (em) => [contactFactory(em), contactFactory(em), opportunityFactory(em)] as const,
    );
    const c = await m.as(member, () =>
      service.create(
        {
          type: CommunicationType.Email,
          contactId: dana.id,
          subject: 'Deck',
          outcome: 'Sent',
          communicationDate: '2024-03-15T10:00:00Z',
          attendees: ['Dana'],
        },
        member,
      ),
    );
    const put = await m.as(member, () =>
      service.replace(c.id, { type: CommunicationType.Call, contactId: lee.id, subject: 'Follow-up call' }),
    );
    expect(put).toMatchObject({ type: 'call', subject: 'Follow-up call', outcome: null, attendees: [] });
    expect([put.contact?.id, put.createdBy?.id, put.communicationDate]).toEqual([
      lee.id,
      member.id,
      '2024-03-15T10:00:00.000Z',
    ]);
    const patch = await m.as(manager, () =>
      service.update(c.id, {
        outcome: 'Interested',
        opportunityId: deal.id,
        communicationDate: '2024-03-16T09:30:00+01:00',
      }),
    );
    expect(patch).toMatchObject({ type: 'call', subject: 'Follow-up call', outcome: 'Interested' });
    expect([patch.contact?.id, patch.opportunity?.id, patch.createdBy?.id]).toEqual([
      lee.id,
      deal.id,
      member.id,
    ]);
    expect(patch.communicationDate).toBe('2024-03-16T08:30:00.000Z');
    const cleared = await m.as(member, () => service.update(c.id, { contactId: null }));
    expect([cleared.contact, cleared.opportunity?.id]).toEqual([null, deal.id]);
    await expect(m.as(member, () => service.update(c.id, { opportunityId: null }))).rejects.toMatchObject({
      details: [
        expect.objectContaining({ field: 'contactId' }),
        expect.objectContaining({ field: 'opportunityId' }),
      ],
    });
  });

  describe('lists', () => {
    let ana: Contact;
    let deal: Opportunity;
    const subjects = async (values: Partial<ListCommunicationsQueryDto> = {}) =>
      (
        await m.as(member, () =>
          service.list(query(new ListCommunicationsQueryDto(), { contactId: ana.id, ...values }), member),
        )
      ).data.map((c) => c.subject);

    beforeAll(async () => {
      [ana, deal] = await m.seed((em) => [contactFactory(em), opportunityFactory(em)] as const);
      const rows: Parameters<CommunicationsService['create']>[0][] = [
        {
          type: CommunicationType.Meeting,
          subject: 'Quarterly meetings recap',
          communicationDate: '2024-01-10T15:00:00Z',
        },
        {
          type: CommunicationType.Call,
          subject: 'Allocation call',
          body: 'Discussed the pension allocation',
          communicationDate: '2024-02-05T09:00:00Z',
        },
        {
          type: CommunicationType.Email,
          opportunityId: deal.id,
          subject: 'Subscription documents',
          communicationDate: '2024-03-01T11:00:00Z',
        },
        {
          type: CommunicationType.Note,
          subject: 'Board meeting notes',
          body: 'They met their board',
          communicationDate: '2024-03-20T18:00:00Z',
        },
      ];
      for (const row of rows)
        await m.as(manager, () => service.create({ contactId: ana.id, ...row }, manager));
    });

    it('filters by contact, opportunity, type and author, newest first by default', async () => {
      expect(await subjects()).toEqual([
        'Board meeting notes',
        'Subscription documents',
        'Allocation call',
        'Quarterly meetings recap',
      ]);
      expect(await subjects({ type: CommunicationType.Call })).toEqual(['Allocation call']);
      expect(await subjects({ contactId: undefined, opportunityId: deal.id })).toEqual([
        'Subscription documents',
      ]);
      expect(await subjects({ createdById: manager.id })).toHaveLength(4);
      expect(await subjects({ createdById: member.id })).toEqual([]);
    });

    it('searches subject and body in full text, with stemming, negation and phrases', async () => {
      expect(await subjects({ search: 'meeting' })).toEqual([
        'Board meeting notes',
        'Quarterly meetings recap',
      ]);
      expect(await subjects({ search: 'ALLOCATIONS' })).toEqual(['Allocation call']);
      expect(await subjects({ search: 'pension' })).toEqual(['Allocation call']);
      expect(await subjects({ search: 'board -quarterly' })).toEqual(['Board meeting notes']);
      expect(await subjects({ search: '"subscription documents"' })).toEqual(['Subscription documents']);
      expect(await subjects({ search: 'nothing-like-this' })).toEqual([]);
    });

    it('filters by date range: days are whole days, date-times exact', async () => {
      expect(await subjects({ from: '2024-02-01', to: '2024-03-01' })).toEqual([
        'Subscription documents',
        'Allocation call',
      ]);
      expect(await subjects({ from: '2024-03-01T11:00:01Z' })).toEqual(['Board meeting notes']);
      expect(await subjects({ to: '2024-01-10T15:00:00Z' })).toEqual(['Quarterly meetings recap']);
      expect(await subjects({ from: '2024-03-20T18:00:00Z', to: '2024-03-20T18:00:00Z' })).toEqual([
        'Board meeting notes',
      ]);
    });

    it('sorts by date, type (enum order) and createdAt, and pages with the total', async () => {
      const page = await m.as(member, () =>
        service.list(
          query(new ListCommunicationsQueryDto(), { contactId: ana.id, order: 'asc', limit: 2, offset: 1 }),
          member,
        ),
      );
      expect([page.total, page.data.map((c) => c.subject)]).toEqual([
        4,
        ['Allocation call', 'Subscription documents'],
      ]);
      const byType = await m.as(member, () =>
        service.list(
          query(new ListCommunicationsQueryDto(), { contactId: ana.id, sort: 'type', order: 'asc' }),
          member,
        ),
      );
      expect(byType.data.map((c) => c.type)).toEqual(['email', 'call', 'meeting', 'note']);
      expect((await subjects({ sort: 'createdAt', order: 'desc' }))[0]).toBe('Board meeting notes');
    });

    it('a contact’s own list takes the same filters', async () => {
      const filters = query(new CommunicationFiltersQueryDto(), {
        search: 'meetings',
        from: '2024-02-01',
        type: CommunicationType.Note,
      });
      const listed = await m.as(member, () => service.forContact(ana.id, filters, member));
      expect(listed.data.map((c) => c.subject)).toEqual(['Board meeting notes']);
    });
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
