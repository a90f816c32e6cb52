import { Check, Entity, Enum, Index, ManyToOne, Property, type Ref } from '@mikro-orm/core';

import { BaseEntity } from '../../common/entities/base.entity.js';
import { Priority } from '../../common/entities/enums.js';
import { Contact } from '../contacts/contact.entity.js';
import { Opportunity } from '../opportunities/opportunity.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';

export enum TaskStatus {
  Open = 'open',
  Done = 'done',
}

@Entity({ tableName: 'tasks' })
@Index({ name: 'tasks_assignee_status_due_index', properties: ['assignee', 'status', 'dueDate'] })
@Index({ name: 'tasks_status_due_index', properties: ['status', 'dueDate', 'id'] })
@Index({ name: 'tasks_contact_id_index', properties: ['contact'] })
@Index({ name: 'tasks_organization_id_index', properties: ['organization'] })
@Index({ name: 'tasks_opportunity_id_index', properties: ['opportunity'] })
@Index({
  name: 'tasks_title_trgm_index',
  // `search=` matches the title anywhere, ignoring case.
  expression: 'create index "tasks_title_trgm_index" on "tasks" using gin ("title" gin_trgm_ops)',
})
@Check({ name: 'tasks_title_check', expression: `"title" ~ '\\S'` })
@Check({ name: 'tasks_completed_at_check', expression: `("status" = 'done') = ("completed_at" is not null)` })
export class Task extends BaseEntity<'status' | 'priority'> {
  @Property({ type: 'string', length: 300 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Property({ type: 'date', nullable: true })
  dueDate?: string | null;

  @Enum({ items: () => TaskStatus, nativeEnumName: 'task_status', default: TaskStatus.Open })
  status: TaskStatus = TaskStatus.Open;

  @Enum({ items: () => Priority, nativeEnumName: 'priority', default: Priority.Medium })
  priority: Priority = Priority.Medium;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  assignee?: Ref<User> | null;

  @ManyToOne(() => Contact, { ref: true, nullable: true, deleteRule: 'set null' })
  contact?: Ref<Contact> | null;

  @ManyToOne(() => Organization, { ref: true, nullable: true, deleteRule: 'set null' })
  organization?: Ref<Organization> | null;

  @ManyToOne(() => Opportunity, { ref: true, nullable: true, deleteRule: 'set null' })
  opportunity?: Ref<Opportunity> | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  completedAt?: Date | null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  createdBy?: Ref<User> | null;
}
