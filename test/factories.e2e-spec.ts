import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EntityManager } from '@mikro-orm/postgresql';

import { Role } from '../src/common/auth/role.js';
import {
  communicationFactory,
  contactFactory,
  fundFactory,
  lpProfileFactory,
  opportunityFactory,
  organizationFactory,
  tagFactory,
  taskFactory,
  UNUSABLE_PASSWORD_HASH,
  userFactory,
} from '../src/database/factories/index.js';
import { ContactType } from '../src/modules/contacts/contact.entity.js';
import { OpportunityStage } from '../src/modules/opportunities/opportunity.entity.js';
import { TaskStatus } from '../src/modules/tasks/task.entity.js';
import { createTestApp, type TestApp } from './helpers/test-app.js';

describe('factories', () => {
  let t: TestApp;
  let em: EntityManager;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t.close();
  });

  const sql = async <T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> =>
    t.orm.em.fork().getConnection().execute<T[]>(query, params);

  it('builds one valid row of every entity that PostgreSQL accepts, with defaults', async () => {
    em = t.orm.em.fork();
    const user = userFactory(em);
    const tag = tagFactory(em);
    const organization = organizationFactory(em, { tags: [tag] });
    const contact = contactFactory(em, { organization, owner: user, tags: [tag] });
    const fund = fundFactory(em);
    const opportunity = opportunityFactory(em, { contact, organization, fund, owner: user });
    const lp = lpProfileFactory(em, { contact, fund });
    const communication = communicationFactory(em, { contact, opportunity, createdBy: user });
    const task = taskFactory(em, { assignee: user, contact, organization, opportunity });
    await em.flush();

    const counts = await sql<Record<string, string>>(
      `select (select count(*) from users) users, (select count(*) from tags) tags,
        (select count(*) from organizations) organizations, (select count(*) from organization_tags) organization_tags,
        (select count(*) from contacts) contacts, (select count(*) from contact_tags) contact_tags,
        (select count(*) from funds) funds, (select count(*) from opportunities) opportunities,
        (select count(*) from opportunity_stage_history) stage_history, (select count(*) from lp_profiles) lp_profiles,
        (select count(*) from communications) communications, (select count(*) from tasks) tasks`,
    );
    expect(Object.fromEntries(Object.entries(counts[0]).map(([k, v]) => [k, Number(v)]))).toEqual({
      users: 1,
      tags: 1,
      organizations: 1,
      organization_tags: 1,
      contacts: 1,
      contact_tags: 1,
      funds: 1,
      opportunities: 1,
      stage_history: 1,
      lp_profiles: 1,
      communications: 1,
      tasks: 1,
    });

    expect(user).toMatchObject({ role: Role.Member, passwordHash: UNUSABLE_PASSWORD_HASH, isActive: true });
    expect(user.email).toBe(`${user.username}@fund.example`);
    expect(tag.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(organization.name).toMatch(/\S/);
    expect(contact.email).toMatch(/@contacts\.example$/);
    // An LP profile makes its contact an investor, as the API does.
    expect(contact.contactType).toBe(ContactType.Investor);
    expect(opportunity).toMatchObject({ stage: OpportunityStage.Lead, probability: 10, lostReason: null });
    expect(lp).toMatchObject({ fundedAmount: 0, accredited: true });
    expect(communication).toMatchObject({ type: 'email' });
    expect(task).toMatchObject({ status: TaskStatus.Open, completedAt: null });

    const [history] = await sql(
      'select from_stage, to_stage, changed_by_id, changed_at = (select stage_changed_at from opportunities where id = ?) same_time from opportunity_stage_history where opportunity_id = ?',
      [opportunity.id, opportunity.id],
    );
    expect(history).toEqual({ from_stage: null, to_stage: 'lead', changed_by_id: user.id, same_time: true });
  });

  it('builds what a record needs when it is not given: a contact for an LP profile or a communication', async () => {
    em = t.orm.em.fork();
    const lp = lpProfileFactory(em);
    const communication = communicationFactory(em);
    const aboutDeal = communicationFactory(em, { opportunity: opportunityFactory(em) });
    await em.flush();
    expect(lp.contact.id).toBeDefined();
    expect(lp.fund.id).toBeDefined();
    expect(communication.contact?.id).toBeDefined();
    expect(aboutDeal.contact).toBeNull();
    const [row] = await sql<{ contact_type: string }>(
      'select c.contact_type from lp_profiles p join contacts c on c.id = p.contact_id where p.id = ?',
      [lp.id],
    );
    expect(row?.contact_type).toBe('investor');
  });

  it('fills what the constraints require: a reason for a lost deal, a completion time for a done task', async () => {
    em = t.orm.em.fork();
    const lost = opportunityFactory(em, { stage: OpportunityStage.Lost });
    const committed = opportunityFactory(em, { stage: OpportunityStage.Committed, probability: 75 });
    const done = taskFactory(em, { status: TaskStatus.Done });
    await em.flush();
    expect(lost).toMatchObject({ probability: 0, lostReason: expect.stringMatching(/\S/) });
    expect(committed.probability).toBe(75);
    expect(done.completedAt).toBeInstanceOf(Date);
  });

  it('overrides win, and the same sequence number builds the same record', () => {
    em = t.orm.em.fork();
    const a = contactFactory(em, {}, { seq: 4242 });
    const b = contactFactory(t.orm.em.fork(), {}, { seq: 4242 });
    const c = contactFactory(em, {}, { seq: 4243 });
    const pick = (x: typeof a) => ({
      firstName: x.firstName,
      lastName: x.lastName,
      email: x.email,
      title: x.title,
    });
    expect(pick(a)).toEqual(pick(b));
    expect(c.email).not.toBe(a.email);
    expect(userFactory(em, {}, { seq: 7 }).username).toBe(
      userFactory(t.orm.em.fork(), {}, { seq: 7 }).username,
    );
    expect(organizationFactory(em, {}, { seq: 9 }).name).toBe(
      organizationFactory(t.orm.em.fork(), {}, { seq: 9 }).name,
    );

    const custom = contactFactory(em, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
      contactType: ContactType.Advisor,
    });
    expect(custom).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.example' });
    expect(custom.contactType).toBe(ContactType.Advisor);
  });
});
