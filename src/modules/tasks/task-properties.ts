import { type AuditedChange, linkedAfter } from '../audit/audited-writes.js';
import type { TaskRow } from './tasks.repository.js';

/** The properties of a task a write may change (links as ids). */
export type TaskProperties = {
  title: string;
  description: string | null;
  dueDate: string | null;
  status: TaskRow['status'];
  priority: TaskRow['priority'];
  completedAt: Date | null;
  assignee: string | null;
  contact: string | null;
  organization: string | null;
  opportunity: string | null;
};

/** The properties of a task a write may change, as its row has them. */
export function taskProperties(row: TaskRow): TaskProperties {
  return {
    title: row.title,
    description: row.description,
    dueDate: row.dueDate,
    status: row.status,
    priority: row.priority,
    completedAt: row.completedAt === null ? null : new Date(row.completedAt),
    assignee: row.assigneeId,
    contact: row.contactId,
    organization: row.organizationId,
    opportunity: row.opportunityId,
  };
}

/** What a task's row holds besides the properties a write sets: its id, timestamps and author. */
type TaskRecord = Pick<
  TaskRow,
  'id' | 'createdAt' | 'updatedAt' | 'createdById' | 'createdByUsername' | 'createdByFullName'
>;

/** The row of a task after a change to `after` (the row read, when nothing was written). */
export function rowAfter(row: TaskRow, after: TaskProperties, written: AuditedChange | undefined): TaskRow {
  if (!written) return row;
  return rowOf({ ...row, updatedAt: written.updatedAt.toISOString() }, after, written.refs, row);
}

/**
 * The row of a task written with `props`, each link as the write's statement read it (`refs`), or, for a link an
 * update kept, as `current` had it.
 */
export function rowOf(
  record: TaskRecord,
  props: TaskProperties,
  refs: AuditedChange['refs'],
  current?: TaskRow,
): TaskRow {
  const {
    assignee: assigneeId,
    contact: contactId,
    organization: organizationId,
    opportunity: opportunityId,
    ...fields
  } = props;
  const assignee = linkedAfter(refs, 'assignee', assigneeId, {
    id: current?.assigneeId ?? null,
    username: current?.assigneeUsername,
    fullName: current?.assigneeFullName,
  });
  const contact = linkedAfter(refs, 'contact', contactId, {
    id: current?.contactId ?? null,
    firstName: current?.contactFirstName,
    lastName: current?.contactLastName,
    email: current?.contactEmail,
  });
  const organization = linkedAfter(refs, 'organization', organizationId, {
    id: current?.organizationId ?? null,
    name: current?.organizationName,
  });
  const opportunity = linkedAfter(refs, 'opportunity', opportunityId, {
    id: current?.opportunityId ?? null,
    name: current?.opportunityName,
  });
  const text = (linked: Record<string, unknown> | null, field: string) =>
    (linked?.[field] as string | null | undefined) ?? null;
  return {
    id: record.id,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    createdById: record.createdById,
    createdByUsername: record.createdByUsername,
    createdByFullName: record.createdByFullName,
    ...fields,
    completedAt: fields.completedAt?.toISOString() ?? null,
    assigneeId,
    assigneeUsername: text(assignee, 'username'),
    assigneeFullName: text(assignee, 'fullName'),
    contactId,
    contactFirstName: text(contact, 'firstName'),
    contactLastName: text(contact, 'lastName'),
    contactEmail: text(contact, 'email'),
    organizationId,
    organizationName: text(organization, 'name'),
    opportunityId,
    opportunityName: text(opportunity, 'name'),
  };
}
