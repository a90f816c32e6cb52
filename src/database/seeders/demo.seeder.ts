import { Injectable } from '@nestjs/common';
import { EntityManager, type EntityName, type FilterQuery, raw } from '@mikro-orm/postgresql';

import { Communication } from '../../modules/communications/communication.entity.js';
import { Contact } from '../../modules/contacts/contact.entity.js';
import { Fund } from '../../modules/funds/fund.entity.js';
import { LpProfile } from '../../modules/lp-profiles/lp-profile.entity.js';
import { Opportunity, STAGE_PROBABILITY } from '../../modules/opportunities/opportunity.entity.js';
import { Organization } from '../../modules/organizations/organization.entity.js';
import { Tag } from '../../modules/tags/tag.entity.js';
import { Task, TaskStatus } from '../../modules/tasks/task.entity.js';
import { PasswordService } from '../../modules/users/password.service.js';
import { User } from '../../modules/users/user.entity.js';
import {
  communicationFactory,
  contactFactory,
  fundFactory,
  lpProfileFactory,
  opportunityFactory,
  organizationFactory,
  stageChangeFactory,
  tagFactory,
  taskFactory,
  userFactory,
} from '../factories/index.js';
import { dateOnly, daysAgo } from '../factories/sequence.js';
import { DEMO_CONTACTS, DEMO_ORGANIZATIONS, DEMO_TAGS, DEMO_USERS } from './demo-data.js';
import {
  DEMO_COMMUNICATIONS,
  DEMO_FUNDS,
  DEMO_LP_PROFILES,
  DEMO_OPPORTUNITIES,
  DEMO_TASKS,
} from './demo-fund-data.js';

/** Taken for the whole seed: two instances starting with DEMO=true on one database never seed together. */
const DEMO_LOCK_KEY = 7_301_955_115;

export const DEMO_ENTITIES = [
  'users',
  'tags',
  'organizations',
  'contacts',
  'funds',
  'lpProfiles',
  'opportunities',
  'communications',
  'tasks',
] as const;

export type DemoEntity = (typeof DEMO_ENTITIES)[number];
export type DemoSummary = Record<DemoEntity, { created: number; existing: number }>;

const lower = (s: string): string => s.toLowerCase();

/**
 * Loads the demo data set of SPEC.md (see demo-data.ts) in one transaction. Idempotent: each record is
 * looked up by its natural key first, and one that is already there (even soft-deleted, even edited since)
 * is left exactly as it is; only missing records are created, linked to the existing ones.
 */
@Injectable()
export class DemoSeeder {
  constructor(
    private readonly em: EntityManager,
    private readonly passwords: PasswordService,
  ) {}

  async run(now: Date = new Date()): Promise<DemoSummary> {
    return this.em.transactional(async (em) => {
      await em.execute('select pg_advisory_xact_lock(?)', [DEMO_LOCK_KEY]);
      return new DemoRun(em, this.passwords, now).run();
    });
  }
}

/** One seeding pass: the records found or created so far, by natural key. */
class DemoRun {
  private readonly summary = Object.fromEntries(
    DEMO_ENTITIES.map((e) => [e, { created: 0, existing: 0 }]),
  ) as DemoSummary;
  private readonly users = new Map<string, User>();
  private readonly tags = new Map<string, Tag>();
  private readonly organizations = new Map<string, Organization>();
  private readonly contacts = new Map<string, Contact>();
  private readonly funds = new Map<string, Fund>();
  private readonly opportunities = new Map<string, Opportunity>();

  constructor(
    private readonly em: EntityManager,
    private readonly passwords: PasswordService,
    private readonly now: Date,
  ) {}

  async run(): Promise<DemoSummary> {
    await this.seedUsers();
    await this.seedTags();
    await this.seedOrganizations();
    await this.seedContacts();
    await this.seedFunds();
    await this.seedLpProfiles();
    await this.seedOpportunities();
    await this.seedCommunications();
    await this.seedTasks();
    await this.em.flush();
    return this.summary;
  }

  private count(entity: DemoEntity, existed: boolean): void {
    this.summary[entity][existed ? 'existing' : 'created'] += 1;
  }

  /**
   * For records keyed by a case-insensitive column (a name, an email): finds those already there in one
   * query, builds the missing ones, and records both in `into` under their demo key.
   */
  private async findOrBuild<T extends object, K extends 'name' | 'email', R extends Record<K, string>>(
    summaryKey: DemoEntity,
    entity: EntityName<T>,
    column: K,
    rows: R[],
    into: Map<string, T>,
    build: (row: R) => T,
  ): Promise<void> {
    const found = await this.em.find(entity, {
      [raw(`lower(${column})`)]: { $in: rows.map((r) => lower(r[column])) },
    } as FilterQuery<T>);
    const byKey = new Map(found.map((e) => [lower(String((e as Record<string, unknown>)[column])), e]));
    for (const row of rows) {
      const existing = byKey.get(lower(row[column]));
      this.count(summaryKey, Boolean(existing));
      into.set(row[column], existing ?? build(row));
    }
  }

  private async seedUsers(): Promise<void> {
    const existing = await this.em.find(User, {
      $or: [
        { [raw('lower(username)')]: { $in: DEMO_USERS.map((u) => lower(u.username)) } },
        { [raw('lower(email)')]: { $in: DEMO_USERS.map((u) => lower(u.email)) } },
      ],
    });
    for (const u of DEMO_USERS) {
      let user = existing.find(
        (e) => lower(e.username) === lower(u.username) || lower(e.email) === lower(u.email),
      );
      this.count('users', Boolean(user));
      // The demo passwords are below the password policy on purpose, so the hash is written directly.
      user ??= userFactory(this.em, {
        username: u.username,
        email: u.email,
        fullName: u.fullName,
        role: u.role,
        passwordHash: await this.passwords.hash(u.password),
      });
      this.users.set(u.username, user);
    }
  }

  private seedTags(): Promise<void> {
    return this.findOrBuild('tags', Tag, 'name', DEMO_TAGS, this.tags, (t) => tagFactory(this.em, t));
  }

  private seedOrganizations(): Promise<void> {
    return this.findOrBuild(
      'organizations',
      Organization,
      'name',
      DEMO_ORGANIZATIONS,
      this.organizations,
      ({ tags, ...o }) => organizationFactory(this.em, { ...o, tags: this.tagged(tags) }),
    );
  }

  private seedContacts(): Promise<void> {
    return this.findOrBuild(
      'contacts',
      Contact,
      'email',
      DEMO_CONTACTS,
      this.contacts,
      ({ organization, owner, tags, ...c }) =>
        contactFactory(this.em, {
          ...c,
          organization: this.organizations.get(organization),
          owner: this.users.get(owner),
          tags: this.tagged(tags),
        }),
    );
  }

  private seedFunds(): Promise<void> {
    const funds = DEMO_FUNDS(this.now.getUTCFullYear());
    return this.findOrBuild('funds', Fund, 'name', funds, this.funds, (f) => fundFactory(this.em, f));
  }

  /** Fully funded: committed = funded, documents signed and wires received a few weeks after closing. */
  private async seedLpProfiles(): Promise<void> {
    const existing = await this.em.find(LpProfile, {
      contact: { $in: [...this.contacts.values()] },
      fund: { $in: [...this.funds.values()] },
    });
    const year = this.now.getUTCFullYear() - 5;
    for (const p of DEMO_LP_PROFILES) {
      const contact = this.contacts.get(p.contact)!;
      const fund = this.funds.get(p.fund)!;
      const found = existing.some((e) => e.contact.id === contact.id && e.fund.id === fund.id);
      this.count('lpProfiles', found);
      if (found) continue;
      lpProfileFactory(this.em, {
        ...p,
        contact,
        fund,
        fundedAmount: p.commitmentAmount,
        commitmentDate: `${year}-06-30`,
        accredited: true,
        legalDocsSigned: true,
        signedDate: `${year}-06-30`,
        wireReceived: true,
        wireDate: `${year}-07-15`,
        k1Sent: true,
      });
    }
  }

  /** Each with its stage history as it moved through the pipeline. */
  private async seedOpportunities(): Promise<void> {
    const existing = await this.em.find(Opportunity, {
      name: { $in: names(DEMO_OPPORTUNITIES) },
      fund: { $in: [...this.funds.values()] },
    });
    for (const o of DEMO_OPPORTUNITIES) {
      const fund = this.funds.get(o.fund)!;
      const found = existing.find((e) => e.name === o.name && e.fund?.id === fund.id);
      this.count('opportunities', Boolean(found));
      this.opportunities.set(o.name, found ?? this.createOpportunity(o, fund));
    }
  }

  private createOpportunity(o: (typeof DEMO_OPPORTUNITIES)[number], fund: Fund): Opportunity {
    const owner = this.users.get(o.owner);
    const [[firstStage, createdDaysAgo], ...moves] = o.path as [(typeof o.path)[number], ...typeof o.path];
    const created = daysAgo(createdDaysAgo, this.now);
    const opportunity = opportunityFactory(this.em, {
      name: o.name,
      contact: this.contacts.get(o.contact),
      organization: this.organizations.get(o.organization),
      fund,
      stage: firstStage,
      stageChangedAt: created,
      createdAt: created,
      expectedAmount: o.expectedAmount,
      commitmentAmount: o.commitmentAmount ?? null,
      priority: o.priority,
      owner,
      nextStep: o.nextStep ?? null,
      expectedCloseDate: o.closeInDays === undefined ? null : dateOnly(o.closeInDays, this.now),
    });
    for (const [stage, enteredDaysAgo] of moves) {
      const at = daysAgo(enteredDaysAgo, this.now);
      stageChangeFactory(this.em, {
        opportunity,
        fromStage: opportunity.stage,
        toStage: stage,
        changedAt: at,
        changedBy: owner,
      });
      opportunity.stage = stage;
      opportunity.stageChangedAt = at;
      opportunity.probability = STAGE_PROBABILITY[stage];
    }
    opportunity.lostReason = o.lostReason ?? null;
    return opportunity;
  }

  private async seedCommunications(): Promise<void> {
    const existing = await this.em.find(Communication, {
      contact: { $in: [...this.contacts.values()] },
      subject: { $in: DEMO_COMMUNICATIONS.map((c) => c.subject) },
    });
    for (const c of DEMO_COMMUNICATIONS) {
      const contact = this.contacts.get(c.contact)!;
      const found = existing.some((e) => e.contact?.id === contact.id && e.subject === c.subject);
      this.count('communications', found);
      if (found) continue;
      communicationFactory(this.em, {
        contact,
        opportunity: c.opportunity ? this.opportunities.get(c.opportunity) : null,
        type: c.type,
        subject: c.subject,
        body: c.body,
        communicationDate: daysAgo(c.daysAgo, this.now),
        durationMinutes: c.durationMinutes ?? null,
        outcome: c.outcome ?? null,
        nextAction: c.nextAction ?? null,
        nextActionDate: c.nextActionInDays === undefined ? null : dateOnly(c.nextActionInDays, this.now),
        attendees: c.attendees ?? [],
        createdBy: this.users.get(c.createdBy),
      });
    }
  }

  private async seedTasks(): Promise<void> {
    const existing = await this.em.find(Task, { title: { $in: DEMO_TASKS.map((t) => t.title) } });
    for (const t of DEMO_TASKS) {
      const found = existing.some((e) => e.title === t.title);
      this.count('tasks', found);
      if (found) continue;
      taskFactory(this.em, {
        title: t.title,
        description: t.description,
        dueDate: dateOnly(t.dueInDays, this.now),
        priority: t.priority,
        assignee: this.users.get(t.assignee),
        contact: t.contact ? this.contacts.get(t.contact) : null,
        organization: t.organization ? this.organizations.get(t.organization) : null,
        opportunity: t.opportunity ? this.opportunities.get(t.opportunity) : null,
        createdBy: this.users.get(t.assignee),
        ...(t.doneDaysAgo === undefined
          ? { status: TaskStatus.Open, completedAt: null }
          : { status: TaskStatus.Done, completedAt: daysAgo(t.doneDaysAgo, this.now) }),
      });
    }
  }

  private tagged(tagNames: string[]): Tag[] {
    return tagNames.map((name) => this.tags.get(name)!);
  }
}

const names = (rows: { name: string }[]): string[] => rows.map((r) => r.name);

/** One line per entity, for people: `contacts        12 created, 0 already there`. */
export function summaryLines(summary: DemoSummary): string[] {
  return DEMO_ENTITIES.map((e) => {
    const { created, existing } = summary[e];
    return `${e.padEnd(15)} ${String(created).padStart(2)} created, ${existing} already there`;
  });
}

/** What was created, on one line: `2 users, 6 tags, …`. */
export function summaryText(summary: DemoSummary): string {
  return DEMO_ENTITIES.map((e) => `${summary[e].created} ${e}`).join(', ');
}
