import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { counts, expectRows as expectFileRows, type Report } from './helpers/import-report.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';
import {
  airtableCommitments,
  airtableDeals,
  airtableInteractions,
  airtableTasks,
  csvOf,
  PIPELINE_SEED,
  type PipelineFile,
} from './fixtures/airtable-pipeline.js';

/** Every row the imports or their undo could touch, as comparable text, ordered. */
async function snapshot(t: TestApp): Promise<string[]> {
  const conn = t.orm.em.getConnection();
  const tables = [
    `select id, name, contact_id, organization_id, fund_id, stage, stage_changed_at, probability, expected_amount,
            commitment_amount, currency, expected_close_date, owner_id, priority, lost_reason, custom_fields,
            version, deleted_at from opportunities`,
    `select id, opportunity_id, from_stage, to_stage, changed_at from opportunity_stage_history`,
    `select id, contact_id, fund_id, commitment_amount, funded_amount, currency, commitment_date, investor_type,
            accredited, k1_sent, custom_fields, version from lp_profiles`,
    `select id, contact_type, version from contacts`,
    `select id, name, version from organizations`,
    `select id, contact_id, opportunity_id, type, subject, body, communication_date, duration_minutes, attendees,
            created_by_id, updated_at from communications`,
    `select id, title, due_date, status, completed_at, assignee_id, contact_id, organization_id, updated_at from tasks`,
  ];
  const out: string[] = [];
  for (const sql of tables) {
    const rows = await conn.execute<Record<string, unknown>[]>(`${sql} order by 1, 2`);
    out.push(...rows.map((r) => JSON.stringify(r)));
  }
  return out;
}

const expectRows = (report: Report, f: PipelineFile): void => expectFileRows(report, f.rows);

/** A report without what differs between two runs: the batch, and the ids of records each run created. */
const withoutRun = ({ batchId: _b, status: _s, skips, ...rest }: Report) => ({
  ...rest,
  skips: skips.map((s) => (s.reason === 'blank' ? s : { row: s.row, reason: s.reason })),
});

describe('import of opportunities, LP profiles, communications and tasks', () => {
  let t: TestApp;
  let manager: SignedInUser;
  let member: SignedInUser;
  const contacts: Record<string, string> = {};
  const funds: Record<string, string> = {};

  const importCsv = (entityType: string, body: Record<string, unknown>, user = manager) =>
    t.http
      .post('/api/import/csv')
      .set(user.auth)
      .send({ entityType, ...body });
  const run = async (entityType: string, body: Record<string, unknown>) => {
    const res = await importCsv(entityType, body);
    expect({ status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({
      status: 200,
      body: 'ok',
    });
    return res.body as Report;
  };

  beforeAll(async () => {
    t = await createTestApp();
    manager = await signedIn(t, Role.Manager);
    member = await signedIn(t, Role.Member);
    for (const name of PIPELINE_SEED.funds) {
      funds[name] = (
        await t.http.post('/api/funds').set(manager.auth).send({ name }).expect(201)
      ).body.data.id;
    }
    for (const body of PIPELINE_SEED.contacts) {
      contacts[body.email] = (
        await t.http.post('/api/contacts').set(manager.auth).send(body).expect(201)
      ).body.data.id;
    }
    await t.http
      .post('/api/opportunities')
      .set(manager.auth)
      .send({
        name: PIPELINE_SEED.existingDeal,
        contactId: contacts['pat@kim.example'],
        fundId: funds['Fund II'],
      })
      .expect(201);
    await t.http
      .post('/api/lp-profiles')
      .set(manager.auth)
      .send({ contactId: contacts['pat@kim.example'], fundId: funds['Fund II'], commitmentAmount: 1000000 })
      .expect(201);
  });

  afterAll(async () => {
    await t.close();
  });

  it('needs a manager or an admin for every entity type', async () => {
    for (const entityType of ['opportunity', 'lp_profile', 'communication', 'task']) {
      await importCsv(entityType, { data: 'Name\nx\n' }, member).expect(403);
    }
  });

  it('suggests Airtable headers; refuses a mapping without the fields a record needs, or custom fields it has not', async () => {
    const deals = airtableDeals(manager.username);
    const res = await t.http
      .post('/api/import/suggest')
      .set(manager.auth)
      .send({ entityType: 'opportunity', headers: deals.headers })
      .expect(200);
    expect(res.body.data.mapping).toEqual({
      Name: 'name',
      Contact: 'contact',
      Fund: 'fund',
      Stage: 'stage',
      Amount: 'expectedAmount',
      'Close Date': 'expectedCloseDate',
      Owner: 'owner',
      Company: 'organization',
      Probability: 'probability',
      'Lost Reason': 'lostReason',
    });
    let bad = await importCsv('lp_profile', { data: 'LP Name\nDana Ruiz\n' }).expect(400);
    expect(bad.body.details[0]).toMatchObject({ field: 'mapping', message: expect.stringContaining('fund') });
    bad = await importCsv('communication', { data: 'Type,Subject\ncall,x\n' }).expect(400);
    expect(bad.body.details[0].message).toContain('contact or opportunity');
    bad = await importCsv('task', { data: 'Task\nx\n', mapping: { Task: 'cf.nope' } }).expect(400);
    expect(bad.body.details[0].field).toBe('mapping.Task');
  });

  describe('opportunities', () => {
    let batchId: string;
    let before: string[];

    it('accounts for every row; one rejected row without partial writes nothing', async () => {
      const deals = airtableDeals(manager.username);
      const before = await snapshot(t);
      const report = await run('opportunity', { data: csvOf(deals) });
      expect(report.status).toBe('rolled_back');
      expectRows(report, deals);
      expect(report).toMatchObject({ created: 3, skippedBlank: 2, skippedDuplicate: 2, rejected: 5 });
      expect(await snapshot(t)).toEqual(before);
    });

    it('a dry run reports what the real run does; the rows are written as the API writes them', async () => {
      const deals = airtableDeals(manager.username);
      before = await snapshot(t);
      const dry = await run('opportunity', { data: csvOf(deals), partial: true, dryRun: true });
      expect(dry.status).toBe('dry_run');
      expect(await snapshot(t)).toEqual(before);
      const real = await run('opportunity', { data: csvOf(deals), partial: true });
      expect(real.status).toBe('committed');
      expect(withoutRun(real)).toEqual(withoutRun(dry));
      expectRows(real, deals);
      expect(real.linkedCreated).toEqual({ organizations: 1, tags: 0 });
      batchId = real.batchId!;

      const list = (
        await t.http.get('/api/opportunities').query({ limit: 100 }).set(manager.auth).expect(200)
      ).body.data as Record<string, unknown>[];
      const dana = list.find((o) => o.name === 'Dana Ruiz — Fund II')!;
      expect(dana).toMatchObject({
        stage: 'funded',
        probability: 100,
        expectedAmount: 2000000,
        currency: 'EUR',
        expectedCloseDate: '2025-03-15',
        contact: expect.objectContaining({ id: contacts['dana@ruiz.example'] }),
        fund: expect.objectContaining({ id: funds['Fund II'] }),
        organization: expect.objectContaining({ name: 'Ruiz Family Office' }),
        owner: expect.objectContaining({ username: manager.username }),
      });
      expect(list.find((o) => o.name === 'Morgan Lee — OF I')).toMatchObject({
        stage: 'due_diligence',
        probability: 60,
        expectedAmount: 5000000,
        currency: 'USD',
        // An empty Owner cell: no owner, as an explicit null in the API.
        owner: null,
      });
      expect(list.find((o) => o.name === 'Chris (2) — Fund II')).toMatchObject({
        stage: 'meeting',
        probability: 50,
        contact: expect.objectContaining({ id: contacts['chris2@doe.example'] }),
      });
      const detail = (
        await t.http
          .get(`/api/opportunities/${dana.id as string}`)
          .set(manager.auth)
          .expect(200)
      ).body.data;
      expect(detail.stageHistory).toEqual([expect.objectContaining({ from: null, to: 'funded' })]);
      const audit = await t.orm.em
        .getConnection()
        .execute<{ source: string; n: number }[]>(
          `select source, count(*)::int as n from audit_log where entity_type = 'opportunity' and entity_id = ? group by source`,
          [dana.id],
        );
      expect(audit).toEqual([{ source: 'import', n: 1 }]);
    });

    it('undo removes what the batch created (organization and stage history too), row for row', async () => {
      const after = await snapshot(t);
      await t.http.delete(`/api/import/batches/${batchId}`).set(manager.auth).expect(200);
      const now = await snapshot(t);
      expect(now).not.toEqual(after);
      expect(now).toEqual(before);
    });

    it('re-importing with onDuplicate=update changes nothing the second time', async () => {
      const data = csvOf(airtableDeals(manager.username));
      const first = await run('opportunity', { data, partial: true, onDuplicate: 'update' });
      // Pat Kim's deal had the caller as owner; the file's empty Owner cell clears it.
      expect(first).toMatchObject({ status: 'committed', created: 3, updated: 1 });
      const before = await snapshot(t);
      const again = await run('opportunity', { data, partial: true, onDuplicate: 'update' });
      expect(again).toMatchObject({ status: 'committed', created: 0, updated: 0, skippedUnchanged: 4 });
      expect(counts(again)).toBe(again.rows);
      expect(await snapshot(t)).toEqual(before);
    });

    it('undo of an update restores stage, probability and history; a record changed since is a 409 naming it', async () => {
      before = await snapshot(t);
      const csv =
        'Name,Contact,Fund,Stage,Amount\r\nMorgan Lee — OF I,Morgan Lee,Opportunity Fund I,Closed Won,€7M\r\n';
      const update = await run('opportunity', { data: csv, onDuplicate: 'update' });
      expect(update).toMatchObject({ status: 'committed', updated: 1 });
      const morgan = (
        await t.http.get('/api/opportunities').query({ search: 'Morgan Lee — OF I' }).set(manager.auth)
      ).body.data[0];
      expect(morgan).toMatchObject({
        stage: 'funded',
        probability: 100,
        currency: 'EUR',
        expectedAmount: 7000000,
      });
      await t.http.delete(`/api/import/batches/${update.batchId}`).set(manager.auth).expect(200);
      const noVersion = (rows: string[]) => rows.map((r) => r.replace(/"version":\d+,?/, ''));
      expect(noVersion(await snapshot(t))).toEqual(noVersion(before));

      const created = await run('opportunity', {
        data: 'Name,Contact,Fund\r\nMorgan — Fund II,Morgan Lee,Fund II\r\n',
      });
      const opp = (
        await t.http.get('/api/opportunities').query({ search: 'Morgan — Fund II' }).set(manager.auth)
      ).body.data[0];
      // No Owner column: whoever imports, as when the API creates one.
      expect(opp.owner).toMatchObject({ username: manager.username });
      await t.http
        .patch(`/api/opportunities/${opp.id}`)
        .set(manager.auth)
        .send({ nextStep: 'Call' })
        .expect(200);
      const refused = await t.http
        .delete(`/api/import/batches/${created.batchId}`)
        .set(manager.auth)
        .expect(409);
      expect(refused.body.message).toContain('Morgan — Fund II');
    });
  });

  describe('LP profiles', () => {
    it('imports commitments: contact by email or name, fund by name, one per pair; undo puts the contact type back', async () => {
      const f = airtableCommitments();
      const before = await snapshot(t);
      const dry = await run('lp_profile', { data: csvOf(f), partial: true, dryRun: true });
      const real = await run('lp_profile', { data: csvOf(f), partial: true });
      expectRows(real, f);
      expect(withoutRun(real)).toEqual(withoutRun(dry));
      const dana = (
        await t.http
          .get('/api/lp-profiles')
          .query({ contactId: contacts['dana@ruiz.example'] })
          .set(manager.auth)
      ).body.data[0];
      expect(dana).toMatchObject({
        commitmentAmount: 1000000,
        fundedAmount: 250000,
        currency: 'EUR',
        commitmentDate: '2024-03-15',
        investorType: 'family_office',
        accredited: true,
      });
      const contact = (await t.http.get(`/api/contacts/${contacts['dana@ruiz.example']}`).set(manager.auth))
        .body.data;
      expect(contact.contactType).toBe('investor');
      const morgan = (
        await t.http
          .get('/api/lp-profiles')
          .query({ contactId: contacts['morgan@lee.example'] })
          .set(manager.auth)
      ).body.data[0];
      expect(morgan).toMatchObject({
        commitmentAmount: 2000000,
        currency: 'USD',
        investorType: 'fund_of_funds',
        k1Sent: true,
      });

      const again = await run('lp_profile', { data: csvOf(f), partial: true, onDuplicate: 'create' });
      expect(again.errors.find((e) => e.row === 1)).toMatchObject({
        column: 'Fund',
        message: expect.stringContaining('one profile per contact per fund'),
      });

      await t.http.delete(`/api/import/batches/${real.batchId}`).set(manager.auth).expect(200);
      const noVersion = (rows: string[]) => rows.map((r) => r.replace(/"version":\d+,?/, ''));
      expect(noVersion(await snapshot(t))).toEqual(noVersion(before));
    });
  });

  describe('communications', () => {
    it('imports interactions: US date-times, "Phone Call", minutes, attendees; deduped by contact, moment, type, subject', async () => {
      const f = airtableInteractions();
      const before = await snapshot(t);
      const real = await run('communication', { data: csvOf(f), partial: true });
      expectRows(real, f);
      const list = (
        await t.http
          .get('/api/communications')
          .query({ contactId: contacts['dana@ruiz.example'] })
          .set(manager.auth)
      ).body.data;
      expect(list).toEqual([
        expect.objectContaining({
          type: 'call',
          subject: 'Intro call',
          communicationDate: '2024-03-15T14:30:00.000Z',
          durationMinutes: 30,
          body: 'Wants the deck.\r\nFollow up in Q2.',
          attendees: ['Dana Ruiz', 'Lee, Morgan'],
          createdBy: expect.objectContaining({ username: manager.username }),
        }),
      ]);
      const again = await run('communication', { data: csvOf(f), partial: true });
      expect(again).toMatchObject({ created: 0, skippedDuplicate: 3 });
      await t.http.delete(`/api/import/batches/${real.batchId}`).set(manager.auth).expect(200);
      expect(await snapshot(t)).toEqual(before);
    });

    it('an export imports back unchanged', async () => {
      const dana = contacts['dana@ruiz.example'];
      const opp = (
        await t.http.get('/api/opportunities').query({ search: 'Dana Ruiz — Fund II' }).set(manager.auth)
      ).body.data[0];
      for (const body of [
        {
          type: 'email',
          contactId: dana,
          subject: '=SUM(A1)',
          body: 'Line 1\nLine 2',
          attendees: ['A, B', 'C'],
        },
        { type: 'meeting', opportunityId: opp.id, durationMinutes: 45, nextActionDate: '2025-01-02' },
        { type: 'note', contactId: contacts['morgan@lee.example'], outcome: 'Good' },
      ]) {
        await t.http.post('/api/communications').set(manager.auth).send(body).expect(201);
      }
      const exported = async () =>
        (await t.http.get('/api/export/communications').set(manager.auth).buffer(true).expect(200)).text;
      const first = await exported();
      const same = await run('communication', { data: first, onDuplicate: 'update' });
      expect(same).toMatchObject({ status: 'committed', rows: 3, skippedUnchanged: 3 });

      const ids = (await t.http.get('/api/communications').set(manager.auth)).body.data.map(
        (c: { id: string }) => c.id,
      );
      for (const id of ids)
        await t.http
          .delete(`/api/communications/${id as string}`)
          .set(manager.auth)
          .expect(204);
      const back = await run('communication', { data: first });
      expect(back).toMatchObject({ status: 'committed', created: 3 });
      const withoutIds = (csv: string) =>
        csv
          .split('\n')
          .map((line) => line.replace(/,[0-9a-f-]{36},[^,]+,[^,]+\r?$/, ''))
          .sort();
      expect(withoutIds(await exported())).toEqual(withoutIds(first));
    });
  });

  describe('tasks', () => {
    it('imports tasks as the API writes them; undo removes them and the organization they created', async () => {
      const f = airtableTasks(manager.username);
      const before = await snapshot(t);
      const real = await run('task', { data: csvOf(f), partial: true });
      expectRows(real, f);
      expect(real.linkedCreated.organizations).toBe(1);
      const tasks = (await t.http.get('/api/tasks').query({ search: 'deck' }).set(manager.auth)).body.data;
      expect(tasks).toEqual([
        expect.objectContaining({
          title: 'Send the deck',
          dueDate: '2025-04-01',
          status: 'done',
          completedAt: expect.any(String),
          contact: expect.objectContaining({ id: contacts['morgan@lee.example'] }),
          organization: expect.objectContaining({ name: 'Lee Capital' }),
        }),
      ]);
      const again = await run('task', { data: csvOf(f), partial: true, onDuplicate: 'update' });
      expect(again).toMatchObject({ created: 0, updated: 0, skippedUnchanged: 2 });
      await t.http.delete(`/api/import/batches/${real.batchId}`).set(manager.auth).expect(200);
      expect(await snapshot(t)).toEqual(before);
    });
  });
});
