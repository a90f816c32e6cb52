import { Task, TaskStatus } from '../../modules/tasks/task.entity.js';
import { dateOnly, type FactoryOptions, seqOf } from './sequence.js';
import type { EntityManager, Overrides } from './types.js';

/** An open task due in a few days; a done one gets `completedAt` (the database requires it) unless given. */
export function taskFactory(em: EntityManager, data: Overrides<Task> = {}, options?: FactoryOptions): Task {
  const seq = seqOf(options);
  const status = data.status ?? TaskStatus.Open;
  return em.create(Task, {
    title: `Follow up #${seq}`,
    dueDate: dateOnly(1 + (seq % 14)),
    status,
    completedAt: status === TaskStatus.Done ? new Date() : null,
    ...data,
  });
}
