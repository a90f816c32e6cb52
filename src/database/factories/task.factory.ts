import { Task, TaskStatus } from '../../modules/tasks/task.entity.js';
import { dateOnly } from './sequence.js';
import { defineFactory } from './types.js';

/** An open task due in a few days; a done one gets `completedAt` (the database requires it) unless given. */
export const taskFactory = defineFactory<Task>((em, data, seq) => {
  const status = data.status ?? TaskStatus.Open;
  return em.create(Task, {
    title: `Follow up #${seq}`,
    dueDate: dateOnly(1 + (seq % 14)),
    status,
    completedAt: status === TaskStatus.Done ? new Date() : null,
    ...data,
  });
});
