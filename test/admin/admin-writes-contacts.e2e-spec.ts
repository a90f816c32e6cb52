import { beforeAll, describe, expect, it } from '@jest/globals';
import type TestAgent from 'supertest/lib/agent.js';

import { AuditLog } from '../../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../../src/common/context/audit-source.js';
import { Communication } from '../../src/modules/communications/communication.entity.js';
import { Contact } from '../../src/modules/contacts/contact.entity.js';
import { Task } from '../../src/modules/tasks/task.entity.js';
import type { SignedInUser } from '../helpers/auth.js';
import { suiteTestApp } from '../helpers/test-app.js';
import {
  type AdminAnswer,
  apiData,
  defineCustomField,
  managerAndMemberAgents,
  submitForm,
  RESOURCES_API as api,
} from './admin-helpers.js';

/** Every write in /admin goes through the module's service: the same rules as the same change by the API. */
describe('back office writes through the API services: contacts, LP profiles, communications and tasks', () => {
  const t = suiteTestApp();
  let manager: SignedInUser;
  let member: SignedInUser;
  let agent: TestAgent;

  beforeAll(async () => {
    ({ manager, member, agent } = await managerAndMemberAgents(t));
  });

  /** A form post as the browser sends it (multipart, every value a string). */
  const submit = (
    path: string,
    fields: Record<string, string>,
    as: TestAgent = agent,
  ): Promise<AdminAnswer> => submitForm(as, path, fields);

  const define = (body: Record<string, unknown>) => defineCustomField(t, manager, body);
  const apiGet = (path: string) => apiData(t, manager, path);

  describe('contacts', () => {
    beforeAll(async () => {
      await define({ entityType: 'contact', key: 'check_size', label: 'Check size', fieldType: 'currency' });
      await define({
        entityType: 'contact',
        key: 'tier',
        label: 'Tier',
        fieldType: 'select',
        options: ['A', 'B'],
      });
      await define({ entityType: 'contact', key: 'lp_ready', label: 'LP ready', fieldType: 'boolean' });
      await define({
        entityType: 'contact',
        key: 'sectors',
        label: 'Sectors',
        fieldType: 'multi_select',
        options: ['Fintech', 'Health'],
      });
      await define({
        entityType: 'contact',
        key: 'met_at',
        label: 'Where we met',
        fieldType: 'text',
        required: true,
      });
    });

    it('saves custom fields typed, through the validator, and the API serves them', async () => {
      const created = await submit('Contact/actions/new', {
        firstName: 'Nora',
        lastName: 'Vance',
        email: 'nora@vance.example',
        'customFields.check_size': '1,500,000.50',
        'customFields.tier': 'A',
        'customFields.lp_ready': 'true',
        'customFields.sectors.0': 'Fintech',
        'customFields.sectors.1': 'Health',
        'customFields.met_at': ' SuperReturn Berlin ',
      });
      expect(created.notice.type).toBe('success');
      const contact = await apiGet(`/contacts/${created.record.id}`);
      expect(contact.customFields).toEqual({
        check_size: 1500000.5,
        tier: 'A',
        lp_ready: true,
        sectors: ['Fintech', 'Health'],
        met_at: 'SuperReturn Berlin',
      });

      // An edit is a patch: a cleared field goes, the others stay.
      const edited = await submit(`Contact/records/${created.record.id}/edit`, {
        firstName: 'Nora',
        version: '1',
        'customFields.tier': '',
        'customFields.sectors': '__FORM_VALUE_EMPTY_ARRAY__',
      });
      expect(edited.notice.type).toBe('success');
      expect((await apiGet(`/contacts/${created.record.id}`)).customFields).toEqual({
        check_size: 1500000.5,
        lp_ready: true,
        met_at: 'SuperReturn Berlin',
      });
    });

    it('shows the validator’s errors on the custom field inputs, named by their labels', async () => {
      const bad = await submit('Contact/actions/new', {
        firstName: 'Otto',
        'customFields.tier': 'Z',
        'customFields.check_size': 'lots',
        'customFields.nope': 'x',
      });
      expect(bad.notice.type).toBe('error');
      expect(bad.record.errors).toEqual({
        'customFields.tier': expect.objectContaining({ message: 'must be one of: A, B' }),
        'customFields.check_size': expect.objectContaining({
          message: expect.stringContaining('must be a JSON number'),
        }),
        'customFields.nope': expect.objectContaining({ message: 'is not a custom field of contacts' }),
        'customFields.met_at': expect.objectContaining({ message: 'is required' }),
      });
      expect(bad.notice.message).toContain('Tier must be one of: A, B');
      expect(bad.notice.message).toContain('Where we met is required');
      expect(await t.orm.em.fork().count(Contact, { firstName: 'Otto' })).toBe(0);
    });

    it('keeps emails unique among live contacts ignoring case, refuses stale edits, and restores only a free email', async () => {
      const first = await submit('Contact/actions/new', {
        firstName: 'Ines',
        email: 'ines@harbor.example',
        'customFields.met_at': 'Dinner',
      });
      const dup = await submit('Contact/actions/new', {
        firstName: 'Ines',
        email: 'INES@harbor.example',
        'customFields.met_at': 'Dinner',
      });
      expect(dup.record.errors.email.message).toBe('already belongs to another live contact (ignoring case)');
      expect(dup.notice.message).toBe(
        `email: INES@harbor.example already belongs to contact ${first.record.id} (ignoring case)`,
      );

      await t.http
        .patch(`/api/contacts/${first.record.id}`)
        .set(member.auth)
        .send({ title: 'CIO', version: 1 })
        .expect(200);
      const stale = await submit(`Contact/records/${first.record.id}/edit`, {
        firstName: 'Ines',
        title: 'CFO',
        version: '1',
      });
      expect(stale.notice.message).toContain('Someone else saved this contact while you were editing it');
      expect(stale.record.errors.version).toBeDefined();

      const deleted = await agent.post(`${api}/Contact/records/${first.record.id}/delete`).expect(200);
      expect(deleted.body.notice.type).toBe('success');
      const row = await t.orm.em.fork().findOneOrFail(Contact, first.record.id, { populate: ['deletedBy'] });
      expect(row.deletedBy?.id).toBe(manager.id);
      await t.http
        .post('/api/contacts')
        .set(member.auth)
        .send({ firstName: 'Other Ines', email: 'ines@harbor.example', customFields: { met_at: 'Call' } })
        .expect(201);
      const restore = await agent.post(`${api}/Contact/records/${first.record.id}/restore`).expect(200);
      expect(restore.body.notice).toMatchObject({
        type: 'error',
        message: expect.stringContaining('ines@harbor.example'),
      });
      expect((await t.orm.em.fork().findOneOrFail(Contact, first.record.id)).deletedAt).toBeInstanceOf(Date);
    });
  });

  describe('LP profiles', () => {
    it('make their contact an investor, keep funded at most committed, and one per contact and fund', async () => {
      const contact = (
        await t.http
          .post('/api/contacts')
          .set(member.auth)
          .send({ firstName: 'Lena', customFields: { met_at: 'x' } })
      ).body.data as { id: string; contactType: string };
      expect(contact.contactType).toBe('prospect');
      const fund = (await t.http.post('/api/funds').set(manager.auth).send({ name: 'Fund LP' }).expect(201))
        .body.data as { id: string };
      const over = await submit('LpProfile/actions/new', {
        contact: contact.id,
        fund: fund.id,
        commitmentAmount: '1,000,000',
        fundedAmount: '2,000,000',
      });
      expect(over.record.errors.fundedAmount.message).toContain('must not exceed commitmentAmount');
      expect((await apiGet(`/contacts/${contact.id}`)).contactType).toBe('prospect');

      const created = await submit('LpProfile/actions/new', {
        contact: contact.id,
        fund: fund.id,
        commitmentAmount: '1,000,000',
        fundedAmount: '250000',
        currency: '',
        commitmentDate: '2025-01-31',
      });
      expect(created.notice.type).toBe('success');
      expect(await apiGet(`/lp-profiles/${created.record.id}`)).toMatchObject({
        commitmentAmount: 1000000,
        fundedAmount: 250000,
        currency: 'USD',
        commitmentDate: '2025-01-31',
      });
      expect((await apiGet(`/contacts/${contact.id}`)).contactType).toBe('investor');
      const audit = await t.orm.em.fork().find(AuditLog, { entityId: contact.id, action: 'update' });
      expect(audit.at(-1)).toMatchObject({
        source: AuditSource.Admin,
        changes: { contactType: { from: 'prospect', to: 'investor' } },
      });

      const again = await submit('LpProfile/actions/new', { contact: contact.id, fund: fund.id });
      expect(again.record.errors.fund.message).toBe('this contact already has an LP profile in this fund');
      const blank = await submit('LpProfile/actions/new', { contact: '', fund: fund.id });
      expect(blank.record.errors.contact.message).toBe('is required');
    });
  });

  describe('communications and tasks', () => {
    it('a communication is logged by the signed-in user, and given only an opportunity takes its contact', async () => {
      const contact = (
        await t.http
          .post('/api/contacts')
          .set(member.auth)
          .send({ firstName: 'Cleo', customFields: { met_at: 'x' } })
      ).body.data as { id: string };
      const opp = (
        await t.http
          .post('/api/opportunities')
          .set(member.auth)
          .send({ name: 'Cleo deal', contactId: contact.id })
      ).body.data as { id: string };
      const created = await submit('Communication/actions/new', {
        type: 'call',
        opportunity: opp.id,
        contact: '',
        subject: 'Intro call',
        body: 'Line one\r\nLine two',
        communicationDate: '2025-02-03T10:00:00.000Z',
      });
      expect(created.notice.type).toBe('success');
      const row = await t.orm.em
        .fork()
        .findOneOrFail(Communication, created.record.id, { populate: ['contact', 'createdBy'] });
      expect(row.contact?.id).toBe(contact.id);
      expect(row.createdBy?.id).toBe(manager.id);
      expect(row.body).toBe('Line one\nLine two');
      expect(row.communicationDate.toISOString()).toBe('2025-02-03T10:00:00.000Z');

      const neither = await submit('Communication/actions/new', { type: 'email', subject: 'Lost' });
      expect(neither.record.errors.contact.message).toBe('is required when there is no opportunityId');
    });

    it('a task done gets completedAt and loses it when reopened; left out, it is assigned to its author', async () => {
      const created = await submit('Task/actions/new', {
        title: 'Send the Q3 letter',
        status: 'done',
        dueDate: '2026-01-15',
      });
      expect(created.notice.type).toBe('success');
      const task = await t.orm.em
        .fork()
        .findOneOrFail(Task, created.record.id, { populate: ['assignee', 'createdBy'] });
      expect(task).toMatchObject({ status: 'done', dueDate: '2026-01-15' });
      expect(task.completedAt).toBeInstanceOf(Date);
      expect([task.assignee?.id, task.createdBy?.id]).toEqual([manager.id, manager.id]);

      const reopened = await submit(`Task/records/${task.id}/edit`, {
        title: 'Send the Q3 letter',
        status: 'open',
      });
      expect(reopened.notice.type).toBe('success');
      expect((await t.orm.em.fork().findOneOrFail(Task, task.id)).completedAt).toBeNull();
    });
  });
});
