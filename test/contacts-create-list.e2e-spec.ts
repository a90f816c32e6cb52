import { beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { User } from '../src/modules/users/user.entity.js';
import { createUser, type SignedInUser } from './helpers/auth.js';
import { type ContactBody, contactsFixture, type CrmApi, listContacts, UNKNOWN_ID } from './helpers/crm.js';
import { suiteTestApp } from './helpers/test-app.js';

describe('contacts: create, validation and list', () => {
  const t = suiteTestApp();
  let member: SignedInUser;
  let manager: SignedInUser;
  let api: CrmApi;

  beforeAll(async () => {
    ({ member, manager, api } = await contactsFixture(t));
  });

  const list = (query: string, user = member) => listContacts(t, query, user);

  describe('create and validation', () => {
    it('creates with defaults, trims text, and answers references and version 1', async () => {
      const org = await api.organization('Redwood Endowment');
      const tag = await api.tag('High Priority');
      const contact = await api.contact({
        firstName: '  Dana ',
        lastName: 'Ruiz',
        email: 'Dana.Ruiz@Redwood.example',
        title: ' ',
        organizationId: org.id,
        ownerId: member.id,
        tagIds: [tag.id],
        linkedinUrl: 'https://www.linkedin.com/in/dana-ruiz',
        preferredContact: 'email',
        customFields: { region: 'West' },
      });
      expect(contact).toMatchObject({
        firstName: 'Dana',
        lastName: 'Ruiz',
        email: 'Dana.Ruiz@Redwood.example',
        title: null,
        organization: { id: org.id, name: 'Redwood Endowment' },
        owner: { id: member.id, username: member.username, fullName: expect.any(String) },
        tags: [{ id: tag.id, name: 'High Priority', color: '#64748b' }],
        contactType: 'prospect',
        status: 'active',
        preferredContact: 'email',
        customFields: { region: 'West' },
        version: 1,
        deletedAt: null,
      });
      const minimal = await api.contact({ firstName: 'Solo' });
      expect(minimal).toMatchObject({ lastName: '', email: null, organization: null, owner: null, tags: [] });
    });

    it('refuses bad input with a 400 naming the field', async () => {
      const org = await api.organization('Gone Org');
      await t.http.delete(`/api/organizations/${org.id}`).set(manager.auth).expect(204);
      const inactive = await createUser(t, Role.Member);
      const em = t.orm.em.fork();
      await em.nativeUpdate(User, { id: inactive.id }, { isActive: false });
      const cases: [Record<string, unknown>, string][] = [
        [{}, 'firstName'],
        [{ firstName: '   ' }, 'firstName'],
        [{ firstName: 123 }, 'firstName'],
        [{ firstName: 'x'.repeat(101) }, 'firstName'],
        [{ firstName: 'A', lastName: 'x'.repeat(101) }, 'lastName'],
        [{ firstName: 'A', title: 'x'.repeat(151) }, 'title'],
        [{ firstName: 'A', notes: 'x'.repeat(20001) }, 'notes'],
        [{ firstName: 'A', email: 'not-an-email' }, 'email'],
        [{ firstName: 'A', contactType: 'vip' }, 'contactType'],
        [{ firstName: 'A', status: 'asleep' }, 'status'],
        [{ firstName: 'A', preferredContact: 'pigeon' }, 'preferredContact'],
        [{ firstName: 'A', organizationId: 'nope' }, 'organizationId'],
        [{ firstName: 'A', organizationId: UNKNOWN_ID }, 'organizationId'],
        [{ firstName: 'A', email: 'checked-first@x.example', organizationId: UNKNOWN_ID }, 'organizationId'],
        [{ firstName: 'A', organizationId: org.id }, 'organizationId'],
        [{ firstName: 'A', ownerId: '123' }, 'ownerId'],
        [{ firstName: 'A', ownerId: UNKNOWN_ID }, 'ownerId'],
        [{ firstName: 'A', ownerId: inactive.id }, 'ownerId'],
        [{ firstName: 'A', tagIds: ['nope'] }, 'tagIds'],
        [{ firstName: 'A', tagIds: [UNKNOWN_ID] }, 'tagIds'],
        [{ firstName: 'A', tagIds: 'x' }, 'tagIds'],
        [{ firstName: 'A', linkedinUrl: 'javascript:alert(1)' }, 'linkedinUrl'],
        [{ firstName: 'A', linkedinUrl: 'https://linkedin.evil.example/in/a' }, 'linkedinUrl'],
        [{ firstName: 'A', customFields: 'x' }, 'customFields'],
        [{ firstName: 'A', favouriteColour: 'blue' }, 'favouriteColour'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http.post('/api/contacts').set(member.auth).send(body);
        expect({ body, status: res.status }).toEqual({ body, status: 400 });
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
        expect(res.body.message).toContain(field);
      }
      expect(await t.orm.em.fork().count(Contact, { firstName: 'A' })).toBe(0);
    });

    it('refuses an email a live contact already has, ignoring case, naming that contact', async () => {
      const first = await api.contact({ firstName: 'Lee', email: 'lee@atlas.example' });
      for (const email of ['lee@atlas.example', 'LEE@Atlas.Example']) {
        const res = await t.http
          .post('/api/contacts')
          .set(member.auth)
          .send({ firstName: 'Other', email })
          .expect(409);
        expect(res.body).toMatchObject({
          code: 'DUPLICATE_EMAIL',
          details: [{ field: 'email', contactId: first.id }],
        });
        expect(res.body.message).toContain('email');
      }
      const second = await api.contact({ firstName: 'Second', email: 'second@atlas.example' });
      const patch = await t.http
        .patch(`/api/contacts/${second.id}`)
        .set(member.auth)
        .send({ email: 'Lee@atlas.example' })
        .expect(409);
      expect(patch.body.details[0].contactId).toBe(first.id);
      // Changing only the case of one's own email is fine.
      await t.http
        .patch(`/api/contacts/${first.id}`)
        .set(member.auth)
        .send({ email: 'LEE@atlas.example' })
        .expect(200);
      // A deleted contact's email is free again.
      await t.http.delete(`/api/contacts/${first.id}`).set(manager.auth).expect(204);
      await api.contact({ firstName: 'Lee', lastName: 'Again', email: 'lee@atlas.example' });
    });

    it('lets exactly one of several simultaneous creates with the same email win (database net)', async () => {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          t.http
            .post('/api/contacts')
            .set(member.auth)
            .send({ firstName: `Racer${i}`, email: 'race@x.example' }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) {
        expect(r.body).toMatchObject({ code: 'DUPLICATE_EMAIL', details: [{ field: 'email' }] });
      }
    });
  });

  describe('list', () => {
    // Which contacts a filter, search or sort selects is ContactsService's (test/medium/contacts.medium-spec.ts);
    // here the query string reaches it and the page comes back in the list shape.
    it('parses filters, search, sort and paging, and answers the list shape', async () => {
      const org = await api.organization('Filter Capital');
      const tag = await api.tag('Fund I LP');
      const a = await api.contact({
        firstName: 'Ann',
        lastName: 'Filter',
        email: 'ann@filter.example',
        organizationId: org.id,
        contactType: 'investor',
        tagIds: [tag.id],
        ownerId: manager.id,
      });
      const b = await api.contact({
        firstName: 'Bob',
        lastName: 'Filter',
        organizationId: org.id,
        status: 'inactive',
      });
      const item = (await list(`tag=${tag.id}&type=investor&ownerId=${manager.id}&search=ANN%40FILTER`)).data;
      expect(item.map((c) => c.id)).toEqual([a.id]);
      expect(item[0]).toMatchObject({
        organization: { id: org.id, name: 'Filter Capital' },
        owner: { id: manager.id, username: manager.username },
        tags: [{ id: tag.id, name: 'Fund I LP' }],
        customFields: {},
        version: 1,
        deletedAt: null,
      });
      const page = await t.http
        .get(
          `/api/contacts?organizationId=${org.id}&status=inactive&sort=firstName&order=desc&limit=1&offset=0`,
        )
        .set(member.auth)
        .expect(200);
      expect(page.body).toMatchObject({ total: 1, limit: 1, offset: 0 });
      expect(page.body.data.map((c: ContactBody) => c.id)).toEqual([b.id]);
    });

    it('gives each contact of a page its own tags, in name order, and none to a contact without', async () => {
      const [zeta, alpha, mid] = [
        await api.tag('zeta page'),
        await api.tag('Alpha page'),
        await api.tag('mid page'),
      ];
      const one = await api.contact({
        firstName: 'One',
        lastName: 'Tagpage',
        tagIds: [zeta.id, alpha.id, mid.id],
      });
      const two = await api.contact({ firstName: 'Two', lastName: 'Tagpage', tagIds: [mid.id] });
      const three = await api.contact({ firstName: 'Three', lastName: 'Tagpage' });
      const page = (await list('search=tagpage&sort=firstName')).data;
      const tagsOf = (c: ContactBody) => c.tags.map((tag) => tag.name);
      expect(page.map((c) => [c.id, tagsOf(c)])).toEqual([
        [one.id, ['Alpha page', 'mid page', 'zeta page']],
        [three.id, []],
        [two.id, ['mid page']],
      ]);
    });

    it('refuses bad query parameters with a 400 naming them', async () => {
      for (const bad of [
        'sort=password',
        'sort=organization',
        'order=sideways',
        'limit=201',
        'limit=0',
        'offset=-1',
        'type=vip',
        'status=gone',
        'organizationId=abc',
        'tag=abc',
        'ownerId=abc',
        'includeDeleted=maybe',
        `search=${'x'.repeat(201)}`,
        'colour=blue',
      ]) {
        const res = await t.http.get(`/api/contacts?${bad}`).set(member.auth);
        expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
        expect(res.body.details[0].field).toBe(bad.split('=')[0]);
      }
    });
  });
});
