import { randomBytes, randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

const JWT_SECRET = randomBytes(32).toString('hex');

/**
 * Pipeline analytics are kept in memory between changes (ReportCache): two instances on one database, the
 * analytics read on one reflect a change made through the other (or straight in SQL) on the very next request.
 */
describe('pipeline analytics kept between changes, across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let manager: SignedInUser;
  const fundId = randomUUID();
  const path = `/api/reports/pipeline-analytics?fundId=${fundId}`;

  beforeAll(async () => {
    a = await createTestApp({ JWT_SECRET });
    b = await createTestApp({ DATABASE_URL: a.databaseUrl, JWT_SECRET });
    manager = await signedIn(a, Role.Manager);
    await a.orm.em
      .getConnection()
      .execute(`insert into funds (id, name, currency, status) values (?, 'Cache Fund', 'USD', 'raising')`, [
        fundId,
      ]);
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const analytics = async (t: TestApp) => {
    const res = await t.http.get(path).set(manager.auth).expect(200);
    return res.body.data as {
      fund: { name: string };
      won: number;
      lost: number;
      lostReasons: { reason: string; count: number }[];
      velocity: { openDeals: number }[];
    };
  };

  it('answers the same figures from memory until a change, then the new ones at once', async () => {
    const deal = await a.http
      .post('/api/opportunities')
      .set(manager.auth)
      .send({ name: 'Cached deal', fundId, stage: 'meeting', expectedAmount: 1000 })
      .expect(201);
    const first = await analytics(b);
    expect(first.velocity).toEqual([expect.objectContaining({ openDeals: 1 })]);
    expect(await analytics(b)).toEqual(first);

    // A stage change through the other instance: lost, with its reason.
    await a.http
      .patch(`/api/opportunities/${deal.body.data.id}/stage`)
      .set(manager.auth)
      .send({ stage: 'lost', lostReason: 'Timing' })
      .expect(200);
    const afterMove = await analytics(b);
    expect([afterMove.lost, afterMove.velocity, afterMove.lostReasons]).toEqual([
      1,
      [],
      [{ reason: 'Timing', count: 1 }],
    ]);

    // The answer is kept: a rename whose notification is switched off is not seen…
    const sql = (text: string, params: unknown[] = []) => a.orm.em.getConnection().execute(text, params);
    await sql(`alter table funds disable trigger funds_report_notify`);
    await sql(`update funds set name = 'Quiet Fund' where id = ?`, [fundId]);
    expect((await analytics(b)).fund.name).toBe('Cache Fund');
    await sql(`alter table funds enable trigger funds_report_notify`);

    // …and a change written straight in SQL (an import, psql) is seen at once.
    await sql(`update funds set name = 'Renamed Fund' where id = ?`, [fundId]);
    expect((await analytics(b)).fund.name).toBe('Renamed Fund');
  });

  it('keeps no answer of a bad request: an unknown fund is a 400 each time', async () => {
    const unknown = `/api/reports/pipeline-analytics?fundId=${randomUUID()}`;
    for (let i = 0; i < 2; i += 1) await b.http.get(unknown).set(manager.auth).expect(400);
  });
});
