import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RequestContext as OrmRequestContext } from '@mikro-orm/core';
import pg from 'pg';

import { Role } from '../src/common/auth/role.js';
import { RequestContext } from '../src/common/context/request-context.js';
import { AuditLog } from '../src/modules/audit/audit-log.entity.js';
import { AuditSource } from '../src/common/context/audit-source.js';
import { Organization } from '../src/modules/organizations/organization.entity.js';
import { OrganizationsService } from '../src/modules/organizations/organizations.service.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { runCli } from './helpers/processes.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('audit log', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let admin: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    [member, manager, admin] = await Promise.all([
      signedIn(t, Role.Member),
      signedIn(t, Role.Manager),
      signedIn(t, Role.Admin),
    ]);
  });

  afterAll(async () => {
    await t.close();
  });

  const rowsFor = (entityId: string) =>
    t.orm.em.fork().find(AuditLog, { entityId }, { orderBy: { createdAt: 'asc', id: 'asc' } });

  const sql = async <T extends pg.QueryResultRow>(text: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: t.databaseUrl });
    await client.connect();
    try {
      return (await client.query<T>(text)).rows;
    } finally {
      await client.end();
    }
  };

  it('records one row per API change with the field diff, the actor, the source and the request id', async () => {
    const { body: tag } = await t.http
      .post('/api/tags')
      .set(manager.auth)
      .send({ name: 'Audited' })
      .expect(201);
    const created = await t.http
      .post('/api/organizations')
      .set(member.auth)
      .send({ name: 'Audit Capital', city: 'Boston' })
      .expect(201);
    const id = created.body.data.id as string;
    const updated = await t.http
      .patch(`/api/organizations/${id}`)
      .set(member.auth)
      .send({ city: 'Austin', tagIds: [tag.data.id] })
      .expect(200);

    const rows = await rowsFor(id);
    expect(rows.map((r) => r.action)).toEqual(['create', 'update']);
    const [create, update] = rows;
    expect(create).toMatchObject({
      entityType: 'organization',
      source: AuditSource.Api,
      actorUserId: member.id,
      actorLabel: member.username,
      requestId: created.headers['x-request-id'],
    });
    expect(create.changes).toMatchObject({
      name: { from: null, to: 'Audit Capital' },
      city: { from: null, to: 'Boston' },
    });
    expect(update.requestId).toBe(updated.headers['x-request-id']);
    expect(update.changes).toEqual({
      city: { from: 'Boston', to: 'Austin' },
      tags: { from: [], to: ['Audited'] },
    });
  });

  it('names soft deletes and restores, and records who used which API token', async () => {
    const { body: token } = await t.http
      .post('/api/auth/tokens')
      .set(manager.auth)
      .send({ name: 'sync', role: 'manager' })
      .expect(201);
    const bearer = { Authorization: `Bearer ${token.data.token}` };
    const { body } = await t.http
      .post('/api/organizations')
      .set(bearer)
      .send({ name: 'Token Org' })
      .expect(201);
    await t.http.delete(`/api/organizations/${body.data.id}`).set(bearer).expect(204);
    await t.http.post(`/api/organizations/${body.data.id}/restore`).set(manager.auth).expect(200);
    const rows = await rowsFor(body.data.id);
    expect(rows.map((r) => r.action)).toEqual(['create', 'soft_delete', 'restore']);
    expect(rows[0]).toMatchObject({
      actorUserId: manager.id,
      actorTokenId: token.data.id,
      actorLabel: `${manager.username} (token: sync)`,
    });
    expect(rows[1].changes).toMatchObject({
      deletedAt: { from: null, to: expect.any(String) },
      deletedBy: { from: null, to: manager.id },
    });
    expect(rows[2].actorTokenId).toBeNull();
  });

  it('records the source of a scheduled job as system and of a CLI command as cli, without secrets', async () => {
    const service = t.app.get(OrganizationsService);
    const fromJob = await RequestContext.run({ source: AuditSource.System, actor: { label: 'system' } }, () =>
      OrmRequestContext.create(t.orm.em, () => service.create({ name: 'Made By A Job' })),
    );
    expect((await rowsFor(fromJob.id)).map((r) => [r.action, r.source, r.actorLabel])).toEqual([
      ['create', 'system', 'system'],
    ]);

    const run = await runCli(
      [
        'create-user',
        '--username',
        'cli.made',
        '--email',
        'cli.made@fund.example',
        '--role',
        'member',
        '--password',
        'Fund2-raise-tracker!',
      ],
      { DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'silent' },
    );
    expect(run.code).toBe(0);
    const [row] = await t.orm.em
      .fork()
      .find(AuditLog, { entityType: 'user', action: 'create', changes: { username: { to: 'cli.made' } } });
    expect(row).toMatchObject({ source: AuditSource.Cli, actorLabel: expect.stringMatching(/^cli/) });
    expect(row.changes?.passwordHash).toEqual({ from: '[redacted]', to: '[redacted]' });
    const leaks = await sql<{ n: string }>(
      `select count(*) as n from audit_log where changes::text like '%$argon2%' or meta::text like '%$argon2%'`,
    );
    expect(leaks[0].n).toBe('0');
  }, 120_000);

  it('leaves no row when the transaction of the change rolls back', async () => {
    const em = t.orm.em.fork();
    let id = '';
    await expect(
      em.transactional(async (tx) => {
        const org = tx.create(Organization, { name: 'Never Was' });
        id = org.id;
        await tx.flush();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await t.orm.em.fork().count(Organization, { id })).toBe(0);
    expect(await rowsFor(id)).toEqual([]);
  });

  it('is append-only: PostgreSQL refuses UPDATE, DELETE and TRUNCATE', async () => {
    await expect(sql(`update audit_log set action = 'forged'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql(`delete from audit_log`)).rejects.toThrow(/append-only: DELETE/);
    await expect(sql(`truncate audit_log`)).rejects.toThrow(/append-only: TRUNCATE/);
    await sql(
      `insert into audit_log (actor_label, source, action) values ('test', 'system', 'insert.allowed')`,
    );
  });

  it('serves the log to admins only, filtered and paged', async () => {
    await t.http.get('/api/audit-log').set(member.auth).expect(403);
    await t.http.get('/api/audit-log').set(manager.auth).expect(403);
    const { body: org } = await t.http
      .post('/api/organizations')
      .set(member.auth)
      .send({ name: 'Filter Me' })
      .expect(201);
    const byEntity = await t.http
      .get(`/api/audit-log?entityType=organization&entityId=${org.data.id}`)
      .set(admin.auth)
      .expect(200);
    expect(byEntity.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(byEntity.body.data[0]).toMatchObject({
      action: 'create',
      actor: { userId: member.id, label: member.username },
      source: 'api',
    });
    const byUser = await t.http
      .get(`/api/audit-log?userId=${member.id}&action=create&limit=1`)
      .set(admin.auth)
      .expect(200);
    expect(byUser.body.data).toHaveLength(1);
    expect(byUser.body.total).toBeGreaterThan(1);
    const logins = await t.http
      .get(`/api/audit-log?action=auth.login.success&userId=${admin.id}`)
      .set(admin.auth)
      .expect(200);
    expect(logins.body.total).toBe(1);
    const future = await t.http.get(`/api/audit-log?from=2999-01-01`).set(admin.auth).expect(200);
    expect(future.body.total).toBe(0);
    for (const bad of [
      'from=yesterday',
      'entityId=x',
      'source=email',
      'from=2025-02-01&to=2025-01-01',
      'format=xml',
    ]) {
      const res = await t.http.get(`/api/audit-log?${bad}`).set(admin.auth).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('exports CSV as a stream and records the export', async () => {
    const res = await t.http
      .get('/api/audit-log?format=csv&entityType=organization')
      .set(admin.auth)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="audit-log-/);
    const lines = res.text.trim().split('\n');
    expect(lines[0]).toBe(
      'created_at,actor_label,actor_user_id,actor_token_id,source,action,entity_type,entity_id,changes,request_id,ip,meta',
    );
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(1).every((l) => l.includes(',organization,'))).toBe(true);
    const exports = await t.orm.em.fork().find(AuditLog, { action: 'export', actorUserId: admin.id });
    expect(exports[0].meta).toEqual({ format: 'csv', filters: { entityType: 'organization' } });
  });

  it("shows a record's history to anyone who may read the record", async () => {
    const { body: org } = await t.http
      .post('/api/organizations')
      .set(member.auth)
      .send({ name: 'Historic' })
      .expect(201);
    await t.http
      .patch(`/api/organizations/${org.data.id}`)
      .set(member.auth)
      .send({ country: 'USA' })
      .expect(200);
    const history = await t.http
      .get(`/api/organizations/${org.data.id}/history`)
      .set(member.auth)
      .expect(200);
    expect(history.body.data.map((r: { action: string }) => r.action)).toEqual(['update', 'create']);
    await t.http.delete(`/api/organizations/${org.data.id}`).set(manager.auth).expect(204);
    await t.http.get(`/api/organizations/${org.data.id}/history`).set(member.auth).expect(404);
    const forManager = await t.http
      .get(`/api/organizations/${org.data.id}/history`)
      .set(manager.auth)
      .expect(200);
    expect(forManager.body.total).toBe(3);
    await t.http
      .get(`/api/organizations/00000000-0000-4000-8000-000000000000/history`)
      .set(member.auth)
      .expect(404);
    await t.http.get(`/api/users/${member.id}/history`).set(admin.auth).expect(404);
    await t.http.get(`/api/organizations/nope/history`).set(member.auth).expect(400);
  });
});
