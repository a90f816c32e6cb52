import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { Role } from '../src/common/auth/role.js';
import { AuditLog } from '../src/modules/audit/audit-log.entity.js';
import { Communication, CommunicationType } from '../src/modules/communications/communication.entity.js';
import { Contact } from '../src/modules/contacts/contact.entity.js';
import { Opportunity } from '../src/modules/opportunities/opportunity.entity.js';
import { type SignedInUser, signedIn } from './helpers/auth.js';
import { type CountedTestApp, createCountedTestApp } from './helpers/counted-app.js';

/**
 * A communication create is one statement: the live checks of its contact and opportunity, the row, its audit
 * row and the names the answer shows. The app talks to its database through the benchmark's counting proxy.
 */
describe('communication create: one statement', () => {
  let t: CountedTestApp;
  let member: SignedInUser;
  let dana: Contact;
  let gone: Contact;
  let deal: Opportunity;
  let goneDeal: Opportunity;

  beforeAll(async () => {
    t = await createCountedTestApp();
    member = await signedIn(t, Role.Member);
    const em = t.orm.em.fork();
    dana = em.create(Contact, { firstName: 'Dana', lastName: 'Ruiz' });
    gone = em.create(Contact, { firstName: 'Gone', lastName: 'Away', deletedAt: new Date() });
    deal = em.create(Opportunity, { name: 'Redwood — Fund II', contact: dana, probability: 10 });
    goneDeal = em.create(Opportunity, { name: 'Dropped deal', probability: 10, deletedAt: new Date() });
    await em.flush();
  });

  afterAll(async () => {
    await t?.close();
  });

  const post = (body: Record<string, unknown>) =>
    t.http.post('/api/communications').set(member.auth).send(body);

  /** Statements one create sends, once authentication is cached (a first request warms it), and its answer. */
  const measured = async (body: Record<string, unknown>, status = 201) => {
    await post({ type: 'note', contactId: dana.id });
    let answer: Record<string, unknown> = {};
    const statements = await t.counter.measure(async () => {
      answer = (await post(body).expect(status)).body as Record<string, unknown>;
    });
    return { statements, answer };
  };

  const auditOf = async (id: string) => {
    const rows = await t.orm.em.fork().find(AuditLog, { entityType: 'communication', entityId: id });
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  it('writes the row and its audit row in one statement, and answers what a read answers', async () => {
    const { statements, answer } = await measured({
      type: 'call',
      contactId: dana.id.toUpperCase(),
      opportunityId: deal.id,
      subject: ' Intro call ',
      durationMinutes: 30,
      nextActionDate: '2030-01-15',
      attendees: ['Dana Ruiz'],
    });
    expect(statements).toBe(1);
    const created = answer.data as { id: string };
    expect(created).toMatchObject({
      type: 'call',
      subject: 'Intro call',
      body: null,
      durationMinutes: 30,
      outcome: null,
      nextAction: null,
      nextActionDate: '2030-01-15',
      attendees: ['Dana Ruiz'],
      contact: { id: dana.id, name: 'Dana Ruiz' },
      opportunity: { id: deal.id, name: 'Redwood — Fund II' },
      createdBy: { id: member.id, username: member.username },
    });
    const read = await t.http.get(`/api/communications/${created.id}`).set(member.auth).expect(200);
    expect(answer).toEqual(read.body);

    const audit = await auditOf(created.id);
    expect(audit).toMatchObject({ action: 'create', actorUserId: member.id, source: 'api' });
    expect(audit.actorLabel).toBe(member.username);
    expect(audit.requestId).toEqual(expect.any(String));
  });

  it('records the same changes as the audit subscriber does for a record created through the ORM', async () => {
    const communicationDate = '2030-02-01T10:00:00.000Z';
    const body = { type: 'meeting', contactId: dana.id, body: 'Fund II terms', communicationDate };
    const created = (await post(body).expect(201)).body.data as { id: string };
    const em = t.orm.em.fork();
    const viaOrm = em.create(Communication, {
      type: CommunicationType.Meeting,
      contact: dana.id,
      opportunity: null,
      body: 'Fund II terms',
      communicationDate: new Date(communicationDate),
      createdBy: member.id,
      subject: null,
      durationMinutes: null,
      outcome: null,
      nextAction: null,
      nextActionDate: null,
      attendees: [],
    });
    await em.flush();
    expect((await auditOf(created.id)).changes).toEqual((await auditOf(viaOrm.id)).changes);
  });

  it('refuses a deleted contact or opportunity with a 400 naming the field, writing nothing', async () => {
    const before = await t.orm.em.fork().count(AuditLog, { entityType: 'communication' });
    const noContact = await measured({ type: 'call', contactId: gone.id, opportunityId: deal.id }, 400);
    expect(noContact.statements).toBe(1);
    expect(noContact.answer).toMatchObject({
      details: [{ field: 'contactId', message: `no live contact with id ${gone.id}` }],
    });
    const noDeal = await measured({ type: 'call', contactId: dana.id, opportunityId: goneDeal.id }, 400);
    expect(noDeal.answer).toMatchObject({ details: [{ field: 'opportunityId' }] });
    // Each measured() also created its warm-up note, audited: nothing else was written.
    expect(await t.orm.em.fork().count(AuditLog, { entityType: 'communication' })).toBe(before + 2);
  });

  it('infers the contact of an opportunity sent alone, in one query before the write', async () => {
    const { statements, answer } = await measured({ type: 'note', opportunityId: deal.id });
    expect(answer.data).toMatchObject({ contact: { id: dana.id }, opportunity: { id: deal.id } });
    expect(statements).toBeLessThanOrEqual(3);
  });
});
