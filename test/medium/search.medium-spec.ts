import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import type { AuthUser } from '../../src/common/auth/auth-user.js';
import {
  communicationFactory,
  contactFactory,
  opportunityFactory,
  organizationFactory,
} from '../../src/database/factories/index.js';
import { SearchHitType, SearchQueryDto } from '../../src/modules/search/dto/search.dto.js';
import { SearchModule } from '../../src/modules/search/search.module.js';
import { SearchService } from '../../src/modules/search/search.service.js';
import { createMediumModule, type MediumModule } from '../helpers/medium.js';

describe('SearchService on PostgreSQL', () => {
  let m: MediumModule;
  let service: SearchService;
  let member: AuthUser;
  let ids: Record<string, string>;

  beforeAll(async () => {
    m = await createMediumModule(SearchModule);
    service = m.module.get(SearchService);
    member = await m.user();
    ids = await m.seed((em) => {
      const org = organizationFactory(em, { name: 'Quillfeather Endowment' });
      const dana = contactFactory(em, { firstName: 'Dana', lastName: 'Quillfeather', organization: null });
      const staff = contactFactory(em, { firstName: 'Ravi', lastName: 'Okonkwo', organization: org });
      const deal = opportunityFactory(em, { name: 'Quillfeather — Fund II', organization: org });
      const goneContact = contactFactory(em, {
        firstName: 'Gone',
        lastName: 'Quillfeather',
        deletedAt: new Date(),
      });
      const goneDeal = opportunityFactory(em, { name: 'Quillfeather old deal', deletedAt: new Date() });
      const note = communicationFactory(em, {
        contact: staff,
        subject: 'Marmalade allocation',
        body: 'They asked about marmalades and allocations',
      });
      const hiddenNote = communicationFactory(em, { contact: goneContact, subject: 'Marmalade secret' });
      const hiddenByDeal = communicationFactory(em, { opportunity: goneDeal, subject: 'Marmalade deal' });
      return {
        org: org.id,
        dana: dana.id,
        staff: staff.id,
        deal: deal.id,
        goneContact: goneContact.id,
        goneDeal: goneDeal.id,
        note: note.id,
        hiddenNote: hiddenNote.id,
        hiddenByDeal: hiddenByDeal.id,
      };
    });
  });
  afterAll(() => m.close());

  const search = (q: string, limit = 10) =>
    m.as(member, () => service.search(Object.assign(new SearchQueryDto(), { q, limit })));

  it('finds organizations, contacts (by name, and through their organization) and opportunities; never deleted ones', async () => {
    const hits = await search('quillfeather');
    const found = hits.map((h) => `${h.type}:${h.id}`);
    expect(found).toEqual(
      expect.arrayContaining([
        `organization:${ids.org}`,
        `contact:${ids.dana}`,
        `contact:${ids.staff}`,
        `opportunity:${ids.deal}`,
      ]),
    );
    expect(found).not.toContain(`contact:${ids.goneContact}`);
    expect(found).not.toContain(`opportunity:${ids.goneDeal}`);
    // Best first; a contact found through its organization ranks below the organization itself.
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const score = (id: string) => hits.find((h) => h.id === id)!.score;
    expect(score(ids.staff)).toBeLessThan(score(ids.org));
  });

  it('forgives a typo in a name', async () => {
    const hits = await search('Quilfeather Endowmnt');
    expect(hits[0]).toMatchObject({ type: 'organization', id: ids.org, title: 'Quillfeather Endowment' });
  });

  it('finds communications in full text (stemmed), except those hidden with a deleted contact or opportunity', async () => {
    const hits = await search('marmalade');
    expect(hits.filter((h) => h.type === SearchHitType.Communication).map((h) => h.id)).toEqual([ids.note]);
  });

  it('answers at most `limit` hits', async () => {
    expect(await search('quillfeather', 2)).toHaveLength(2);
  });
});
