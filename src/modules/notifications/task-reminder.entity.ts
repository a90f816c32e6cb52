import { randomUUID } from 'node:crypto';

import { Entity, ManyToOne, PrimaryKey, Property, type Ref, Unique } from '@mikro-orm/core';

import { Task } from '../tasks/task.entity.js';

/**
 * A reminder mailed for a task's due date. One per task and due date (the unique key makes it so even if two
 * runs overlapped); a new due date has no row yet, which is what re-arms the reminder.
 */
@Entity({ tableName: 'task_reminders' })
@Unique({ name: 'task_reminders_task_due_date_unique', properties: ['task', 'dueDate'] })
export class TaskReminder {
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id: string = randomUUID();

  @ManyToOne(() => Task, { ref: true, deleteRule: 'cascade' })
  task!: Ref<Task>;

  @Property({ type: 'date' })
  dueDate!: string;

  @Property({ type: 'string', length: 254 })
  recipient!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  sentAt: Date = new Date();
}
