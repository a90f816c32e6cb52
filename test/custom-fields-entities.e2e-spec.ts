import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { AuditLog } from '../src/modules/audit/audit-log.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createContact, createFund } from './helpers/pipeline-fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** The same validator and filters on every entity with custom fields (organizations: custom-fields.e2e-spec.ts). */
describe('custom fields on contacts, opportunities and LP profiles', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    [member, manager] = await Promise.all([signedIn(t, Role.Member), signedIn(t, Role.Manager)]);
    const define = (
      entityType: string,
      key: string,
      fieldType: string,
      extra: Record<string, unknown> = {},
    ) =>
      t.http
        .post('/api/custom-fields')
        .set(manager.auth)
        .send({ entityType, key, label: key, fieldType, ...extra })
        .expect(201);
    await define('contact', 'check_size', 'currency');
    await define('contact', 'sectors', 'multi_select', { options: ['Fintech', 'Health', 'Climate'] });
    await define('opportunity', 'source_deck', 'url');
    await define('opportunity', 'close_quarter', 'select', {
      options: ['Q1', 'Q2', 'Q3', 'Q4'],
      required: true,
    });
    await define('lp_profile', 'side_letter', 'boolean');
    await define('lp_profile', 'wire_due', 'date');
  });

  afterAll(async () => {
    await t.close();
  });

  it('contacts: validated values, filters, and field-level audit', async () => {
    const ok = await t.http
      .post('/api/contacts')
      .set(member.auth)
      .send({
        firstName: 'Ada',
        lastName: 'Quinn',
        customFields: { check_size: 2500000, sectors: ['Climate'] },
      })
      .expect(201);
    expect(ok.body.data.customFields).toEqual({ check_size: 2500000, sectors: ['Climate'] });
    await t.http
      .post('/api/contacts')
      .set(member.auth)
      .send({ firstName: 'Bo', customFields: { check_size: 1000000, sectors: ['Health'] } })
      .expect(201);
    const bad = await t.http
      .post('/api/contacts')
      .set(member.auth)
      .send({ firstName: 'X', customFields: { check_size: '2.5M' } })
      .expect(400);
    expect(bad.body.details).toEqual([
      { field: 'customFields.check_size', message: expect.stringContaining('JSON number') },
    ]);
    const unknown = await t.http
      .patch(`/api/contacts/${ok.body.data.id}`)
      .set(member.auth)
      .send({ customFields: { aum: 1 } })
      .expect(400);
    expect(unknown.body.details[0].field).toBe('customFields.aum');

    const names = async (qs: string) =>
      (await t.http.get(`/api/contacts?${qs}`).set(member.auth).expect(200)).body.data
        .map((c: { firstName: string }) => c.firstName)
        .sort();
    expect(await names('cf.check_size[gte]=2000000')).toEqual(['Ada']);
    expect(await names('cf.sectors=Health,Climate')).toEqual(['Ada', 'Bo']);
    expect(await names('search=quinn&cf.sectors=Climate')).toEqual(['Ada']);
    const badFilter = await t.http.get('/api/contacts?cf.sectors=Crypto').set(member.auth).expect(400);
    expect(badFilter.body.details[0].field).toBe('cf.sectors');

    await t.http
      .patch(`/api/contacts/${ok.body.data.id}`)
      .set(member.auth)
      .send({ customFields: { check_size: 3000000 } })
      .expect(200);
    const [update] = await t.orm.em.fork().find(AuditLog, { entityId: ok.body.data.id, action: 'update' });
    expect(update.changes).toEqual({ 'customFields.check_size': { from: 2500000, to: 3000000 } });
  });

  it('opportunities: required fields, types and filters', async () => {
    const missing = await t.http
      .post('/api/opportunities')
      .set(member.auth)
      .send({ name: 'Deal' })
      .expect(400);
    expect(missing.body.details).toEqual([{ field: 'customFields.close_quarter', message: 'is required' }]);
    const badUrl = await t.http
      .post('/api/opportunities')
      .set(member.auth)
      .send({ name: 'Deal', customFields: { close_quarter: 'Q3', source_deck: 'not a link' } })
      .expect(400);
    expect(badUrl.body.details[0].field).toBe('customFields.source_deck');
    const created = await t.http
      .post('/api/opportunities')
      .set(member.auth)
      .send({
        name: 'Q3 deal',
        customFields: { close_quarter: 'Q3', source_deck: 'https://deck.example/q3' },
      })
      .expect(201);
    expect(created.body.data.customFields).toEqual({
      close_quarter: 'Q3',
      source_deck: 'https://deck.example/q3',
    });
    await t.http
      .post('/api/opportunities')
      .set(member.auth)
      .send({ name: 'Q4 deal', customFields: { close_quarter: 'Q4' } })
      .expect(201);
    const list = await t.http.get('/api/opportunities?cf.close_quarter=Q3').set(member.auth).expect(200);
    expect(list.body.data.map((o: { name: string }) => o.name)).toEqual(['Q3 deal']);
    const cleared = await t.http
      .patch(`/api/opportunities/${created.body.data.id}`)
      .set(member.auth)
      .send({ customFields: { close_quarter: null } })
      .expect(400);
    expect(cleared.body.details[0]).toEqual({ field: 'customFields.close_quarter', message: 'is required' });
  });

  it('LP profiles: types, normalisation and filters', async () => {
    const fund = await createFund(t, manager, { name: 'CF Fund' });
    const a = await createContact(t, { firstName: 'Lp', lastName: 'One' });
    const b = await createContact(t, { firstName: 'Lp', lastName: 'Two' });
    const bad = await t.http
      .post('/api/lp-profiles')
      .set(member.auth)
      .send({
        contactId: a.id,
        fundId: fund.id,
        customFields: { side_letter: 'yes', wire_due: '2025-13-01' },
      })
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'customFields.side_letter',
      'customFields.wire_due',
    ]);
    await t.http
      .post('/api/lp-profiles')
      .set(member.auth)
      .send({ contactId: a.id, fundId: fund.id, customFields: { side_letter: true, wire_due: '2025-03-31' } })
      .expect(201);
    await t.http
      .post('/api/lp-profiles')
      .set(member.auth)
      .send({
        contactId: b.id,
        fundId: fund.id,
        customFields: { side_letter: false, wire_due: '2025-09-30' },
      })
      .expect(201);
    const early = await t.http
      .get(`/api/lp-profiles?fundId=${fund.id}&cf.wire_due[lte]=2025-06-30`)
      .set(member.auth)
      .expect(200);
    expect(early.body.data.map((p: { contact: { name: string } }) => p.contact.name)).toEqual(['Lp One']);
    const letters = await t.http
      .get(`/api/lp-profiles?fundId=${fund.id}&cf.side_letter=true`)
      .set(member.auth)
      .expect(200);
    expect(letters.body.total).toBe(1);
  });
});
