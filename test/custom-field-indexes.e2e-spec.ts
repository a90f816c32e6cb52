import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { Role } from '../src/common/auth/role.js';
import { CustomFieldIndexes } from '../src/modules/custom-fields/custom-field-indexes.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

/**
 * The range-filter index of a number, currency or date custom field is built CONCURRENTLY after the
 * definition is saved, outside the request: the request returns at once with `building`, writes to the table
 * go on meanwhile, the index ends up valid and `ready`, and schema diffs never propose dropping it.
 */
describe('custom field indexes', () => {
  let t: TestApp;
  let manager: SignedInUser;
  let member: SignedInUser;
  let db: pg.Client;

  beforeAll(async () => {
    t = await createTestApp();
    [manager, member] = await Promise.all([signedIn(t, Role.Manager), signedIn(t, Role.Member)]);
    db = new pg.Client({ connectionString: t.databaseUrl });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  async function indexStatus(id: string): Promise<string | null> {
    return (await t.http.get(`/api/custom-fields/${id}`).set(member.auth).expect(200)).body.data.indexStatus;
  }

  /** Polls the definition until its index is no longer building (the build runs in the background). */
  async function settled(id: string): Promise<string | null> {
    for (let i = 0; i < 200; i++) {
      const status = await indexStatus(id);
      if (status !== 'building') return status;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the index is still building after 10 s');
  }

  /** Defines a number field and waits for its index. */
  async function readyNumberField(entityType: string, key: string): Promise<string> {
    const created = await t.http
      .post('/api/custom-fields')
      .set(manager.auth)
      .send({ entityType, key, label: key, fieldType: 'number' })
      .expect(201);
    expect(created.body.data.indexStatus).toBe('building');
    expect(await settled(created.body.data.id)).toBe('ready');
    return created.body.data.id as string;
  }

  async function index(name: string): Promise<{ valid: boolean; def: string } | undefined> {
    const res = await db.query<{ valid: boolean; def: string }>(
      `select i.indisvalid as valid, pg_get_indexdef(i.indexrelid) as def from pg_index i where i.indexrelid = to_regclass($1)`,
      [name],
    );
    return res.rows[0];
  }

  it('a currency field answers at once with building while a write holds the table, then becomes ready', async () => {
    await t.http.post('/api/organizations').set(member.auth).send({ name: 'Before' }).expect(201);
    // An open transaction that wrote to the table: a plain CREATE INDEX in the request would wait for it.
    const writer = new pg.Client({ connectionString: t.databaseUrl });
    await writer.connect();
    try {
      await writer.query('begin');
      await writer.query(`update organizations set updated_at = now() where name = 'Before'`);
      const created = await t.http
        .post('/api/custom-fields')
        .set(manager.auth)
        .send({ entityType: 'organization', key: 'check_size', label: 'Check size', fieldType: 'currency' })
        .expect(201);
      expect(created.body.data.indexStatus).toBe('building');
      // The build waits for that transaction, and the table stays writable meanwhile.
      await t.http
        .post('/api/organizations')
        .set(member.auth)
        .send({ name: 'During', customFields: { check_size: 2_500_000 } })
        .expect(201);
      expect(await indexStatus(created.body.data.id)).toBe('building');
      await writer.query('commit');
      expect(await settled(created.body.data.id)).toBe('ready');
    } finally {
      await writer.end();
    }
    const built = await index('cf_organizations_check_size');
    expect(built?.valid).toBe(true);
    expect(built?.def).toContain("custom_fields ->> 'check_size'");
    const list = await t.http
      .get('/api/organizations?cf.check_size[gte]=1000000')
      .set(member.auth)
      .expect(200);
    expect(list.body.data.map((o: { name: string }) => o.name)).toEqual(['During']);
  });

  it('a type change rebuilds the index, a text type and a delete drop it, concurrently after the change', async () => {
    const id = await readyNumberField('contact', 'met_on');
    const changed = await t.http
      .patch(`/api/custom-fields/${id}`)
      .set(manager.auth)
      .send({ fieldType: 'date' })
      .expect(200);
    expect(changed.body.data.indexStatus).toBe('building');
    expect(await settled(id)).toBe('ready');
    expect((await index('cf_contacts_met_on'))?.def).not.toContain('numeric');
    const text = await t.http
      .patch(`/api/custom-fields/${id}`)
      .set(manager.auth)
      .send({ fieldType: 'text' })
      .expect(200);
    expect(text.body.data.indexStatus).toBeNull();
    await t.app.get(CustomFieldIndexes).idle();
    expect(await index('cf_contacts_met_on')).toBeUndefined();
    await t.http
      .patch(`/api/custom-fields/${id}`)
      .set(manager.auth)
      .send({ fieldType: 'number' })
      .expect(200);
    expect(await settled(id)).toBe('ready');
    await t.http.delete(`/api/custom-fields/${id}`).set(manager.auth).expect(204);
    await t.app.get(CustomFieldIndexes).idle();
    expect(await index('cf_contacts_met_on')).toBeUndefined();
  });

  it('an invalid index left by an interrupted build is dropped and built again', async () => {
    const id = await readyNumberField('opportunity', 'ticket');
    // Mark it invalid (as an interrupted CREATE INDEX CONCURRENTLY leaves it) and report it failed.
    await db.query(
      `update pg_index set indisvalid = false where indexrelid = 'cf_opportunities_ticket'::regclass`,
    );
    await db.query(`update custom_field_definitions set index_status = 'failed' where id = $1`, [id]);
    expect(await indexStatus(id)).toBe('failed');
    // Saving the definition again retries the build.
    const saved = await t.http
      .patch(`/api/custom-fields/${id}`)
      .set(manager.auth)
      .send({ label: 'Ticket size' });
    expect(saved.status).toBe(200);
    expect(saved.body.data.indexStatus).toBe('building');
    expect(await settled(id)).toBe('ready');
    expect((await index('cf_opportunities_ticket'))?.valid).toBe(true);
  });

  it('at start-up an instance builds again what a dead one left: building with no index, ready with an invalid one', async () => {
    const building = await readyNumberField('contact', 'left_building');
    const invalid = await readyNumberField('contact', 'left_invalid');
    // As a process killed mid-build leaves them: one still `building` with no index, one whose index is invalid.
    await db.query('drop index "cf_contacts_left_building"');
    await db.query(`update custom_field_definitions set index_status = 'building' where id = $1`, [building]);
    await db.query(
      `update pg_index set indisvalid = false where indexrelid = 'cf_contacts_left_invalid'::regclass`,
    );
    // Two instances start at once on the database: one builds each index (advisory lock), both end ready.
    const started = await Promise.all([
      createTestApp({ DATABASE_URL: t.databaseUrl }),
      createTestApp({ DATABASE_URL: t.databaseUrl }),
    ]);
    try {
      await Promise.all(started.map((other) => other.app.get(CustomFieldIndexes).idle()));
      // (Read from the database: the test apps sign tokens with keys of their own.)
      const statuses = await db.query<{ id: string; status: string }>(
        'select id, index_status as status from custom_field_definitions where id = any($1)',
        [[building, invalid]],
      );
      expect(statuses.rows.map((r) => r.status)).toEqual(['ready', 'ready']);
      expect((await index('cf_contacts_left_building'))?.valid).toBe(true);
      expect((await index('cf_contacts_left_invalid'))?.valid).toBe(true);
    } finally {
      await Promise.all(started.map((other) => other.close()));
    }
  });

  it('schema diffs (migration:create) propose nothing although the indexes are not in any migration', async () => {
    expect((await index('cf_organizations_check_size'))?.valid).toBe(true);
    const diff = await t.orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });
});
