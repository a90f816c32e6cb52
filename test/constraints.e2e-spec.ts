import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { constraintMessage } from '../src/common/errors/index.js';
import { COMMUNICATION_CONSTRAINTS } from '../src/modules/communications/communications.errors.js';
import { CONTACT_CONSTRAINTS } from '../src/modules/contacts/contacts.errors.js';
import { CUSTOM_FIELD_CONSTRAINTS } from '../src/modules/custom-fields/custom-fields.errors.js';
import { FUND_CONSTRAINTS } from '../src/modules/funds/funds.errors.js';
import { LP_PROFILE_CONSTRAINTS } from '../src/modules/lp-profiles/lp-profiles.errors.js';
import { OPPORTUNITY_CONSTRAINTS } from '../src/modules/opportunities/opportunities.errors.js';
import { TAG_CONSTRAINTS } from '../src/modules/tags/tags.errors.js';
import { TASK_CONSTRAINTS } from '../src/modules/tasks/tasks.errors.js';
import { USER_CONSTRAINTS } from '../src/modules/users/users.errors.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * The database itself refuses bad rows, whatever path they come by (a script, a SQL client, a bug in a
 * service): each rule is written past the API, straight in SQL, and must fail on its named constraint.
 */
describe('PostgreSQL constraints', () => {
  let t: TestApp;
  let db: pg.Client;
  let contactId: string;
  let fundId: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
    contactId = await insertId(
      `insert into contacts (first_name, email) values ('Ada', 'ada@x.example') returning id`,
    );
    fundId = await insertId(`insert into funds (name) values ('Fund I') returning id`);
  });

  afterAll(async () => {
    await db.end();
    await t.close();
  });

  async function insertId(sql: string, params: unknown[] = []): Promise<string> {
    const { rows } = await db.query<{ id: string }>(sql, params);
    return rows[0].id;
  }

  const refused = (sql: string, params: unknown[] = []) => expect(db.query(sql, params)).rejects;

  it('contact: first name not blank', async () => {
    await refused(`insert into contacts (first_name) values ('   ')`).toMatchObject({
      constraint: 'contacts_first_name_check',
    });
  });

  it('contact: email unique among live contacts ignoring case; a deleted one does not count', async () => {
    await refused(`insert into contacts (first_name, email) values ('Ada2', 'ADA@x.example')`).toMatchObject({
      constraint: 'contacts_email_lower_unique',
    });
    await db.query(
      `insert into contacts (first_name, email, deleted_at) values ('Old', 'solo@x.example', now())`,
    );
    await db.query(`insert into contacts (first_name, email) values ('New', 'SOLO@x.example')`);
    const { rows } = await db.query(
      `select count(*)::int as n from contacts where lower(email) = 'solo@x.example'`,
    );
    expect(rows[0].n).toBe(2);
  });

  it('contact: organization must exist', async () => {
    await refused(
      `insert into contacts (first_name, organization_id) values ('Ada3', gen_random_uuid())`,
    ).toMatchObject({
      constraint: 'contacts_organization_id_foreign',
    });
  });

  it('contact: enum values only', async () => {
    await refused(`insert into contacts (first_name, contact_type) values ('Ada4', 'vip')`).toMatchObject({
      code: '22P02',
      message: expect.stringContaining('enum contact_type'),
    });
  });

  it('opportunity: amounts not negative', async () => {
    await refused(
      `insert into opportunities (name, probability, expected_amount) values ('Neg', 10, -1)`,
    ).toMatchObject({
      constraint: 'opportunities_expected_amount_check',
    });
    await refused(
      `insert into opportunities (name, probability, commitment_amount) values ('Neg', 10, -0.01)`,
    ).toMatchObject({
      constraint: 'opportunities_commitment_amount_check',
    });
  });

  it('opportunity: probability 0–100', async () => {
    await refused(`insert into opportunities (name, probability) values ('Sure thing', 150)`).toMatchObject({
      constraint: 'opportunities_probability_check',
    });
  });

  it('opportunity: lost needs a reason', async () => {
    await refused(
      `insert into opportunities (name, probability, stage) values ('Gone', 0, 'lost')`,
    ).toMatchObject({
      constraint: 'opportunities_lost_reason_check',
    });
  });

  it('LP profile: funded not above committed', async () => {
    await refused(
      `insert into lp_profiles (contact_id, fund_id, commitment_amount, funded_amount) values ($1, $2, 100, 101)`,
      [contactId, fundId],
    ).toMatchObject({ constraint: 'lp_profiles_funded_le_commitment_check' });
  });

  it('LP profile: one per contact and fund', async () => {
    const sql = `insert into lp_profiles (contact_id, fund_id, commitment_amount) values ($1, $2, 100)`;
    await db.query(sql, [contactId, fundId]);
    await refused(sql, [contactId, fundId]).toMatchObject({ constraint: 'lp_profiles_contact_fund_unique' });
  });

  it('communication: with a contact or about an opportunity', async () => {
    await refused(`insert into communications (type, subject) values ('note', 'About nobody')`).toMatchObject(
      {
        constraint: 'communications_link_check',
      },
    );
  });

  it('task: done means completed_at is set', async () => {
    await refused(`insert into tasks (title, status) values ('Finished?', 'done')`).toMatchObject({
      constraint: 'tasks_completed_at_check',
    });
  });

  it('tag: colour as #rrggbb', async () => {
    await refused(`insert into tags (name, color) values ('Blue', 'blue')`).toMatchObject({
      constraint: 'tags_color_check',
    });
  });

  it('every declared constraint message names a real constraint, and the started app answers with it', async () => {
    const declared = Object.keys({
      ...COMMUNICATION_CONSTRAINTS,
      ...CONTACT_CONSTRAINTS,
      ...CUSTOM_FIELD_CONSTRAINTS,
      ...FUND_CONSTRAINTS,
      ...LP_PROFILE_CONSTRAINTS,
      ...OPPORTUNITY_CONSTRAINTS,
      ...TAG_CONSTRAINTS,
      ...TASK_CONSTRAINTS,
      ...USER_CONSTRAINTS,
    });
    // Unique indexes (email ignoring case) are indexes, not table constraints: both catalogues count.
    const { rows } = await db.query<{ name: string }>(
      `select conname as name from pg_constraint where conname = any($1)
       union select relname from pg_class where relkind = 'i' and relname = any($1)`,
      [declared],
    );
    expect(rows.map((r) => r.name).sort()).toEqual([...declared].sort());
    expect(declared.filter((name) => !constraintMessage(name))).toEqual([]);
  });
});
