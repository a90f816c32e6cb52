import type { EntityClass } from '@mikro-orm/postgresql';

import { Communication } from '../communications/communication.entity.js';
import { Contact, ContactStatus, ContactType } from '../contacts/contact.entity.js';
import { Fund } from '../funds/fund.entity.js';
import { LpProfile } from '../lp-profiles/lp-profile.entity.js';
import { OpportunityStageChange } from '../opportunities/opportunity-stage-change.entity.js';
import { Opportunity } from '../opportunities/opportunity.entity.js';
import { Organization, OrganizationType } from '../organizations/organization.entity.js';
import { Task } from '../tasks/task.entity.js';
import { User } from '../users/user.entity.js';

/** A record a batch wrote, as undo reads it. */
export interface UndoRecord {
  id: string;
  version?: number;
  updatedAt?: Date;
  deletedAt?: Date | null;
}

/** How undo handles one entity type of a batch. */
export interface UndoType {
  entity: EntityClass<UndoRecord>;
  /**
   * How a change since the import is seen: `version` (it moved on), `updatedAt` (later than the batch: the
   * entity has no version), or `none` (rows nobody edits, such as stage-history rows).
   */
  changedBy: 'version' | 'updatedAt' | 'none';
  /** What a 409 calls the record. */
  name(record: UndoRecord): string;
  /** Relations restored by id. */
  refs: Record<string, EntityClass<object>>;
  /** Date-time fields (kept as ISO text in `previous`). */
  dates: string[];
  /** What a restored null means for a field that cannot be null. */
  defaults: Record<string, unknown>;
  /** Rows elsewhere that point at a created record: removing it would drop or orphan them. */
  references: { table: string; column: string; label: string }[];
  populate?: string[];
}

/** An undo type; what it leaves out is empty (no relations, dates, defaults or references). */
const type = (t: Pick<UndoType, 'entity' | 'changedBy' | 'name'> & Partial<UndoType>): UndoType => ({
  refs: {},
  dates: [],
  defaults: {},
  references: [],
  ...t,
});

const PEOPLE = { owner: User as EntityClass<object>, organization: Organization as EntityClass<object> };

export const UNDO_TYPES: Record<string, UndoType> = {
  contact: type({
    entity: Contact,
    changedBy: 'version',
    name: (r) => `${(r as Contact).firstName} ${(r as Contact).lastName}`.trim(),
    refs: PEOPLE,
    defaults: { lastName: '', contactType: ContactType.Prospect, status: ContactStatus.Active },
    references: [
      { table: 'communications', column: 'contact_id', label: 'communications' },
      { table: 'lp_profiles', column: 'contact_id', label: 'LP profiles' },
      { table: 'opportunities', column: 'contact_id', label: 'opportunities' },
      { table: 'tasks', column: 'contact_id', label: 'tasks' },
    ],
    populate: ['tags'],
  }),
  organization: type({
    entity: Organization,
    changedBy: 'version',
    name: (r) => (r as Organization).name,
    defaults: { type: OrganizationType.Other },
    references: [
      { table: 'contacts', column: 'organization_id', label: 'contacts' },
      { table: 'opportunities', column: 'organization_id', label: 'opportunities' },
      { table: 'tasks', column: 'organization_id', label: 'tasks' },
    ],
    populate: ['tags'],
  }),
  opportunity: type({
    entity: Opportunity,
    changedBy: 'version',
    name: (r) => (r as Opportunity).name,
    refs: { ...PEOPLE, contact: Contact, fund: Fund },
    dates: ['stageChangedAt'],
    references: [
      { table: 'communications', column: 'opportunity_id', label: 'communications' },
      { table: 'tasks', column: 'opportunity_id', label: 'tasks' },
    ],
  }),
  opportunity_stage_change: type({
    entity: OpportunityStageChange,
    changedBy: 'none',
    name: (r) => r.id,
  }),
  lp_profile: type({
    entity: LpProfile,
    changedBy: 'version',
    name: (r) => `LP profile ${r.id}`,
  }),
  communication: type({
    entity: Communication,
    changedBy: 'updatedAt',
    name: (r) => (r as Communication).subject ?? (r as Communication).type,
    refs: { contact: Contact, opportunity: Opportunity, createdBy: User },
    dates: ['communicationDate'],
  }),
  task: type({
    entity: Task,
    changedBy: 'updatedAt',
    name: (r) => (r as Task).title,
    refs: {
      assignee: User,
      contact: Contact,
      organization: Organization,
      opportunity: Opportunity,
    },
    dates: ['completedAt'],
  }),
};
