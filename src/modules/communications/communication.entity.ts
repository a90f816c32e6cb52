import { Check, Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';

import { BaseEntity } from '../../common/entities/base.entity.js';
import { Contact } from '../contacts/contact.entity.js';
import { Opportunity } from '../opportunities/opportunity.entity.js';
import { User } from '../users/user.entity.js';

export enum CommunicationType {
  Email = 'email',
  Call = 'call',
  Meeting = 'meeting',
  Note = 'note',
  Text = 'text',
}

/** Full-text search over subject and body (English stemming); the GIN index is on exactly this expression. */
export const COMMUNICATION_SEARCH_VECTOR = `to_tsvector('english', coalesce("subject", '') || ' ' || coalesce("body", ''))`;

/** A call, email, meeting, note or text with a contact and/or about an opportunity. */
@Entity({ tableName: 'communications' })
@Index({ name: 'communications_contact_date_index', properties: ['contact', 'communicationDate'] })
@Index({ name: 'communications_opportunity_date_index', properties: ['opportunity', 'communicationDate'] })
// Reports count a window of days by author and type from this index alone (INCLUDE columns).
@Index({
  name: 'communications_date_covering_index',
  expression: `create index "communications_date_covering_index" on "communications" ("communication_date") include ("created_by_id", "type", "contact_id", "opportunity_id")`,
})
@Index({ name: 'communications_type_date_index', properties: ['type', 'communicationDate'] })
@Index({ name: 'communications_created_at_index', properties: ['createdAt'] })
@Index({ name: 'communications_created_by_index', properties: ['createdBy', 'communicationDate'] })
@Index({
  name: 'communications_next_action_index',
  expression:
    'create index "communications_next_action_index" on "communications" ("next_action_date") where "next_action_date" is not null',
})
@Index({
  name: 'communications_search_index',
  expression: `create index "communications_search_index" on "communications" using gin ((${COMMUNICATION_SEARCH_VECTOR}))`,
})
@Check({
  name: 'communications_link_check',
  expression: `"contact_id" is not null or "opportunity_id" is not null`,
})
@Check({
  name: 'communications_duration_check',
  expression: `"duration_minutes" is null or "duration_minutes" >= 0`,
})
export class Communication extends BaseEntity<'communicationDate' | 'attendees'> {
  @ManyToOne(() => Contact, { ref: true, nullable: true, deleteRule: 'restrict' })
  contact?: Ref<Contact> | null;

  @ManyToOne(() => Opportunity, { ref: true, nullable: true, deleteRule: 'restrict' })
  opportunity?: Ref<Opportunity> | null;

  @Enum({ items: () => CommunicationType, nativeEnumName: 'communication_type' })
  type!: CommunicationType;

  @Property({ type: 'string', length: 300, nullable: true })
  subject?: string | null;

  @Property({ type: 'text', nullable: true })
  body?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  communicationDate: Date = new Date();

  @Property({ type: 'integer', nullable: true })
  durationMinutes?: number | null;

  @Property({ type: 'string', length: 500, nullable: true })
  outcome?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  nextAction?: string | null;

  @Property({ type: 'date', nullable: true })
  nextActionDate?: string | null;

  /** Names or emails of the people present, as typed. */
  @Property({ type: 'json', columnType: 'jsonb', default: '[]' })
  attendees: string[] = [];

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy?: Ref<User> | null;
}
