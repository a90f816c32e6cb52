import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';

import { Role } from '../src/common/auth/role.js';
import { ExportService } from '../src/modules/import/export.service.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import { airtableCsv, FIXTURE_CUSTOM_FIELDS } from './fixtures/airtable-contacts.js';

const CUSTOM_FIELDS = [...FIXTURE_CUSTOM_FIELDS, { key: 'motto', label: 'Motto', fieldType: 'text' }];

/** Text a spreadsheet would run as a formula, and text that merely starts with an apostrophe. */
const TRICKY = ['=1+2', '+33 1 23 45', '-minus', '@handle', "'quoted'", "'=already escaped"];

async function defineCustomFields(t: TestApp, manager: SignedInUser): Promise<void> {
  for (const field of CUSTOM_FIELDS) {
    await t.http
      .post('/api/custom-fields')
      .set(manager.auth)
      .send({ entityType: 'contact', ...field })
      .expect(201);
  }
}

const rowsOf = (csv: string): Record<string, string>[] =>
  parse<Record<string, string>>(csv, { columns: true, bom: true });

/** An export's rows without what differs between two databases (ids, timestamps), in a stable order. */
const comparable = (csv: string): Record<string, string>[] =>
  rowsOf(csv)
    .map(({ id: _i, createdAt: _c, updatedAt: _u, ...rest }) => rest)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('export', () => {
  let t: TestApp;
  let manager: SignedInUser;
  let member: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    manager = await signedIn(t, Role.Manager);
    member = await signedIn(t, Role.Member);
    await defineCustomFields(t, manager);
    const org = await t.http
      .post('/api/organizations')
      .set(manager.auth)
      .send({ name: 'Pacific Capital, LLC' })
      .expect(201);
    const tag = await t.http.post('/api/tags').set(manager.auth).send({ name: 'LPs, Fund I' }).expect(201);
    for (const [i, text] of TRICKY.entries()) {
      await t.http
        .post('/api/contacts')
        .set(manager.auth)
        .send({
          firstName: `Tricky${i}`,
          lastName: i % 2 ? '' : 'Case',
          email: `tricky${i}@x.example`,
          notes: text,
          title: text,
          organizationId: org.body.data.id,
          tagIds: [tag.body.data.id],
          contactType: 'advisor',
          preferredContact: 'in_person',
          customFields: {
            motto: text,
            accredited: i % 2 === 0,
            sectors: ['Fintech', 'Climate'],
            check_size: 1234.5,
            first_meeting: '2023-12-31',
          },
        })
        .expect(201);
    }
    // The messy Airtable file too: multi-line notes, several tags, linked organizations.
    await t.http
      .post('/api/import/csv')
      .set(manager.auth)
      .send({ entityType: 'contact', data: airtableCsv(), partial: true })
      .expect(200);
  });

  afterAll(async () => {
    await t.close();
  });

  it('needs a manager or an admin, and names a bad entity', async () => {
    await t.http.get('/api/export/contacts').set(member.auth).expect(403);
    const res = await t.http.get('/api/export/invoices').set(manager.auth).expect(400);
    expect(res.body.details[0].field).toBe('entity');
    const bad = await t.http.get('/api/export/contacts?format=xlsx').set(manager.auth).expect(400);
    expect(bad.body.details[0].field).toBe('format');
  });

  it('streams CSV with related names and custom fields, formula cells neutralised, and audits it', async () => {
    const res = await t.http.get('/api/export/contacts?format=csv').set(manager.auth).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(
      /attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const rows = rowsOf(res.text);
    const tricky0 = rows.find((r) => r.email === 'tricky0@x.example')!;
    expect(tricky0).toMatchObject({
      notes: "'=1+2",
      organization: '"Pacific Capital, LLC"',
      tags: '"LPs, Fund I"',
      'cf.sectors': 'Fintech, Climate',
      'cf.accredited': 'true',
      'cf.check_size': '1234.5',
      'cf.motto': "'=1+2",
    });
    expect(rows.find((r) => r.email === 'tricky4@x.example')!.notes).toBe("''quoted'");
    const audit = await t.orm.em
      .getConnection()
      .execute<{ n: number }[]>(
        `select count(*)::int as n from audit_log where action = 'export' and entity_type = 'contact'`,
      );
    expect(audit[0].n).toBeGreaterThan(0);
  });

  it('takes the list filters, and JSON', async () => {
    const res = await t.http
      .get('/api/export/contacts')
      .query({ format: 'json', type: 'advisor' })
      .set(manager.auth)
      .expect(200);
    expect(res.headers['content-type']).toContain('application/json');
    const body = JSON.parse(res.text) as { email: string; organization: { name: string } }[];
    expect(body.map((c) => c.email).sort()).toEqual(TRICKY.map((_, i) => `tricky${i}@x.example`));
    expect(body[0].organization.name).toBe('Pacific Capital, LLC');
    const cf = await t.http
      .get('/api/export/contacts')
      .query({ format: 'csv', 'cf.motto': '@handle' })
      .set(manager.auth)
      .expect(200);
    expect(rowsOf(cf.text).map((r) => r.email)).toEqual(['tricky3@x.example']);
    const orgs = await t.http
      .get('/api/export/organizations')
      .query({ search: 'pacific' })
      .set(manager.auth)
      .expect(200);
    expect(rowsOf(orgs.text).map((r) => r.name)).toEqual(['Pacific Capital, LLC']);
    // Batches of 2 rows: keyset paging crosses batch boundaries with the filters kept.
    t.app.get(ExportService).batchSize = 2;
    try {
      const contact = (await t.http.get('/api/contacts').query({ search: 'tricky0' }).set(manager.auth)).body
        .data[0];
      for (const subject of ['=SUM(A1)', 'b', 'c', 'd', 'e']) {
        await t.http
          .post('/api/communications')
          .set(manager.auth)
          .send({ type: 'call', subject, contactId: contact.id })
          .expect(201);
      }
      await t.http
        .post('/api/communications')
        .set(manager.auth)
        .send({ type: 'note', subject: 'other', contactId: contact.id })
        .expect(201);
      const comms = await t.http
        .get('/api/export/communications')
        .query({ type: 'call' })
        .set(manager.auth)
        .expect(200);
      const rows = rowsOf(comms.text);
      expect(rows.map((r) => r.subject).sort()).toEqual(["'=SUM(A1)", 'b', 'c', 'd', 'e']);
      expect(rows[0]).toMatchObject({ contact: 'Tricky0 Case', type: 'call', createdBy: manager.username });
      const all = await t.http
        .get('/api/export/contacts')
        .query({ format: 'json' })
        .set(manager.auth)
        .expect(200);
      const count = await t.orm.em
        .getConnection()
        .execute<{ n: number }[]>('select count(*)::int as n from contacts where deleted_at is null');
      expect((JSON.parse(all.text) as unknown[]).length).toBe(count[0].n);
    } finally {
      t.app.get(ExportService).batchSize = 1000;
    }
  });

  it('imports back unchanged: into the same database nothing changes, into another one the export is the same', async () => {
    const exported = (await t.http.get('/api/export/contacts').set(manager.auth).expect(200)).text;
    const same = await t.http
      .post('/api/import/csv')
      .set(manager.auth)
      .send({ entityType: 'contact', data: exported, onDuplicate: 'update' })
      .expect(200);
    expect(same.body).toMatchObject({ status: 'committed', created: 0, updated: 0, rejected: 0 });
    expect(same.body.skippedUnchanged).toBe(same.body.rows);

    // An empty database (the same custom fields): the file creates every contact, organization and tag again.
    await t.orm.em.getConnection().execute('truncate contacts, organizations, tags cascade');
    const into = await t.http
      .post('/api/import/csv')
      .set(manager.auth)
      .send({ entityType: 'contact', data: exported })
      .expect(200);
    expect(into.body).toMatchObject({ status: 'committed', rejected: 0, skipped: 0 });
    expect(into.body.created).toBe(rowsOf(exported).length);
    const again = (await t.http.get('/api/export/contacts').set(manager.auth).expect(200)).text;
    expect(comparable(again)).toEqual(comparable(exported));
    const tricky = (await t.http.get('/api/contacts').query({ search: 'tricky4' }).set(manager.auth)).body
      .data[0];
    expect(tricky).toMatchObject({
      notes: "'quoted'",
      customFields: expect.objectContaining({ motto: "'quoted'" }),
    });
  });
});
