import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';

import { Role } from '../src/common/auth/role.js';
import { signedIn, type SignedInUser } from './helpers/auth.js';
import { UNKNOWN_ID } from './helpers/crm.js';
import { type ReportFixture, reportTestApp } from './helpers/report-fixture.js';
import type { TestApp } from './helpers/test-app.js';

const REPORTS = ['dashboard', 'pipeline', 'lp-breakdown', 'activity', 'pipeline-analytics', 'fund-progress'];

describe('reports as CSV, and bad parameters', () => {
  let t: TestApp;
  let member: SignedInUser;
  let manager: SignedInUser;
  let f: ReportFixture;

  beforeAll(async () => {
    ({ t, member, f } = await reportTestApp());
    manager = await signedIn(t, Role.Manager);
  });

  afterAll(async () => {
    await t?.close();
  });

  const csv = async (path: string) => {
    const res = await t.http.get(path).set(manager.auth).buffer(true);
    expect(res.status).toBe(200);
    return { res, rows: parse<Record<string, string>>(res.text, { columns: true }) };
  };

  it.each(REPORTS)('%s answers a CSV download with a dated file name', async (report) => {
    const { res, rows } = await csv(`/api/reports/${report}?format=csv`);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="${report}-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    expect(rows.length).toBeGreaterThan(0);
  });

  it('neutralises cells that a spreadsheet would run as formulas, and keeps figures as numbers', async () => {
    const { rows } = await csv(`/api/reports/lp-breakdown?fundId=${f.funds.fund2}&format=csv`);
    expect(rows).toEqual([
      expect.objectContaining({
        contact: 'Ann Lee',
        currency: 'USD',
        commitment: '500000',
        funded: '200000',
        unfunded: '300000',
        legal_docs_signed: 'true',
        wire_received: 'false',
      }),
      expect.objectContaining({
        contact: "'=Cleo Day",
        contact_deleted: 'false',
        currency: 'EUR',
        commitment: '250000.5',
        unfunded: '250000.5',
      }),
      expect.objectContaining({ contact: 'Eve Gone', contact_deleted: 'true', commitment: '100000' }),
    ]);
  });

  it('keeps currencies apart in the long tables', async () => {
    const { rows } = await csv(`/api/reports/fund-progress?fundId=${f.funds.fund2}&format=csv`);
    const committed = rows.filter((r) => r.section === 'committed');
    expect(committed.map((r) => [r.currency, r.value])).toEqual([
      ['EUR', '250000.5'],
      ['USD', '600000'],
    ]);
    expect(rows).toContainEqual({
      section: 'fund',
      name: 'Fund II',
      metric: 'gap_to_target',
      currency: 'USD',
      value: '4400000',
    });
  });

  it('is an export: members may read reports but not download them, and downloads are audited', async () => {
    const json = await t.http.get('/api/reports/pipeline').set(member.auth);
    expect(json.status).toBe(200);
    const refused = await t.http.get('/api/reports/pipeline?format=csv').set(member.auth);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('format=csv');
    await csv(`/api/reports/pipeline?fundId=${f.funds.fund1}&format=csv`);
    const [row] = await t.orm.em.getConnection().execute<{ meta: Record<string, unknown> }[]>(
      `select meta from audit_log where action = 'export' and entity_type = 'report' and actor_user_id = ?
          order by created_at desc limit 1`,
      [manager.id],
    );
    expect(row.meta).toEqual({ report: 'pipeline', format: 'csv', filters: { fundId: f.funds.fund1 } });
  });

  it('validates the parameters of a download before recording it: a bad fundId is a 400 and no export', async () => {
    const exports = async () => {
      const [row] = await t.orm.em
        .getConnection()
        .execute<{ n: number }[]>(
          `select count(*)::int as n from audit_log where action = 'export' and entity_type = 'report'`,
        );
      return row.n;
    };
    const before = await exports();
    for (const path of [
      `/api/reports/pipeline?fundId=${UNKNOWN_ID}&format=csv`,
      `/api/reports/lp-breakdown?fundId=${UNKNOWN_ID}&format=csv`,
      `/api/reports/fund-progress?fundId=${UNKNOWN_ID}&format=csv`,
      '/api/reports/pipeline-analytics?from=2026-03-01&to=2026-02-01&format=csv',
    ]) {
      const res = await t.http.get(path).set(manager.auth);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/fundId|from/);
    }
    expect(await exports()).toBe(before);
  });

  it('needs a signed-in user', async () => {
    expect((await t.http.get('/api/reports/dashboard')).status).toBe(401);
  });

  it.each([
    ['/api/reports/pipeline?fundId=nope', 'fundId'],
    [`/api/reports/pipeline?fundId=${UNKNOWN_ID}`, 'fundId'],
    [`/api/reports/lp-breakdown?fundId=${UNKNOWN_ID}`, 'fundId'],
    [`/api/reports/dashboard?fundId=${UNKNOWN_ID}`, 'fundId'],
    [`/api/reports/fund-progress?fundId=${UNKNOWN_ID}`, 'fundId'],
    [`/api/reports/pipeline-analytics?fundId=${UNKNOWN_ID}`, 'fundId'],
    ['/api/reports/activity?days=0', 'days'],
    ['/api/reports/activity?days=367', 'days'],
    ['/api/reports/activity?days=1.5', 'days'],
    ['/api/reports/activity?days=abc', 'days'],
    ['/api/reports/pipeline-analytics?from=2026-03-01&to=2026-02-01', 'from'],
    ['/api/reports/pipeline-analytics?from=2026-02-30', 'from'],
    ['/api/reports/pipeline-analytics?to=yesterday', 'to'],
    ['/api/reports/pipeline?format=xlsx', 'format'],
  ])('%s → 400 naming %s', async (path, field) => {
    const res = await t.http.get(path).set(member.auth);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(res.body.message).toContain(field);
  });

  it('accepts the bounds of days', async () => {
    for (const days of [1, 366]) {
      const res = await t.http.get(`/api/reports/activity?days=${days}`).set(member.auth);
      expect(res.status).toBe(200);
      expect(res.body.data.byDay).toHaveLength(days);
    }
  });
});
