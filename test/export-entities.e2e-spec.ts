import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';

import { Role } from '../src/common/auth/role.js';
import { ExportService } from '../src/modules/import/export.service.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { defineTextFields } from './helpers/custom-fields.js';
import { createFund, createOpportunity, createOrganization } from './helpers/pipeline-fixtures.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/** Opportunities, LP profiles and tasks exported: their lists' filters, keyset batches, names, custom fields. */

const FORMULA = '=HYPERLINK("http://x.example","y")';

const rowsOf = (csv: string): Record<string, string>[] =>
  parse<Record<string, string>>(csv, { columns: true, bom: true });

/** The header row as written. */
const headerOf = (csv: string): string => csv.slice(0, csv.indexOf('\n')).trim();

const byId = <T extends { id: string }>(items: T[]): T[] =>
  [...items].sort((a, b) => a.id.localeCompare(b.id));

describe('export of opportunities, LP profiles and tasks', () => {
  let t: TestApp;
  let manager: SignedInUser;
  let member: SignedInUser;
  let fundI: { id: string; name: string };
  let fundII: { id: string; name: string };
  const contacts: { id: string; email: string }[] = [];

  const exported = (path: string, query: Record<string, string>) =>
    t.http.get(`/api/export/${path}`).query(query).set(manager.auth).expect(200);
  const listed = async (path: string, query: Record<string, string>) =>
    (
      await t.http
        .get(`/api/${path}`)
        .query({ ...query, limit: 100 })
        .set(manager.auth)
        .expect(200)
    ).body.data as { id: string }[];
  const audits = async (entityType: string) =>
    (
      await t.orm.em
        .getConnection()
        .execute<{ meta: { format: string; filters: Record<string, unknown> } }[]>(
          `select meta from audit_log where action = 'export' and entity_type = ? order by created_at`,
          [entityType],
        )
    ).map((r) => r.meta);

  beforeAll(async () => {
    t = await createTestApp();
    manager = await signedIn(t, Role.Manager);
    member = await signedIn(t, Role.Member);
    await defineTextFields(t, 'opportunity', ['motto']);
    await defineTextFields(t, 'lp_profile', ['motto']);
    const org = await createOrganization(t, manager, 'Pacific Capital, LLC');
    fundI = await createFund(t, manager, { name: 'Fund I' });
    fundII = await createFund(t, manager, { name: 'Fund II' });
    for (let i = 0; i < 6; i++) {
      const res = await t.http
        .post('/api/contacts')
        .set(manager.auth)
        .send({ firstName: `Lp${i}`, lastName: 'Case', email: `lp${i}@x.example`, organizationId: org.id })
        .expect(201);
      contacts.push({ id: res.body.data.id, email: `lp${i}@x.example` });
    }
    // Five leads (one named like a formula), one meeting, one deleted lead.
    for (let i = 0; i < 5; i++) {
      await createOpportunity(t, manager, {
        name: i === 0 ? FORMULA : `Lead ${i}`,
        stage: 'lead',
        contactId: contacts[0].id,
        organizationId: org.id,
        fundId: fundI.id,
        ownerId: manager.id,
        expectedAmount: 1000 * (i + 1),
        currency: 'EUR',
        customFields: { motto: i === 0 ? '+1 formula' : `motto ${i}` },
      });
    }
    await createOpportunity(t, manager, { name: 'A meeting', stage: 'meeting' });
    const gone = await createOpportunity(t, manager, { name: 'Gone lead', stage: 'lead' });
    await t.http.delete(`/api/opportunities/${gone.id}`).set(manager.auth).expect(204);
    // Five LP profiles in Fund I, one in Fund II.
    for (let i = 0; i < 6; i++) {
      await t.http
        .post('/api/lp-profiles')
        .set(manager.auth)
        .send({
          contactId: contacts[i].id,
          fundId: i < 5 ? fundI.id : fundII.id,
          commitmentAmount: 100000 * (i + 1),
          fundedAmount: 1000,
          accredited: i % 2 === 0,
          notes: i === 0 ? FORMULA : null,
          customFields: { motto: i === 1 ? '@mention' : `m${i}` },
        })
        .expect(201);
    }
    // Five open tasks of the manager's, one done, one of the member's.
    const opportunity = (await listed('opportunities', { search: 'Lead 1' }))[0];
    for (let i = 0; i < 5; i++) {
      await t.http
        .post('/api/tasks')
        .set(manager.auth)
        .send({
          title: i === 0 ? '-2+3' : `Call ${i}`,
          contactId: contacts[1].id,
          organizationId: org.id,
          opportunityId: opportunity.id,
          dueDate: '2030-01-0' + (i + 1),
        })
        .expect(201);
    }
    await t.http.post('/api/tasks').set(manager.auth).send({ title: 'Done one', status: 'done' }).expect(201);
    await t.http.post('/api/tasks').set(member.auth).send({ title: 'Member task' }).expect(201);
    // Batches of 2 rows: every export below crosses batch boundaries.
    t.app.get(ExportService).batchSize = 2;
  });

  afterAll(async () => {
    await t.close();
  });

  it('needs a manager or an admin, and names a bad filter', async () => {
    for (const path of ['opportunities', 'lp-profiles', 'tasks']) {
      await t.http.get(`/api/export/${path}`).set(member.auth).expect(403);
    }
    const cf = await t.http
      .get('/api/export/lp-profiles')
      .query({ 'cf.nope': 'x' })
      .set(manager.auth)
      .expect(400);
    expect(cf.body.details[0].field).toBe('cf.nope');
    const stage = await t.http.get('/api/export/opportunities').query({ stage: 'won' }).set(manager.auth);
    expect(stage.status).toBe(400);
    expect(stage.body.details[0].field).toBe('stage');
  });

  it('exports opportunities with the list filters, related names, custom fields, formulas neutralised, audited', async () => {
    const res = await exported('opportunities', { stage: 'lead' });
    expect(res.headers['content-disposition']).toMatch(/filename="opportunities-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(headerOf(res.text)).toBe(
      'name,contact,contactName,organization,fund,owner,stage,expectedAmount,commitmentAmount,currency,probability,expectedCloseDate,priority,description,nextStep,lostReason,cf.motto,id,createdAt,updatedAt',
    );
    const rows = rowsOf(res.text);
    // The deleted lead and the meeting are left out, as in the list.
    expect(rows.map((r) => r.name).sort()).toEqual([`'${FORMULA}`, 'Lead 1', 'Lead 2', 'Lead 3', 'Lead 4']);
    expect(rows.find((r) => r.name === 'Lead 2')).toMatchObject({
      contact: contacts[0].email,
      contactName: 'Lp0 Case',
      organization: '"Pacific Capital, LLC"',
      fund: 'Fund I',
      owner: manager.username,
      stage: 'lead',
      expectedAmount: '3000',
      currency: 'EUR',
      'cf.motto': 'motto 2',
    });
    expect(rows.find((r) => r.name.startsWith("'="))!['cf.motto']).toBe("'+1 formula");
    expect(
      rowsOf((await exported('opportunities', { 'cf.motto': 'motto 3' })).text).map((r) => r.name),
    ).toEqual(['Lead 3']);
    const deleted = rowsOf((await exported('opportunities', { includeDeleted: 'true', stage: 'lead' })).text);
    expect(deleted.map((r) => r.name)).toContain('Gone lead');
    expect((await audits('opportunity'))[0]).toMatchObject({ format: 'csv', filters: { stage: 'lead' } });
  });

  it('exports opportunities as JSON equal to the list', async () => {
    const res = await exported('opportunities', { format: 'json', search: 'lead' });
    expect(res.headers['content-type']).toContain('application/json');
    const items = JSON.parse(res.text) as { id: string }[];
    expect(items).toHaveLength(4);
    expect(byId(items)).toEqual(byId(await listed('opportunities', { search: 'lead' })));
  });

  it('exports LP profiles with the list filters, names and custom fields', async () => {
    const res = await exported('lp-profiles', { fundId: fundI.id });
    expect(headerOf(res.text)).toBe(
      'contact,contactName,organization,fund,commitmentAmount,fundedAmount,currency,commitmentDate,investorType,accredited,legalDocsSigned,signedDate,wireReceived,wireDate,k1Sent,preferredCommunication,notes,cf.motto,id,createdAt,updatedAt',
    );
    const rows = rowsOf(res.text);
    expect(rows.map((r) => r.contact).sort()).toEqual(contacts.slice(0, 5).map((c) => c.email));
    expect(rows.find((r) => r.contact === contacts[0].email)).toMatchObject({
      contactName: 'Lp0 Case',
      organization: '"Pacific Capital, LLC"',
      fund: 'Fund I',
      commitmentAmount: '100000',
      accredited: 'true',
      k1Sent: 'false',
      notes: `'${FORMULA}`,
      'cf.motto': 'm0',
    });
    expect(rows.find((r) => r.contact === contacts[1].email)!['cf.motto']).toBe("'@mention");
    const search = rowsOf((await exported('lp-profiles', { search: 'lp5' })).text);
    expect(search.map((r) => r.fund)).toEqual(['Fund II']);
    const cf = rowsOf((await exported('lp-profiles', { 'cf.motto': 'm3' })).text);
    expect(cf.map((r) => r.contact)).toEqual([contacts[3].email]);
    const json = JSON.parse((await exported('lp-profiles', { format: 'json', fundId: fundI.id })).text);
    expect(byId(json)).toEqual(byId(await listed('lp-profiles', { fundId: fundI.id })));
    expect((await audits('lp_profile')).length).toBeGreaterThanOrEqual(4);
  });

  it('exports tasks with the list filters (assigneeId=me as the caller) and names', async () => {
    const res = await exported('tasks', { status: 'open', assigneeId: 'me' });
    expect(headerOf(res.text)).toBe(
      'title,description,dueDate,status,priority,assignee,contact,contactName,organization,opportunity,completedAt,createdBy,id,createdAt,updatedAt',
    );
    const rows = rowsOf(res.text);
    expect(rows.map((r) => r.title).sort()).toEqual(["'-2+3", 'Call 1', 'Call 2', 'Call 3', 'Call 4']);
    expect(rows.find((r) => r.title === 'Call 3')).toMatchObject({
      dueDate: '2030-01-04',
      status: 'open',
      priority: 'medium',
      assignee: manager.username,
      contact: contacts[1].email,
      contactName: 'Lp1 Case',
      organization: '"Pacific Capital, LLC"',
      opportunity: 'Lead 1',
      completedAt: '',
      createdBy: manager.username,
    });
    const done = rowsOf((await exported('tasks', { status: 'done' })).text);
    expect(done.map((r) => r.title)).toEqual(['Done one']);
    expect(done[0].completedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const json = JSON.parse((await exported('tasks', { format: 'json' })).text);
    expect(json).toHaveLength(7);
    expect(byId(json)).toEqual(byId(await listed('tasks', {})));
    expect((await audits('task')).map((m) => m.filters)).toContainEqual(
      expect.objectContaining({ status: 'open', assigneeId: 'me' }),
    );
  });

  it('imports each export back unchanged: every row found and nothing to change (round trip)', async () => {
    for (const [path, entityType] of [
      ['opportunities', 'opportunity'],
      ['lp-profiles', 'lp_profile'],
      ['tasks', 'task'],
    ]) {
      const csv = (await exported(path, {})).text;
      const res = await t.http
        .post('/api/import/csv')
        .set(manager.auth)
        .send({ entityType, data: csv, onDuplicate: 'update' })
        .expect(200);
      const report = res.body;
      expect({ path, rows: report.rows, unchanged: report.skippedUnchanged, errors: report.errors }).toEqual({
        path,
        rows: rowsOf(csv).length,
        unchanged: rowsOf(csv).length,
        errors: [],
      });
    }
  });
});
