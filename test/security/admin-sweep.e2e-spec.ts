import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';

import { Role } from '../../src/common/auth/role.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { createUser } from '../helpers/auth.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';
import { adminAgent } from '../admin/admin-helpers.js';

const API = '/admin/api/resources';
const RESOURCES = [
  'Organization',
  'Contact',
  'Tag',
  'Fund',
  'Opportunity',
  'OpportunityStageChange',
  'LpProfile',
  'Communication',
  'Task',
  'User',
  'CustomFieldDefinition',
  'ApiToken',
  'AuditLog',
];

/** Query strings a fuzzing visitor, or a curious colleague, sends to the list and search actions. */
const LIST_QUERIES = [
  'filters.nope=1',
  'filters.createdAt~~from=not-a-date&filters.createdAt~~to=2024-13-45',
  'filters.id=not-a-uuid',
  'filters.tags=1',
  'filters.owner=%27%3B%20drop%20table%20users',
  'filters.deletedRecords=only',
  'filters.name=%25_%5C',
  'filters.amount=1e309',
  'filters.version=-1',
  'filters.customFields=x',
  'filters.customFields.a=1',
  'filters[name]=x',
  'filters=x',
  'filters.name=a&filters.name=b',
  'sortBy=nope',
  'sortBy=__proto__',
  'sortBy=customFields',
  'sortBy=tags&direction=sideways',
  'perPage=abc',
  'page=0',
  'page=99999',
  'filters.name=%00',
  'filters.name=%ED%A0%80',
];

const RECORD_IDS = ['not-a-uuid', '00000000-0000-4000-8000-000000000000', '%00'];

/** Form bodies for new/edit: empty, unknown fields, wrong types, flattened paths gone wild. */
const BODIES: Record<string, string>[] = [
  {},
  { nope: 'x' },
  { version: 'abc', name: 'x' },
  { customFields: 'not json', firstName: 'x', lastName: 'y' },
  { 'customFields.a.b.c': '1' },
  { 'tags.99999': 'x' },
  { 'attendees.0.x': 'y' },
  { email: 'x'.repeat(5000) },
  { targetAmount: '1e400', expectedAmount: '-5', probability: '101', dueDate: '2024-02-30' },
  { __proto__: 'x', constructor: 'y' },
];

/**
 * The back office's own API, swept with malformed filters, sort keys, page sizes, ids and bodies, as every role:
 * refusals are 4xx (or a form with errors), never a 500.
 */
describe('security: a bad-input sweep of /admin/api answers no 500', () => {
  let t: TestApp;
  const agents: Partial<Record<Role, TestAgent>> = {};
  let contactId: string;

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of [Role.Member, Role.Manager, Role.Admin]) {
      agents[role] = await adminAgent(t, await createUser(t, role));
    }
    const em = t.orm.em.fork();
    const contact = em.create(Contact, { firstName: 'Sweep', lastName: 'Target' });
    await em.flush();
    contactId = contact.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it.each([Role.Member, Role.Manager, Role.Admin])(
    'as %s',
    async (role) => {
      const agent = agents[role]!;
      const failures: string[] = [];
      const check = async (label: string, send: Promise<{ status: number }>) => {
        const { status } = await send;
        if (status >= 500) failures.push(`${status} ${label}`);
      };
      for (const resource of RESOURCES) {
        for (const query of LIST_QUERIES) {
          await check(`list ${resource}?${query}`, agent.get(`${API}/${resource}/actions/list?${query}`));
          await check(
            `search ${resource}?${query}`,
            agent.get(`${API}/${resource}/actions/search/a?${query}`),
          );
        }
        await check(`search ${resource} NUL`, agent.get(`${API}/${resource}/actions/search/%00`));
        await check(
          `search ${resource} searchProperty`,
          agent.get(`${API}/${resource}/actions/search/a?searchProperty=nope`),
        );
        for (const id of [...RECORD_IDS, contactId]) {
          for (const action of ['show', 'edit', 'restore', 'nope']) {
            await check(
              `GET ${resource}/${id}/${action}`,
              agent.get(`${API}/${resource}/records/${id}/${action}`),
            );
          }
          for (const body of BODIES.slice(0, 3)) {
            await check(
              `POST ${resource}/${id}/edit ${JSON.stringify(body)}`,
              agent.post(`${API}/${resource}/records/${id}/edit`).type('form').send(body),
            );
          }
        }
        for (const body of BODIES) {
          await check(
            `POST ${resource}/new ${JSON.stringify(body)}`,
            agent.post(`${API}/${resource}/actions/new`).type('form').send(body),
          );
          const multipart = agent.post(`${API}/${resource}/actions/new`);
          for (const [key, value] of Object.entries(body)) void multipart.field(key, value);
          await check(`POST multipart ${resource}/new ${JSON.stringify(body)}`, multipart);
        }
        await check(
          `POST ${resource} JSON garbage`,
          agent.post(`${API}/${resource}/actions/new`).set('Content-Type', 'application/json').send('{"a":'),
        );
        for (const ids of ['x', 'a,b,c', `${contactId},nope`]) {
          await check(
            `bulk ${resource} ${ids}`,
            agent.get(`${API}/${resource}/bulk/bulkDelete?recordIds=${ids}`),
          );
          await check(
            `bulk POST ${resource} ${ids}`,
            agent.post(`${API}/${resource}/bulk/bulkDelete?recordIds=${ids}`),
          );
        }
      }
      await check('dashboard', agent.get('/admin/api/dashboard?x=%00'));
      await check('page', agent.get('/admin/api/pages/nope'));
      expect(failures).toEqual([]);
    },
    240_000,
  );
});
