import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import type { Priority } from '../../common/entities/enums.js';
import {
  documentShape,
  includedLists,
  readRecordDocument,
  recordRow,
  USER_COLUMNS,
  type UserColumns,
} from '../../common/utils/record-rows.js';
import {
  type CommunicationFieldsRow,
  communicationsTotalSql,
  shownLinksSql,
} from '../communications/communications.repository.js';
import type { InvestorType } from '../lp-profiles/lp-profile.entity.js';
import type { OpportunityStage } from '../opportunities/opportunity.entity.js';
import type { TaskStatus } from '../tasks/task.entity.js';
import { contactRows, type ContactRow } from './contacts.repository.js';
import type { ContactInclude } from './dto/contact-request.dto.js';

/** How many communications the detail shows (all of them: GET /contacts/:id/communications). */
export const DETAIL_COMMUNICATIONS = 50;

export type CommunicationRow = CommunicationFieldsRow & UserColumns;

export interface OpportunityRow extends UserColumns {
  id: string;
  name: string;
  stage: OpportunityStage;
  probability: number;
  /** numeric(15,2) arrives as text. */
  expectedAmount: string | null;
  commitmentAmount: string | null;
  currency: string;
  expectedCloseDate: string | null;
  priority: Priority;
  fundId: string | null;
  fundName: string | null;
}

export interface LpProfileRow {
  id: string;
  fundId: string;
  fundName: string;
  commitmentAmount: string;
  fundedAmount: string;
  currency: string;
  commitmentDate: string | null;
  investorType: InvestorType | null;
  accredited: boolean;
  legalDocsSigned: boolean;
  signedDate: string | null;
  wireReceived: boolean;
  wireDate: string | null;
  k1Sent: boolean;
  version: number;
}

export interface TaskRow extends UserColumns {
  id: string;
  title: string;
  status: TaskStatus;
  priority: Priority;
  dueDate: string | null;
  completedAt: string | null;
}

/** The contact detail as PostgreSQL assembles it: the contact's row and the lists asked for. */
export interface ContactDetailDocument {
  record: ContactRow;
  communications?: CommunicationRow[];
  communicationsTotal?: number;
  opportunities?: OpportunityRow[];
  lpProfiles?: LpProfileRow[];
  tasks?: TaskRow[];
}

/**
 * The lists of the detail, each as the rows of one select on the contact `r` (numeric(15,2) as text, as the
 * driver reads it). Communications hidden with a deleted opportunity stay hidden unless deleted records are
 * asked for, as in GET /contacts/:id/communications.
 */
const lists = (includeDeleted: boolean) =>
  ({
    // Newest first, walking communications_contact_date_index backwards.
    communications: `select m.id, m.type, m.subject, m.body, m.communication_date as "communicationDate",
            m.duration_minutes as "durationMinutes", m.outcome, m.next_action as "nextAction",
            m.next_action_date as "nextActionDate",
            op.id as "opportunityId", op.name as "opportunityName", ${USER_COLUMNS}
       from communications m
       left join opportunities op on op.id = m.opportunity_id
       left join users u on u.id = m.created_by_id
      where m.contact_id = r.id and ${shownLinksSql('m', includeDeleted)}
      order by m.communication_date desc, m.id desc
      limit ${DETAIL_COMMUNICATIONS}`,
    opportunities: `select op.id, op.name, op.stage, op.probability, op.expected_amount::text as "expectedAmount",
            op.commitment_amount::text as "commitmentAmount", op.currency,
            op.expected_close_date as "expectedCloseDate", op.priority,
            f.id as "fundId", f.name as "fundName", ${USER_COLUMNS}
       from opportunities op
       left join funds f on f.id = op.fund_id
       left join users u on u.id = op.owner_id
      where op.contact_id = r.id and op.deleted_at is null
      order by op.created_at desc, op.id desc`,
    lpProfiles: `select p.id, f.id as "fundId", f.name as "fundName", p.commitment_amount::text as "commitmentAmount",
            p.funded_amount::text as "fundedAmount", p.currency, p.commitment_date as "commitmentDate",
            p.investor_type as "investorType", p.accredited, p.legal_docs_signed as "legalDocsSigned",
            p.signed_date as "signedDate", p.wire_received as "wireReceived", p.wire_date as "wireDate",
            p.k1_sent as "k1Sent", p.version
       from lp_profiles p
       join funds f on f.id = p.fund_id
      where p.contact_id = r.id
      order by f.vintage_year nulls last, f.name, p.id`,
    // Open before done (enum order), then the soonest due date; undated last.
    tasks: `select t.id, t.title, t.status, t.priority, t.due_date as "dueDate", t.completed_at as "completedAt",
            ${USER_COLUMNS}
       from tasks t
       left join users u on u.id = t.assignee_id
      where t.contact_id = r.id
      order by t.status, t.due_date nulls last, t.created_at, t.id`,
  }) satisfies Partial<Record<ContactInclude, string>>;

/** The contact detail in one statement, whatever it embeds and however many rows its lists have. */
@Injectable()
export class ContactDetailRepository {
  constructor(private readonly em: EntityManager) {}

  /**
   * The contact (a deleted one only when asked) with the lists in `include`, as one JSON document built by
   * PostgreSQL; undefined when there is no such contact. The contact's own row always comes with its
   * organization, owner and tags (primary-key lookups): the response leaves out those not asked for.
   */
  detail(
    id: string,
    include: ReadonlySet<ContactInclude>,
    includeDeleted = false,
  ): Promise<ContactDetailDocument | undefined> {
    return readRecordDocument(this.em, documentShape('contact', include, includeDeleted), id, (recordId) => {
      const values = includedLists(lists(includeDeleted), include);
      if (include.has('communications')) {
        values.communicationsTotal = communicationsTotalSql('contact_id', includeDeleted);
      }
      return { row: recordRow(contactRows(this.em.getKnex()), 'c', recordId, includeDeleted), values };
    });
  }
}
