import { beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';

import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { Opportunity } from '../../src/modules/opportunities/opportunity.entity.js';
import type { SignedInUser } from '../helpers/auth.js';
import { suiteTestApp } from '../helpers/test-app.js';
import {
  type AdminAnswer,
  apiData,
  defineCustomField,
  managerAndMemberAgents,
  stageHistory,
  submitForm,
  RESOURCES_API as api,
} from './admin-helpers.js';

/** Every write in /admin goes through the module's service: the same rules as the same change by the API. */
describe('back office writes through the API services: opportunities, funds, custom field definitions', () => {
  const t = suiteTestApp();
  let manager: SignedInUser;
  let member: SignedInUser;
  let agent: TestAgent;
  let memberAgent: TestAgent;

  beforeAll(async () => {
    ({ manager, member, agent, memberAgent } = await managerAndMemberAgents(t));
  });

  /** A form post as the browser sends it (multipart, every value a string). */
  const submit = (
    path: string,
    fields: Record<string, string>,
    as: TestAgent = agent,
  ): Promise<AdminAnswer> => submitForm(as, path, fields);

  const define = (body: Record<string, unknown>) => defineCustomField(t, manager, body);
  const apiGet = (path: string) => apiData(t, manager, path);

  describe('opportunities', () => {
    it('a stage move writes the history, takes the new stage’s probability, and is audited as admin; lost needs a reason', async () => {
      const created = await submit('Opportunity/actions/new', { name: 'Atlas — Fund III', stage: 'lead' });
      expect(created.notice.type).toBe('success');
      const id = created.record.id;
      expect(created.record.params).toMatchObject({ stage: 'lead', probability: 10, owner: manager.id });

      // The form shows the new stage's default as soon as the stage changes (StageProbability.jsx) and
      // sends it; what it sends is what is saved.
      const moved = await submit(`Opportunity/records/${id}/edit`, {
        name: 'Atlas — Fund III',
        stage: 'meeting',
        probability: '35',
        version: '1',
      });
      expect(moved.notice.type).toBe('success');
      expect(await t.orm.em.fork().findOneOrFail(Opportunity, id)).toMatchObject({
        stage: 'meeting',
        probability: 35,
      });
      expect(await stageHistory(t, id)).toEqual([
        [null, 'lead', manager.id],
        ['lead', 'meeting', manager.id],
      ]);
      const audit = await t.orm.em.fork().find(AuditLog, { entityId: id, action: 'stage_change' });
      expect(audit).toEqual([
        expect.objectContaining({
          source: AuditSource.Admin,
          actorUserId: manager.id,
          changes: expect.objectContaining({ stage: { from: 'lead', to: 'meeting' } }),
        }),
      ]);

      const lost = await submit(`Opportunity/records/${id}/edit`, { stage: 'lost', version: '2' });
      expect(lost.record.errors.lostReason.message).toBe('is required when the stage is lost');
      const typed = await submit(`Opportunity/records/${id}/edit`, {
        stage: 'due_diligence',
        probability: '70',
        version: '2',
      });
      expect(typed.notice.type).toBe('success');
      expect(await t.orm.em.fork().findOneOrFail(Opportunity, id)).toMatchObject({
        probability: 70,
        version: 3,
      });
    });
  });

  describe('funds', () => {
    it('names are unique ignoring case; a fund in use is not deleted, and the notice says why', async () => {
      const created = await submit('Fund/actions/new', {
        name: 'Growth I',
        targetAmount: '50,000,000',
        currency: 'eur',
      });
      expect(created.record.params).toMatchObject({
        targetAmount: 50000000,
        currency: 'EUR',
        status: 'raising',
      });
      const dup = await submit('Fund/actions/new', { name: 'growth i' });
      expect(dup.record.errors.name.message).toBe('already exists');
      await t.http
        .post('/api/opportunities')
        .set(member.auth)
        .send({ name: 'Uses Growth I', fundId: created.record.id })
        .expect(201);
      const del = await agent.post(`${api}/Fund/records/${created.record.id}/delete`).expect(200);
      expect(del.body.notice).toMatchObject({
        type: 'error',
        message: expect.stringContaining('still referenced by 1 opportunity'),
      });
      await apiGet(`/funds/${created.record.id}`);
    });
  });

  describe('custom field definitions (Settings)', () => {
    it('managers define, change and delete them through the service, with its rules; members only get them on their forms', async () => {
      const refused = await submit(
        'CustomFieldDefinition/actions/new',
        { entityType: 'organization', key: 'x', label: 'X', fieldType: 'text' },
        memberAgent,
      );
      expect(refused.notice.type).toBe('error');

      const hqCity = { entityType: 'organization', key: 'hq_city', label: 'HQ city', fieldType: 'select' };
      const badKey = await submit('CustomFieldDefinition/actions/new', { ...hqCity, key: 'HQ City' });
      expect(badKey.record.errors.key.message).toContain('must be snake_case');
      const noOptions = await submit('CustomFieldDefinition/actions/new', hqCity);
      expect(noOptions.record.errors.options.message).toBe('are required for a select field');
      const created = await submit('CustomFieldDefinition/actions/new', {
        ...hqCity,
        'options.0': 'Paris',
        'options.1': 'New York',
        displayOrder: '3',
        helpText: 'Where the investment team sits',
      });
      expect(created.notice.type).toBe('success');
      const listed = (
        await t.http.get('/api/custom-fields?entityType=organization').set(member.auth).expect(200)
      ).body.data as Record<string, unknown>[];
      expect(listed).toEqual([
        expect.objectContaining({
          key: 'hq_city',
          options: ['Paris', 'New York'],
          displayOrder: 3,
          required: false,
        }),
      ]);
      // Settings are not for members: the definitions reach their forms through each record type instead.
      const seen = await memberAgent.get(`${api}/CustomFieldDefinition/actions/list`);
      expect((seen.body as AdminAnswer).records ?? []).toEqual([]);
      const forForms = await memberAgent
        .get(`${api}/Organization/actions/customFieldDefinitions`)
        .expect(200);
      expect(JSON.stringify(forForms.body)).toContain('hq_city');

      // A value that the new type would make invalid: refused (the API's 409), then forced.
      const org = (
        await t.http
          .post('/api/organizations')
          .set(member.auth)
          .send({ name: 'Paris Capital', customFields: { hq_city: 'Paris' } })
          .expect(201)
      ).body.data as { id: string };
      const change = {
        key: 'hq_city',
        label: 'HQ city',
        fieldType: 'number',
        options: '__FORM_VALUE_EMPTY_ARRAY__',
      };
      const blocked = await submit(`CustomFieldDefinition/records/${created.record.id}/edit`, change);
      expect(blocked.notice.message).toContain('1 stored value(s) would not fit the new definition');
      expect(blocked.notice.message).toContain('Clear values that do not fit');
      expect(blocked.record.errors.force).toBeDefined();
      expect((await apiGet(`/organizations/${org.id}`)).customFields).toEqual({ hq_city: 'Paris' });
      const forced = await submit(`CustomFieldDefinition/records/${created.record.id}/edit`, {
        ...change,
        force: 'true',
      });
      expect(forced.notice.type).toBe('success');
      expect((await apiGet(`/organizations/${org.id}`)).customFields).toEqual({});

      const removed = await agent
        .post(`${api}/CustomFieldDefinition/records/${created.record.id}/delete`)
        .expect(200);
      expect(removed.body.notice.type).toBe('success');
      await t.http.get(`/api/custom-fields/${created.record.id}`).set(member.auth).expect(404);
      const [audit] = await t.orm.em.fork().find(AuditLog, { entityId: created.record.id, action: 'delete' });
      expect(audit).toMatchObject({ source: AuditSource.Admin, entityType: 'custom_field' });
    });

    it('the forms load the definitions at run time, for members too', async () => {
      await define({
        entityType: 'lp_profile',
        key: 'side_letter',
        label: 'Side letter',
        fieldType: 'boolean',
      });
      const res = await memberAgent.get(`${api}/LpProfile/actions/customFieldDefinitions`).expect(200);
      expect((res.body as AdminAnswer).definitions).toEqual([
        expect.objectContaining({
          key: 'side_letter',
          label: 'Side letter',
          fieldType: 'boolean',
          options: [],
          required: false,
          displayOrder: 0,
          helpText: null,
        }),
      ]);
    });
  });
});
