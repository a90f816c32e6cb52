import { personName } from '../../common/dto/refs.dto.js';
import type { CommunicationRow } from '../communications/communications.repository.js';
import { CommunicationResponseDto } from '../communications/dto/communication.dto.js';
import type { ContactRow } from '../contacts/contacts.repository.js';
import type { CustomFieldDefinition } from '../custom-fields/custom-field-definition.entity.js';
import { LpProfileResponseDto } from '../lp-profiles/dto/lp-profile.dto.js';
import type { LpProfileRow } from '../lp-profiles/lp-profiles.repository.js';
import type { OpportunityView } from '../opportunities/opportunities.repository.js';
import type { OrganizationRow } from '../organizations/organizations.repository.js';
import { TaskResponseDto } from '../tasks/dto/task.dto.js';
import type { TaskRow } from '../tasks/tasks.repository.js';
import { type Cells, customFieldCells, linkedName } from './export-stream.js';
import { IMPORT_FIELDS, ImportEntityType } from './import-fields.js';
import { joinList } from './import-values.js';
import { ORGANIZATION_FIELDS } from './organization-importer.js';

/**
 * Each exported entity's columns (named as the import and the API's DTOs name the fields; linked records by
 * the name or email the import finds them by) and how a row becomes those cells. Custom fields (`cf.<key>`)
 * and the bookkeeping columns (`id`, `createdAt`, `updatedAt`) follow them.
 */
export interface ColumnSpec<T> {
  fields: readonly string[];
  cells: (row: T, definitions: CustomFieldDefinition[]) => Cells;
}

const tagNames = (tags: { name: string }[]): string => joinList(tags.map((t) => t.name));

export const CONTACT_COLUMNS: ColumnSpec<ContactRow> = {
  // The import's fields, but firstName and lastName instead of the one Name column it also reads.
  fields: IMPORT_FIELDS[ImportEntityType.Contact].map((f) => f.name).filter((name) => name !== 'name'),
  cells: (r, definitions) => ({
    ...r,
    organization: linkedName(r.organizationName),
    owner: r.ownerUsername,
    tags: tagNames(r.tags),
    ...customFieldCells(definitions, r.customFields),
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
  }),
};

export const ORGANIZATION_COLUMNS: ColumnSpec<OrganizationRow> = {
  fields: [...ORGANIZATION_FIELDS, 'tags'],
  cells: (r, definitions) => ({
    ...r,
    tags: tagNames(r.tags),
    ...customFieldCells(definitions, r.customFields),
    createdAt: new Date(r.createdAt),
    updatedAt: new Date(r.updatedAt),
  }),
};

/** Cells of the response, with the linked records by name and the author by username. */
export const COMMUNICATION_COLUMNS: ColumnSpec<CommunicationRow> = {
  fields: [
    'type',
    'communicationDate',
    'contact',
    'opportunity',
    'subject',
    'body',
    'durationMinutes',
    'outcome',
    'nextAction',
    'nextActionDate',
    'attendees',
    'createdBy',
  ],
  cells: (row) => {
    const c = CommunicationResponseDto.from(row);
    return {
      ...c,
      contact: c.contact?.name ?? null,
      opportunity: c.opportunity?.name ?? null,
      createdBy: c.createdBy?.username ?? null,
      attendees: joinList(c.attendees),
    };
  },
};

/** `contact` is the contact's email (what the import finds a contact by), `contactName` its name. */
export const OPPORTUNITY_COLUMNS: ColumnSpec<OpportunityView> = {
  fields: [
    'name',
    'contact',
    'contactName',
    'organization',
    'fund',
    'owner',
    'stage',
    'expectedAmount',
    'commitmentAmount',
    'currency',
    'probability',
    'expectedCloseDate',
    'priority',
    'description',
    'nextStep',
    'lostReason',
  ],
  cells: (o, definitions) => ({
    ...o,
    contact: o.contact?.email ?? null,
    contactName: o.contact ? personName(o.contact) : null,
    organization: linkedName(o.organization?.name),
    fund: linkedName(o.fund?.name),
    owner: o.owner?.username ?? null,
    ...customFieldCells(definitions, o.customFields),
  }),
};

/** Cells of the response (one mapper for the API, the JSON and the CSV export): `contact` is the contact's email. */
export const LP_PROFILE_COLUMNS: ColumnSpec<LpProfileRow> = {
  fields: [
    'contact',
    'contactName',
    'organization',
    'fund',
    'commitmentAmount',
    'fundedAmount',
    'currency',
    'commitmentDate',
    'investorType',
    'accredited',
    'legalDocsSigned',
    'signedDate',
    'wireReceived',
    'wireDate',
    'k1Sent',
    'preferredCommunication',
    'notes',
  ],
  cells: (row, definitions) => {
    const lp = LpProfileResponseDto.from(row);
    return {
      ...lp,
      contact: lp.contact.email,
      contactName: lp.contact.name,
      organization: linkedName(lp.contact.organization?.name),
      fund: linkedName(lp.fund.name),
      ...customFieldCells(definitions, lp.customFields),
    };
  },
};

/** Cells of the response, with `contact` the contact's email and people by their username. */
export const TASK_COLUMNS: ColumnSpec<TaskRow> = {
  fields: [
    'title',
    'description',
    'dueDate',
    'status',
    'priority',
    'assignee',
    'contact',
    'contactName',
    'organization',
    'opportunity',
    'completedAt',
    'createdBy',
  ],
  cells: (row) => {
    const t = TaskResponseDto.from(row);
    return {
      ...t,
      assignee: t.assignee?.username ?? null,
      contact: row.contactEmail,
      contactName: row.contactId
        ? personName({ firstName: row.contactFirstName!, lastName: row.contactLastName! })
        : null,
      organization: linkedName(t.organization?.name),
      opportunity: linkedName(t.opportunity?.name),
      createdBy: t.createdBy?.username ?? null,
    };
  },
};
