import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { runCli } from './helpers/processes.js';
import { counts, expectRows, type Report } from './helpers/import-report.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import {
  airtableContacts,
  airtableCsv,
  EXISTING_CONTACT,
  EXISTING_ORGANIZATION,
  FIXTURE_CUSTOM_FIELDS,
  HEADERS,
} from './fixtures/airtable-contacts.js';

const MAPPING = {
  Name: 'name',
  'Email Address': 'email',
  Company: 'organization',
  Type: 'contactType',
  Tags: 'tags',
  'Check Size': 'cf.check_size',
  'First Meeting': 'cf.first_meeting',
  Accredited: 'cf.accredited',
  Sectors: 'cf.sectors',
  Notes: 'notes',
  LinkedIn: 'linkedinUrl',
};

/** Every CRM row the import or its undo could touch, as comparable text, ordered. */
async function snapshot(t: TestApp): Promise<string[]> {
  const conn = t.orm.em.getConnection();
  const tables = [
    `select id, first_name, last_name, email, organization_id, contact_type, status, notes, linkedin_url, custom_fields, version, deleted_at from contacts`,
    `select id, name, type, custom_fields, version, deleted_at from organizations`,
    `select id, name from tags`,
    `select contact_id, tag_id from contact_tags`,
    `select organization_id, tag_id from organization_tags`,
  ];
  const out: string[] = [];
  for (const sql of tables) {
    const rows = await conn.execute<Record<string, unknown>[]>(`${sql} order by 1, 2`);
    out.push(...rows.map((r) => JSON.stringify(r)));
  }
  return out;
}

/** A report without what differs between two runs: the batch, and the ids of records each run created. */
const withoutRun = ({ batchId: _b, status: _s, skips, ...rest }: Report, existing: string[]) => ({
  ...rest,
  skips: skips.map((s) =>
    s.recordId && !existing.includes(s.recordId) ? { row: s.row, reason: s.reason } : s,
  ),
});

describe('import', () => {
  let t: TestApp;
  let manager: SignedInUser;
  let member: SignedInUser;

  const importCsv = (body: Record<string, unknown>, user = manager) =>
    t.http
      .post('/api/import/csv')
      .set(user.auth)
      .send({ entityType: 'contact', ...body });

  beforeAll(async () => {
    t = await createTestApp();
    manager = await signedIn(t, Role.Manager);
    member = await signedIn(t, Role.Member);
    for (const field of FIXTURE_CUSTOM_FIELDS) {
      await t.http
        .post('/api/custom-fields')
        .set(manager.auth)
        .send({ entityType: 'contact', ...field })
        .expect(201);
    }
    await t.http
      .post('/api/organizations')
      .set(manager.auth)
      .send({ name: EXISTING_ORGANIZATION })
      .expect(201);
    await t.http.post('/api/contacts').set(manager.auth).send(EXISTING_CONTACT).expect(201);
  });

  afterAll(async () => {
    await t.close();
  });

  it('needs a manager or an admin', async () => {
    await importCsv({ data: airtableCsv() }, member).expect(403);
    await t.http
      .post('/api/import/suggest')
      .set(member.auth)
      .send({ entityType: 'contact', headers: ['Name'] })
      .expect(403);
    await t.http.get('/api/import/batches').set(member.auth).expect(403);
    await t.http.post('/api/import/csv').send({ entityType: 'contact', data: '' }).expect(401);
  });

  it('suggests a mapping from the header row, custom fields included', async () => {
    const res = await t.http
      .post('/api/import/suggest')
      .set(manager.auth)
      .send({ entityType: 'contact', headers: HEADERS })
      .expect(200);
    expect(res.body.data.mapping).toEqual(MAPPING);
  });

  it('answers 400 naming the field for a bad entity type or mapping', async () => {
    let res = await importCsv({ entityType: 'invoice', data: airtableCsv() }).expect(400);
    expect(res.body.details[0].field).toBe('entityType');
    res = await importCsv({ data: airtableCsv(), mapping: { Nope: 'email' } }).expect(400);
    expect(res.body.details[0].field).toBe('mapping.Nope');
    res = await importCsv({ data: airtableCsv(), mapping: { Name: 'shoeSize' } }).expect(400);
    expect(res.body.details[0].field).toBe('mapping.Name');
    res = await importCsv({
      data: airtableCsv(),
      mapping: { Name: 'email', 'Email Address': 'email' },
    }).expect(400);
    expect(res.body.details[0].field).toBe('mapping.Email Address');
    res = await importCsv({ data: airtableCsv(), mapping: { Notes: 'cf.nope' } }).expect(400);
    expect(res.body.message).toContain('cf.nope');
    res = await importCsv({ data: airtableCsv(), mapping: { 'Email Address': 'email' } }).expect(400);
    expect(res.body.details[0].field).toBe('mapping');
  });

  it('accounts for every row of the messy file; a rejected row without partial writes nothing', async () => {
    const before = await snapshot(t);
    const fixture = airtableContacts();
    const res = await importCsv({ data: airtableCsv(), mapping: MAPPING }).expect(200);
    const report = res.body as Report;
    expect(report.status).toBe('rolled_back');
    expect(report.batchId).toBeNull();
    expectRows(report, fixture);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'Company',
        message: expect.stringContaining('Harbor Partners'),
      }),
    ]);
    expect(await snapshot(t)).toEqual(before);
  });

  let batchId: string;

  it('a dry run reports exactly what the real run does, and writes nothing', async () => {
    const before = await snapshot(t);
    const dry = (
      await importCsv({ data: airtableCsv(), mapping: MAPPING, partial: true, dryRun: true }).expect(200)
    ).body as Report;
    expect(dry.status).toBe('dry_run');
    expect(await snapshot(t)).toEqual(before);

    const real = (await importCsv({ data: airtableCsv(), mapping: MAPPING, partial: true }).expect(200))
      .body as Report;
    expect(real.status).toBe('committed');
    expect(real.batchId).toEqual(expect.any(String));
    batchId = real.batchId!;
    const existing = (
      await t.orm.em
        .getConnection()
        .execute<{ id: string }[]>('select id from contacts where email = ?', [EXISTING_CONTACT.email])
    ).map((r) => r.id);
    expect(withoutRun(real, existing)).toEqual(withoutRun(dry, existing));
    expect(counts(real)).toBe(real.rows);
    expect(real.linkedCreated).toEqual({ organizations: 2, tags: 2 });
  });

  it('stores what the rows say: normalised email, linked organization, tags, custom fields, text as is', async () => {
    const list = await t.http
      .get('/api/contacts')
      .query({ search: 'dana.ruiz' })
      .set(manager.auth)
      .expect(200);
    expect(list.body.data).toHaveLength(1);
    const dana = list.body.data[0];
    expect(dana).toMatchObject({
      firstName: 'Dana',
      lastName: 'Ruiz',
      email: 'dana.ruiz@summit.example',
      contactType: 'investor',
      organization: { name: EXISTING_ORGANIZATION },
      notes: 'Met at SALT.\r\nWants quarterly updates, "in person".',
      customFields: {
        check_size: 5000000,
        first_meeting: '2024-03-15',
        accredited: true,
        sectors: ['Fintech', 'Health'],
      },
    });
    expect(dana.tags.map((tag: { name: string }) => tag.name).sort()).toEqual(['Fund I LP', 'High Priority']);

    const morgan = (await t.http.get('/api/contacts').query({ search: 'morgan@' }).set(manager.auth)).body
      .data[0];
    expect(morgan).toMatchObject({
      firstName: 'Morgan',
      lastName: 'Lee',
      organization: { name: 'Pacific Capital, LLC' },
    });
    expect(morgan.customFields).toEqual({ check_size: 2000000 });

    const frank = (await t.http.get('/api/contacts').query({ search: 'frank@' }).set(manager.auth)).body
      .data[0];
    expect(frank.notes).toBe('=HYPERLINK("http://evil.example")');

    const audit = await t.orm.em
      .getConnection()
      .execute<{ source: string; n: number }[]>(
        `select source, count(*)::int as n from audit_log where entity_type = 'contact' and entity_id = ? group by source`,
        [dana.id],
      );
    expect(audit).toEqual([{ source: 'import', n: 1 }]);
  });

  it('lists batches and shows one with its report', async () => {
    const list = await t.http.get('/api/import/batches').set(manager.auth).expect(200);
    expect(list.body.data[0]).toMatchObject({
      id: batchId,
      status: 'committed',
      entityType: 'contact',
      counts: { rows: 16 },
    });
    const one = await t.http.get(`/api/import/batches/${batchId}`).set(manager.auth).expect(200);
    expect(one.body.data.report.batchId).toBe(batchId);
    expect(one.body.data.options.mapping).toEqual(expect.objectContaining(MAPPING));
  });

  it('re-importing with onDuplicate=update changes nothing the second time', async () => {
    const first = (
      await importCsv({ data: airtableCsv(), mapping: MAPPING, partial: true, onDuplicate: 'update' }).expect(
        200,
      )
    ).body as Report;
    // The contact that was in the database before gets the file's tag.
    expect(first).toMatchObject({ status: 'committed', created: 0, updated: 1 });
    const before = await snapshot(t);
    const again = (
      await importCsv({ data: airtableCsv(), mapping: MAPPING, partial: true, onDuplicate: 'update' }).expect(
        200,
      )
    ).body as Report;
    expect(again).toMatchObject({ status: 'committed', created: 0, updated: 0 });
    expect(again.skippedUnchanged).toBeGreaterThan(0);
    expect(counts(again)).toBe(again.rows);
    expect(await snapshot(t)).toEqual(before);
  });

  it('undo restores the database row for row, and refuses (409, naming it) when a record changed since', async () => {
    const before = await snapshot(t);
    const csv = [
      'Name,Email Address,Company,Tags,Check Size',
      `Existing Person,${EXISTING_CONTACT.email},New Org Inc,Fresh Tag,$1M`,
      'Dana Ruiz,dana.ruiz@summit.example,Summit Insurance Group,Fund I LP,"$7,500,000"',
      'Newbie One,newbie@one.example,New Org Inc,,',
    ].join('\n');
    const mapping = {
      Name: 'name',
      'Email Address': 'email',
      Company: 'organization',
      Tags: 'tags',
      'Check Size': 'cf.check_size',
    };
    const run = (await importCsv({ data: csv, mapping, onDuplicate: 'update' }).expect(200)).body as Report;
    expect(run).toMatchObject({
      status: 'committed',
      created: 1,
      updated: 2,
      linkedCreated: { organizations: 1, tags: 1 },
    });
    expect(await snapshot(t)).not.toEqual(before);

    const newbie = (await t.http.get('/api/contacts').query({ search: 'newbie' }).set(manager.auth)).body
      .data[0];
    await t.http
      .patch(`/api/contacts/${newbie.id}`)
      .set(manager.auth)
      .send({ title: 'Changed by hand' })
      .expect(200);
    const refused = await t.http.delete(`/api/import/batches/${run.batchId}`).set(manager.auth);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('IMPORT_CHANGED_SINCE');
    expect(refused.body.message).toContain('Newbie One');
    await t.http.patch(`/api/contacts/${newbie.id}`).set(manager.auth).send({ title: null }).expect(200);
    // Put back by hand, the version still differs: undo only trusts the version.
    await t.http.delete(`/api/import/batches/${run.batchId}`).set(manager.auth).expect(409);
    await t.orm.em
      .getConnection()
      .execute('update contacts set version = version - 2 where id = ?', [newbie.id]);

    const undone = await t.http.delete(`/api/import/batches/${run.batchId}`).set(manager.auth);
    expect(undone.body).toMatchObject({ data: expect.anything() });
    expect(undone.body.data).toMatchObject({ status: 'undone', undoneAt: expect.any(String) });
    const after = await snapshot(t);
    // Versions of restored records moved on (the restore is a write); everything else is as before.
    const noVersion = (rows: string[]) => rows.map((r) => r.replace(/"version":\d+,?/, ''));
    expect(noVersion(after)).toEqual(noVersion(before));
    await t.http.delete(`/api/import/batches/${run.batchId}`).set(manager.auth).expect(409);
  });

  it('takes a multipart file upload', async () => {
    const res = await t.http
      .post('/api/import/upload')
      .set(manager.auth)
      .field('entityType', 'contact')
      .field('mapping', JSON.stringify(MAPPING))
      .field('dryRun', 'true')
      .field('partial', 'true')
      .attach('file', Buffer.from(airtableCsv()), 'contacts.csv')
      .expect(200);
    expect(res.body).toMatchObject({ status: 'dry_run', rows: 16 });
    expect(counts(res.body as Report)).toBe(16);
    const bad = await t.http
      .post('/api/import/upload')
      .set(manager.auth)
      .field('entityType', 'contact')
      .expect(400);
    expect(bad.body.details[0].field).toBe('file');
  });

  it('imports organizations, deduped by name', async () => {
    const csv =
      'Name,Organization Type,Website,Tags\nAtlas Family Office,Family Office,https://atlas.example,Family Office\natlas family office.,,,\nNorth Pension,Pension,,\n,,,\n';
    const res = (
      await t.http
        .post('/api/import/csv')
        .set(manager.auth)
        .send({ entityType: 'organization', data: csv })
        .expect(200)
    ).body as Report;
    expect(res).toMatchObject({
      status: 'committed',
      rows: 4,
      created: 2,
      skippedDuplicate: 1,
      skippedBlank: 1,
    });
    const atlas = (await t.http.get('/api/organizations').query({ search: 'Atlas' }).set(manager.auth)).body
      .data[0];
    expect(atlas).toMatchObject({ type: 'family_office', website: 'https://atlas.example' });
  });

  it('runs from the CLI with a mapping file, a dry run first, audited as import', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vcrm-import-'));
    try {
      const file = join(dir, 'people.csv');
      const mappingFile = join(dir, 'mapping.json');
      await writeFile(
        file,
        'Full Name,E-mail,Firm\r\nCli Person,CLI@Person.example,CLI Org\r\nBroken,broken@,\r\n',
      );
      await writeFile(
        mappingFile,
        JSON.stringify({ 'Full Name': 'name', 'E-mail': 'email', Firm: 'organization' }),
      );
      const env = { DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'silent' };
      const dry = await runCli(
        ['import', file, '--entity', 'contact', '--mapping', mappingFile, '--dry-run', '--partial'],
        env,
      );
      expect(dry.output).toContain('Dry run: nothing was written.');
      expect(dry.output).toContain(
        '2 rows: 1 created, 0 updated, 0 skipped (0 duplicate, 0 blank, 0 unchanged), 1 rejected',
      );
      expect(dry.output).toContain('Rejected row 2, column "E-mail"');
      const refused = await runCli(['import', file, '--entity', 'contact', '--mapping', mappingFile], env);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain('Nothing was written');
      const real = await runCli(['import', file, '--entity', 'contact', '--partial'], env);
      expect(real.code).toBe(0);
      expect(real.output).toMatch(/Imported: batch [0-9a-f-]{36}/);
      const rows = await t.orm.em
        .getConnection()
        .execute<{ email: string; source: string; actor_label: string }[]>(
          `select c.email, a.source, a.actor_label from contacts c join audit_log a on a.entity_id = c.id
            where c.email = 'cli@person.example'`,
        );
      expect(rows).toEqual([
        expect.objectContaining({
          email: 'cli@person.example',
          source: 'import',
          actor_label: expect.stringContaining('cli'),
        }),
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // Three CLI processes, each starting Nest and the ORM.
  }, 180_000);
});
