import { createHash } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';

import { Role } from '../src/common/auth/role.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { sql } from './helpers/backups.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('backups and job runs API', () => {
  let t: TestApp;
  let admin: SignedInUser;
  let manager: SignedInUser;
  let member: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp({ BACKUP_METHOD: 'portable' });
    admin = await signedIn(t, Role.Admin);
    manager = await signedIn(t, Role.Manager);
    member = await signedIn(t, Role.Member);
  });

  afterAll(async () => {
    await t.close();
  });

  it('is for admins only', async () => {
    for (const user of [member, manager]) {
      await t.http.get('/api/backups').set(user.auth).expect(403);
      await t.http.post('/api/backups').set(user.auth).expect(403);
      await t.http
        .get('/api/backups/venture-crm-20261207T013000123Z.vcrm/download')
        .set(user.auth)
        .expect(403);
      await t.http.get('/api/jobs/runs').set(user.auth).expect(403);
    }
    await t.http.get('/api/backups').expect(401);
  });

  it('health is degraded (still 200) once the last verified backup is over 2 days old', async () => {
    await sql(
      t.databaseUrl,
      `insert into job_runs (job, instance, trigger, started_at, finished_at, status, details)
       values ('backup', 'old:1', 'schedule', now() - interval '73 hours', now() - interval '72 hours', 'success', '{}')`,
    );
    const res = await t.http.get('/api/health').expect(200);
    expect(res.body).toMatchObject({
      status: 'degraded',
      backup: { lastVerifiedAt: expect.any(String), ageHours: 72 },
      warning: 'the last verified backup is 72 hours old (more than 48)',
    });
  });

  it('lists nothing, then makes a verified backup now and lists it', async () => {
    const empty = await t.http.get('/api/backups').set(admin.auth).expect(200);
    expect(empty.body).toEqual({ data: [], total: 0, limit: 50, offset: 0 });

    const made = await t.http.post('/api/backups').set(admin.auth).expect(201);
    expect(made.body.data).toEqual({
      name: expect.stringMatching(/^venture-crm-\d{8}T\d{9}Z\.vcrm$/),
      size: expect.any(Number),
      createdAt: expect.any(String),
      method: 'portable',
      encrypted: false,
      verified: true,
      verifiedAt: expect.any(String),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      migration: expect.stringMatching(/^Migration\d+_\w+$/),
      note: null,
    });
    const list = await t.http.get('/api/backups').set(admin.auth).expect(200);
    expect(list.body).toMatchObject({ total: 1, data: [made.body.data] });

    const health = await t.http.get('/api/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', backup: { ageHours: 0 } });
    expect(health.body.warning).toBeUndefined();

    const runs = await t.http
      .get('/api/jobs/runs?job=backup&status=success&limit=1')
      .set(admin.auth)
      .expect(200);
    expect(runs.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(runs.body.data).toEqual([
      {
        id: expect.any(String),
        job: 'backup',
        instance: t.config.jobs.instance,
        trigger: 'api',
        scheduledFor: null,
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
        status: 'success',
        details: expect.objectContaining({
          name: made.body.data.name,
          method: 'portable',
          durationMs: expect.any(Number),
        }),
      },
    ]);
    const audit = await sql(
      t.databaseUrl,
      `select actor_label, source from audit_log where action = 'backup.create'`,
    );
    expect(audit.rows).toEqual([{ actor_label: admin.username, source: 'api' }]);
  });

  it('streams a backup for download, with its checksum, and audits it', async () => {
    const [backup] = (await t.http.get('/api/backups').set(admin.auth).expect(200)).body.data;
    const res = await t.http
      .get(`/api/backups/${backup.name}/download`)
      .set(admin.auth)
      .responseType('blob')
      .expect(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${backup.name}"`);
    expect(res.headers['x-backup-sha256']).toBe(backup.sha256);
    const body = res.body as Buffer;
    expect(body.length).toBe(backup.size);
    expect(createHash('sha256').update(body).digest('hex')).toBe(backup.sha256);
    const audit = await sql(
      t.databaseUrl,
      `select actor_label, source, meta from audit_log where action = 'backup.download'`,
    );
    expect(audit.rows).toEqual([
      { actor_label: admin.username, source: 'api', meta: { name: backup.name, size: backup.size } },
    ]);
  });

  it('refuses names that are not backup names (no path traversal) with 400, and unknown ones with 404', async () => {
    for (const name of [
      '..%2F..%2Fsecrets.json',
      '..',
      'venture-crm-20261207T013000123Z.vcrm.json',
      '%2Fetc%2Fpasswd',
      'x.dump',
    ]) {
      const res = await t.http.get(`/api/backups/${name}/download`).set(admin.auth);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'name' }] });
    }
    const missing = await t.http
      .get('/api/backups/venture-crm-20200101T000000000Z.dump/download')
      .set(admin.auth)
      .expect(404);
    expect(missing.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers 409 while a backup is running elsewhere, and records the skip', async () => {
    const holder = new pg.Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(730195, hashtext('backup'))`);
      const res = await t.http.post('/api/backups').set(admin.auth).expect(409);
      expect(res.body).toMatchObject({ code: 'JOB_RUNNING' });
    } finally {
      await holder.end();
    }
    const skipped = await t.http.get('/api/jobs/runs?status=skipped').set(admin.auth).expect(200);
    expect(skipped.body.data[0]).toMatchObject({
      job: 'backup',
      trigger: 'api',
      details: { reason: 'another run of this job was in progress' },
    });
  });

  it('validates list filters, naming the field', async () => {
    for (const [query, field] of [
      ['job=nightly', 'job'],
      ['status=done', 'status'],
      ['limit=500', 'limit'],
    ]) {
      const res = await t.http.get(`/api/jobs/runs?${query}`).set(admin.auth).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field })]);
    }
    await t.http.get('/api/backups?offset=-1').set(admin.auth).expect(400);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/backups',
        '/api/backups/{name}/download',
        '/api/jobs/runs',
        '/api/auth/me',
      ]),
    );
    expect(doc.components.schemas.BackupDto.properties.sha256).toMatchObject({
      type: 'string',
      nullable: true,
    });
    expect(doc.components.schemas.JobRunDto.properties.finishedAt).toMatchObject({ nullable: true });
    expect(doc.paths['/api/auth/me'].patch).toBeDefined();
  });
});
