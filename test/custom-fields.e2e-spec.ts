import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { Role } from '../src/common/auth/role.js';
import { AuditLog } from '../src/modules/audit/audit-log.entity.js';
import { CustomFieldIndexes } from '../src/modules/custom-fields/custom-field-indexes.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('custom fields', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    [member, manager] = await Promise.all([signedIn(t, Role.Member), signedIn(t, Role.Manager)]);
  });

  afterAll(async () => {
    await t.close();
  });

  const define = async (body: Record<string, unknown>) =>
    (
      await t.http
        .post('/api/custom-fields')
        .set(manager.auth)
        .send({ entityType: 'organization', ...body })
        .expect(201)
    ).body.data;

  const createOrg = (customFields: Record<string, unknown>, name = 'Org') =>
    t.http.post('/api/organizations').set(member.auth).send({ name, customFields });

  describe('definitions', () => {
    it('managers define fields; keys are snake_case and unique per entity type; members only read', async () => {
      await t.http
        .post('/api/custom-fields')
        .set(member.auth)
        .send({ entityType: 'contact', key: 'x', label: 'X', fieldType: 'text' })
        .expect(403);
      const created = await define({
        key: 'aum_band',
        label: 'AUM band',
        fieldType: 'select',
        options: ['< $1B', '$1–10B', '> $10B'],
        displayOrder: 2,
      });
      expect(created).toMatchObject({
        key: 'aum_band',
        fieldType: 'select',
        options: ['< $1B', '$1–10B', '> $10B'],
        required: false,
      });
      const dup = await t.http
        .post('/api/custom-fields')
        .set(manager.auth)
        .send({ entityType: 'organization', key: 'aum_band', label: 'Again', fieldType: 'text' })
        .expect(409);
      expect(dup.body.code).toBe('CUSTOM_FIELD_EXISTS');
      await t.http
        .post('/api/custom-fields')
        .set(manager.auth)
        .send({ entityType: 'contact', key: 'aum_band', label: 'Other entity', fieldType: 'text' })
        .expect(201);
      const cases: [Record<string, unknown>, string][] = [
        [{ key: 'Bad Key', label: 'x', fieldType: 'text' }, 'key'],
        [{ key: 'ok_key', label: 'x', fieldType: 'colour' }, 'fieldType'],
        [{ key: 'ok_key', label: 'x', fieldType: 'select' }, 'options'],
        [{ key: 'ok_key', label: 'x', fieldType: 'select', options: ['a', 'a'] }, 'options'],
        [{ key: 'ok_key', label: 'x', fieldType: 'text', options: ['a'] }, 'options'],
        [{ key: 'ok_key', label: '', fieldType: 'text' }, 'label'],
        [{ key: 'ok_key', label: 'x', fieldType: 'text', entityType: 'user' }, 'entityType'],
      ];
      for (const [body, field] of cases) {
        const res = await t.http
          .post('/api/custom-fields')
          .set(manager.auth)
          .send({ entityType: 'organization', ...body })
          .expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      const list = await t.http
        .get('/api/custom-fields?entityType=organization')
        .set(member.auth)
        .expect(200);
      expect(list.body.data.map((d: { key: string }) => d.key)).toContain('aum_band');
    });
  });

  describe('values', () => {
    beforeAll(async () => {
      await define({ key: 'note', label: 'Note', fieldType: 'text' });
      await define({ key: 'thesis', label: 'Thesis', fieldType: 'long_text' });
      await define({ key: 'lp_count', label: 'LP count', fieldType: 'number' });
      await define({ key: 'check_size', label: 'Check size', fieldType: 'currency' });
      await define({ key: 'first_met', label: 'First met', fieldType: 'date' });
      await define({ key: 're_up', label: 'Re-up', fieldType: 'boolean' });
      await define({
        key: 'stage_focus',
        label: 'Stage focus',
        fieldType: 'select',
        options: ['Seed', 'Series A', 'Growth'],
      });
      await define({
        key: 'sectors',
        label: 'Sectors',
        fieldType: 'multi_select',
        options: ['Fintech', 'Health', 'Climate'],
      });
      await define({ key: 'data_room', label: 'Data room', fieldType: 'url' });
      await define({ key: 'ir_email', label: 'IR email', fieldType: 'email' });
    });

    it('accepts a valid value of each type, normalised, and returns it on every read', async () => {
      const values = {
        note: '  warm intro via Grant ',
        thesis: 'Long-term climate allocation.',
        lp_count: 42,
        check_size: 2500000.5,
        first_met: '2024-03-15',
        re_up: true,
        stage_focus: 'Series A',
        sectors: ['Fintech', 'Climate'],
        data_room: 'https://dataroom.example/fund',
        ir_email: 'ir@lp.example',
      };
      const res = await createOrg(values, 'Typed Org').expect(201);
      expect(res.body.data.customFields).toEqual({ ...values, note: 'warm intro via Grant' });
      const read = await t.http.get(`/api/organizations/${res.body.data.id}`).set(member.auth).expect(200);
      expect(read.body.data.customFields.sectors).toEqual(['Fintech', 'Climate']);
      const list = await t.http.get('/api/organizations?search=Typed').set(member.auth).expect(200);
      expect(list.body.data[0].customFields.check_size).toBe(2500000.5);
    });

    it('refuses each kind of invalid value with a 400 naming customFields.<key>', async () => {
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ nope: 1 }, 'customFields.nope', /is not a custom field/],
        [{ lp_count: '1,500,000' }, 'customFields.lp_count', /JSON number/],
        [{ check_size: 1.005 }, 'customFields.check_size', /2 decimals/],
        [{ first_met: '3/15/2024' }, 'customFields.first_met', /YYYY-MM-DD/],
        [{ first_met: '2024-02-30' }, 'customFields.first_met', /YYYY-MM-DD/],
        [{ re_up: 'yes' }, 'customFields.re_up', /true or false/],
        [{ stage_focus: 'Pre-seed' }, 'customFields.stage_focus', /one of: Seed, Series A, Growth/],
        [{ sectors: ['Fintech', 'Crypto'] }, 'customFields.sectors', /"Crypto" is not one of/],
        [{ sectors: 'Fintech' }, 'customFields.sectors', /array/],
        [{ data_room: 'not a url' }, 'customFields.data_room', /web address/],
        [{ ir_email: 'ir@' }, 'customFields.ir_email', /email/],
        [{ note: 'x'.repeat(1001) }, 'customFields.note', /at most 1000/],
      ];
      for (const [customFields, field, reason] of cases) {
        const res = await createOrg(customFields).expect(400);
        expect(res.body.details).toEqual([{ field, message: expect.stringMatching(reason) }]);
        expect(res.body.message).toContain(field);
      }
      const list = await t.http
        .post('/api/organizations')
        .set(member.auth)
        .send({ name: 'x', customFields: 'flat' })
        .expect(400);
      expect(list.body.details[0].field).toBe('customFields');
    });

    it('merges values on PATCH, replaces them on PUT, and null removes one', async () => {
      const { body } = await createOrg({ note: 'a', lp_count: 1 }, 'Patchable').expect(201);
      const patched = await t.http
        .patch(`/api/organizations/${body.data.id}`)
        .set(member.auth)
        .send({ customFields: { lp_count: 2, note: null } })
        .expect(200);
      expect(patched.body.data.customFields).toEqual({ lp_count: 2 });
      const put = await t.http
        .put(`/api/organizations/${body.data.id}`)
        .set(member.auth)
        .send({ name: 'Patchable', customFields: { re_up: false } })
        .expect(200);
      expect(put.body.data.customFields).toEqual({ re_up: false });
    });

    it('filters lists by equality, any-of and ranges, naming bad filters', async () => {
      await createOrg(
        {
          lp_count: 10,
          check_size: 1000000,
          first_met: '2023-01-10',
          stage_focus: 'Seed',
          sectors: ['Health'],
          re_up: true,
        },
        'Filter A',
      ).expect(201);
      await createOrg(
        {
          lp_count: 50,
          check_size: 5000000,
          first_met: '2024-06-01',
          stage_focus: 'Growth',
          sectors: ['Climate', 'Fintech'],
          re_up: false,
        },
        'Filter B',
      ).expect(201);
      const names = async (qs: string): Promise<string[]> =>
        (await t.http.get(`/api/organizations?search=Filter&${qs}`).set(member.auth).expect(200)).body.data
          .map((o: { name: string }) => o.name)
          .sort();
      expect(await names('cf.stage_focus=Seed')).toEqual(['Filter A']);
      expect(await names('cf.re_up=false')).toEqual(['Filter B']);
      expect(await names('cf.sectors=Health,Climate')).toEqual(['Filter A', 'Filter B']);
      expect(await names('cf.sectors=Fintech')).toEqual(['Filter B']);
      expect(await names('cf.lp_count[gte]=20')).toEqual(['Filter B']);
      expect(await names('cf.check_size[gte]=500000&cf.check_size[lte]=2000000')).toEqual(['Filter A']);
      expect(await names('cf.first_met[lte]=2023-12-31')).toEqual(['Filter A']);
      expect(await names('cf.lp_count=50')).toEqual(['Filter B']);
      for (const [qs, field] of [
        ['cf.unknown=1', 'cf.unknown'],
        ['cf.lp_count[gte]=many', 'cf.lp_count[gte]'],
        ['cf.stage_focus[gte]=Seed', 'cf.stage_focus'],
        ['cf.lp_count[between]=1', 'cf.lp_count[between]'],
        ['cf.stage_focus=Unknown', 'cf.stage_focus'],
        ['cf.Bad=1', 'cf.Bad'],
      ]) {
        const res = await t.http.get(`/api/organizations?${qs}`).set(member.auth).expect(400);
        expect(res.body.details[0].field).toBe(field);
      }
    });

    it('requires required fields on create and PUT, and refuses clearing them', async () => {
      const { id } = await define({ key: 'region', label: 'Region', fieldType: 'text', required: true });
      const missing = await createOrg({}).expect(400);
      expect(missing.body.details).toEqual([{ field: 'customFields.region', message: 'is required' }]);
      const { body } = await createOrg({ region: 'EMEA' }, 'Has Region').expect(201);
      await t.http
        .patch(`/api/organizations/${body.data.id}`)
        .set(member.auth)
        .send({ city: 'Paris' })
        .expect(200);
      const cleared = await t.http
        .patch(`/api/organizations/${body.data.id}`)
        .set(member.auth)
        .send({ customFields: { region: null } })
        .expect(400);
      expect(cleared.body.details[0]).toEqual({ field: 'customFields.region', message: 'is required' });
      await t.http.delete(`/api/custom-fields/${id}`).set(manager.auth).expect(204);
    });
  });

  describe('changing definitions', () => {
    it('refuses to rename a key in use, and to change a type that would invalidate values unless forced', async () => {
      const def = await define({ key: 'tier', label: 'Tier', fieldType: 'select', options: ['A', 'B', 'C'] });
      const { body: one } = await createOrg({ tier: 'A' }, 'Tier A').expect(201);
      const { body: two } = await createOrg({ tier: 'C' }, 'Tier C').expect(201);

      const rename = await t.http
        .patch(`/api/custom-fields/${def.id}`)
        .set(manager.auth)
        .send({ key: 'tier_level' })
        .expect(409);
      expect(rename.body).toMatchObject({ code: 'CUSTOM_FIELD_IN_USE', details: [{ field: 'key' }] });

      const refused = await t.http
        .patch(`/api/custom-fields/${def.id}`)
        .set(manager.auth)
        .send({ options: ['A', 'B'] })
        .expect(409);
      expect(refused.body).toMatchObject({ code: 'CUSTOM_FIELD_IN_USE', details: { invalidCount: 1 } });
      const unchanged = await t.http.get(`/api/organizations/${two.data.id}`).set(member.auth).expect(200);
      expect(unchanged.body.data.customFields).toEqual({ tier: 'C' });

      await t.http
        .patch(`/api/custom-fields/${def.id}?force=true`)
        .set(manager.auth)
        .send({ options: ['A', 'B'] })
        .expect(200);
      const cleared = await t.http.get(`/api/organizations/${two.data.id}`).set(member.auth).expect(200);
      expect(cleared.body.data.customFields).toEqual({});
      expect(cleared.body.data.version).toBe(2);
      const kept = await t.http.get(`/api/organizations/${one.data.id}`).set(member.auth).expect(200);
      expect(kept.body.data.customFields).toEqual({ tier: 'A' });
      const [audit] = await t.orm.em
        .fork()
        .find(AuditLog, { action: 'custom_field.values_cleared', entityId: def.id });
      expect(audit.meta).toMatchObject({ key: 'tier', count: 1, values: [{ id: two.data.id, value: 'C' }] });

      const toNumber = await t.http
        .patch(`/api/custom-fields/${def.id}`)
        .set(manager.auth)
        .send({ fieldType: 'number' })
        .expect(409);
      expect(toNumber.body.details.invalidCount).toBe(1);
      const labelOnly = await t.http
        .patch(`/api/custom-fields/${def.id}`)
        .set(manager.auth)
        .send({ label: 'Tier level', displayOrder: 5 })
        .expect(200);
      expect(labelOnly.body.data).toMatchObject({
        label: 'Tier level',
        displayOrder: 5,
        fieldType: 'select',
      });
    });

    it('a forced change to a number type clears the text values and indexes the field, all in one transaction', async () => {
      const def = await define({ key: 'hq_city', label: 'HQ city', fieldType: 'text' });
      const { body: paris } = await createOrg({ hq_city: 'Paris' }, 'Paris HQ').expect(201);
      const forced = await t.http
        .patch(`/api/custom-fields/${def.id}?force=true`)
        .set(manager.auth)
        .send({ fieldType: 'number' })
        .expect(200);
      expect(forced.body.data.fieldType).toBe('number');
      const read = await t.http.get(`/api/organizations/${paris.data.id}`).set(member.auth).expect(200);
      expect(read.body.data).toMatchObject({ customFields: {}, version: 2 });
      await createOrg({ hq_city: 12 }, 'Numbered HQ').expect(201);
      const found = await t.http.get('/api/organizations?cf.hq_city[gte]=10').set(member.auth).expect(200);
      expect(found.body.data.map((o: { name: string }) => o.name)).toEqual(['Numbered HQ']);
    });

    it('renames an unused key, and deleting a definition removes its values from reads but keeps them in the audit log', async () => {
      const def = await define({ key: 'tmp_key', label: 'Temporary', fieldType: 'number' });
      const renamed = await t.http
        .patch(`/api/custom-fields/${def.id}`)
        .set(manager.auth)
        .send({ key: 'score' })
        .expect(200);
      expect(renamed.body.data.key).toBe('score');
      const { body } = await createOrg({ score: 7 }, 'Scored').expect(201);
      // Indexes are built and dropped in the background, once the definition's change has committed.
      const indexing = t.app.get(CustomFieldIndexes);
      await indexing.idle();
      const client = new pg.Client({ connectionString: t.databaseUrl });
      await client.connect();
      const indexes = await client.query(
        "select indexname from pg_indexes where indexname = 'cf_organizations_score'",
      );
      expect(indexes.rowCount).toBe(1);
      await t.http.delete(`/api/custom-fields/${def.id}`).set(member.auth).expect(403);
      await t.http.delete(`/api/custom-fields/${def.id}`).set(manager.auth).expect(204);
      await indexing.idle();
      const after = await client.query(
        "select indexname from pg_indexes where indexname = 'cf_organizations_score'",
      );
      await client.end();
      expect(after.rowCount).toBe(0);
      const read = await t.http.get(`/api/organizations/${body.data.id}`).set(member.auth).expect(200);
      expect(read.body.data.customFields).toEqual({});
      const history = await t.orm.em.fork().find(AuditLog, { entityId: body.data.id, action: 'create' });
      expect(history[0].changes).toMatchObject({ 'customFields.score': { from: null, to: 7 } });
      const [removed] = await t.orm.em
        .fork()
        .find(AuditLog, { action: 'custom_field.values_removed', entityId: def.id });
      expect(removed.meta).toMatchObject({ key: 'score', values: [{ id: body.data.id, value: 7 }] });
      await t.http.get('/api/organizations?cf.score=7').set(member.auth).expect(400);
    });
  });
});
