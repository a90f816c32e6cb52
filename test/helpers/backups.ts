import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

import pg from 'pg';

import { Role } from '../../src/common/auth/role.js';
import { DemoSeeder } from '../../src/database/seeders/demo.seeder.js';
import { listTables } from '../../src/modules/backups/portable-backup.js';
import { qualified } from '../../src/modules/backups/portable-format.js';
import { inSystemContext } from '../../src/modules/jobs/job-context.js';
import { login } from './auth.js';
import type { TestApp } from './test-app.js';

/** Text no dump format may mangle: newlines, tabs, backslashes, COPY's end marker on a line, non-ASCII. */
export const AWKWARD_TEXT =
  'line one\nline two\twith a tab \\ and a backslash\n\\.\n"quoted" ’curly’ ünïcödé 🚀';

async function sql(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

/**
 * A database with something in every table: the demo data set (users, tags, organizations, contacts, funds,
 * LP profiles, opportunities with stage history, communications, tasks), custom fields and their values, an
 * API token, a back office session, a job run, a task reminder — and the audit rows all of that wrote.
 */
export async function seedEverything(t: TestApp): Promise<void> {
  await inSystemContext(t.orm, () => t.app.get(DemoSeeder).run());
  const admin = await login(t, {
    id: '',
    username: 'admin',
    email: '',
    password: 'admin123',
    role: Role.Admin,
  });
  await t.http
    .post('/api/custom-fields')
    .set(admin.auth)
    .send({ entityType: 'contact', key: 'check_size', label: 'Check size', fieldType: 'currency' })
    .expect(201);
  await t.http
    .post('/api/custom-fields')
    .set(admin.auth)
    .send({
      entityType: 'contact',
      key: 'sectors',
      label: 'Sectors',
      fieldType: 'multi_select',
      options: ['Fintech', 'Health'],
    })
    .expect(201);
  const contacts = (await t.http.get('/api/contacts?limit=2').set(admin.auth).expect(200)).body.data;
  await t.http
    .patch(`/api/contacts/${contacts[0].id}`)
    .set(admin.auth)
    .send({
      version: contacts[0].version,
      customFields: { check_size: 2500000, sectors: ['Fintech'] },
      notes: AWKWARD_TEXT,
    })
    .expect(200);
  await t.http
    .post('/api/auth/tokens')
    .set(admin.auth)
    .send({ name: 'Nightly sync', role: 'member' })
    .expect(201);
  // An import batch: one new contact and, with its organization, the records it wrote.
  await t.http
    .post('/api/import/csv')
    .set(admin.auth)
    .send({
      entityType: 'contact',
      data: 'Name,Email,Company\nImported Person,imported@fund.example,Imported Org\n',
    })
    .expect(200);
  await sql(
    t.databaseUrl,
    `insert into admin_sessions (sid, sess, expire) values ('s1', '{"user": "admin"}', now() + interval '1 hour')`,
  );
  await sql(
    t.databaseUrl,
    `insert into job_runs (job, instance, trigger, status, finished_at, details) values ('digest', 'test:1', 'cli', 'success', now(), '{"sent": 1}')`,
  );
  await sql(
    t.databaseUrl,
    `insert into task_reminders (task_id, due_date, recipient) select id, coalesce(due_date, current_date), 'a@fund.example' from tasks limit 1`,
  );
}

/** Every row of every table as PostgreSQL's own text of the row, sorted; and every sequence's position. */
export async function snapshot(url: string): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result: Record<string, string[]> = {};
    for (const table of await listTables(client)) {
      const { rows } = await client.query<{ rows: string[] }>(
        `select coalesce(array_agg(t::text order by t::text), '{}') as rows from ${qualified(table)} t`,
      );
      result[`${table.schema}.${table.name}`] = rows[0].rows;
    }
    const sequences = await client.query<{ line: string }>(
      `select schemaname || '.' || sequencename || '=' || coalesce(last_value::text, 'unused') as line from pg_sequences
        where schemaname = 'public' order by 1`,
    );
    result.sequences = sequences.rows.map((r) => r.line);
    return result;
  } finally {
    await client.end();
  }
}

/** The snapshot without the audit row the restore itself writes (checked separately). */
export function withoutRestoreAudit(snap: Record<string, string[]>): Record<string, string[]> {
  return {
    ...snap,
    'public.audit_log': snap['public.audit_log'].filter((row) => !row.includes(',backup.restore,')),
  };
}

export async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Flips one byte of a file at `fraction` of its length (0.5: the middle). */
export async function flipByte(path: string, fraction: number): Promise<void> {
  const bytes = await readFile(path);
  const at = Math.min(bytes.length - 1, Math.floor(bytes.length * fraction));
  bytes[at] ^= 0x5a;
  await writeFile(path, bytes);
}

export { sql };
