import { ContactMethod, enumValues, Priority } from '../../common/entities/enums.js';
import { CommunicationType } from '../communications/communication.entity.js';
import { InvestorType } from '../lp-profiles/lp-profile.entity.js';
import { OpportunityStage } from '../opportunities/opportunity.entity.js';
import { TaskStatus } from '../tasks/task.entity.js';
import type { FieldKind, ImportField } from './import-fields.js';

/**
 * The fields of opportunity, LP-profile, communication and task rows, named as the API's DTOs name them (a
 * linked record without its `Id`: `contact`, `fund`, `owner`, …), with common Airtable headers as aliases.
 */

export const text = (name: string, max: number, aliases: string[] = []): ImportField => ({
  name,
  kind: 'text',
  max,
  aliases,
});

const kind = (name: string, fieldKind: FieldKind, aliases: string[] = []): ImportField => ({
  name,
  kind: fieldKind,
  aliases,
});

/** An enum field; `synonyms` are Airtable spellings that mean one value without doubt (label → value). */
const choice = (
  name: string,
  values: Record<string, string>,
  aliases: string[],
  synonyms: Record<string, string> = {},
): ImportField => ({ name, kind: 'enum', values: enumValues(values), aliases, synonyms });

const PRIORITY = choice('priority', Priority, ['Priority Level', 'Importance'], {
  med: Priority.Medium,
  normal: Priority.Medium,
  hi: Priority.High,
  lo: Priority.Low,
});

const CONTACT = kind('contact', 'contact', ['Contact', 'Contact Name', 'Person', 'LP', 'Investor', 'Name']);
export const ORGANIZATION = kind('organization', 'organization', [
  'Company',
  'Organisation',
  'Firm',
  'Account',
  'Company Name',
  'Organization Name',
]);
const OPPORTUNITY = kind('opportunity', 'opportunity', ['Deal', 'Opportunity Name', 'Deal Name']);
const FUND = kind('fund', 'fund', ['Fund', 'Fund Name', 'Vehicle']);
const CURRENCY = text('currency', 3, ['Currency Code', 'CCY']);

/**
 * Stages by the names Airtable pipelines use. "Soft Circle" (interest, not yet a commitment) and "Closed"
 * (won or lost?) are left out on purpose: they are refused, naming the stages, rather than guessed.
 */
const STAGE_SYNONYMS: Record<string, OpportunityStage> = {
  new: OpportunityStage.Lead,
  prospect: OpportunityStage.Lead,
  prospecting: OpportunityStage.Lead,
  identified: OpportunityStage.Lead,
  contacted: OpportunityStage.Outreach,
  reachedout: OpportunityStage.Outreach,
  introduced: OpportunityStage.Outreach,
  meetingscheduled: OpportunityStage.Meeting,
  meetingheld: OpportunityStage.Meeting,
  firstmeeting: OpportunityStage.Meeting,
  diligence: OpportunityStage.DueDiligence,
  dd: OpportunityStage.DueDiligence,
  indiligence: OpportunityStage.DueDiligence,
  hardcircle: OpportunityStage.Committed,
  hardcircled: OpportunityStage.Committed,
  closedwon: OpportunityStage.Funded,
  won: OpportunityStage.Funded,
  wired: OpportunityStage.Funded,
  closedlost: OpportunityStage.Lost,
  passed: OpportunityStage.Lost,
  declined: OpportunityStage.Lost,
  dead: OpportunityStage.Lost,
};

/** Kinds that link another record: resolved by the importer, not passed to the DTO. */
const LINKS: FieldKind[] = ['contact', 'fund', 'opportunity', 'organization', 'owner'];

/** The fields of `fields` a row gives as plain DTO values (not linked records). */
export const plainFieldNames = (fields: readonly ImportField[]): string[] =>
  fields.filter((f) => !LINKS.includes(f.kind)).map((f) => f.name);

export const OPPORTUNITY_FIELDS: ImportField[] = [
  text('name', 200, ['Opportunity', 'Opportunity Name', 'Deal', 'Deal Name', 'Name']),
  { ...CONTACT, aliases: CONTACT.aliases.filter((a) => a !== 'Name') },
  ORGANIZATION,
  FUND,
  choice('stage', OpportunityStage, ['Stage', 'Pipeline Stage', 'Deal Stage', 'Status'], STAGE_SYNONYMS),
  kind('expectedAmount', 'money', ['Amount', 'Expected Amount', 'Target Amount', 'Ticket', 'Deal Size']),
  kind('commitmentAmount', 'money', ['Commitment', 'Committed Amount', 'Commitment Amount']),
  CURRENCY,
  kind('probability', 'integer', ['Probability %', 'Likelihood', 'Chance']),
  kind('expectedCloseDate', 'date', ['Close Date', 'Expected Close', 'Target Close Date']),
  text('description', 20000, ['Notes', 'Description', 'Details']),
  text('nextStep', 500, ['Next Step', 'Next Steps', 'Next Action']),
  kind('owner', 'owner', ['Deal Owner', 'Owner', 'Assigned To', 'Relationship Owner']),
  PRIORITY,
  text('lostReason', 2000, ['Lost Reason', 'Reason Lost', 'Pass Reason']),
];

export const LP_PROFILE_FIELDS: ImportField[] = [
  { ...CONTACT, aliases: [...CONTACT.aliases, 'LP Name', 'Limited Partner'] },
  FUND,
  kind('commitmentAmount', 'money', ['Commitment', 'Committed', 'Commitment Amount', 'Amount']),
  kind('fundedAmount', 'money', ['Funded', 'Called', 'Paid In', 'Contributed', 'Funded Amount']),
  CURRENCY,
  kind('commitmentDate', 'date', ['Commitment Date', 'Committed On', 'Date Committed']),
  choice('investorType', InvestorType, ['Investor Type', 'LP Type', 'Type'], {
    fof: InvestorType.FundOfFunds,
    swf: InvestorType.SovereignWealth,
    sovereignwealthfund: InvestorType.SovereignWealth,
    hnwi: InvestorType.Individual,
    hnw: InvestorType.Individual,
    ria: InvestorType.WealthManager,
    pensionfund: InvestorType.Pension,
  }),
  kind('accredited', 'boolean', ['Accredited Investor', 'Is Accredited']),
  kind('legalDocsSigned', 'boolean', ['Docs Signed', 'Legal Docs Signed', 'Subscription Docs Signed']),
  kind('signedDate', 'date', ['Signed Date', 'Date Signed', 'Docs Signed Date']),
  kind('wireReceived', 'boolean', ['Wire Received', 'Wired', 'Funds Received']),
  kind('wireDate', 'date', ['Wire Date', 'Date Wired', 'Funded Date']),
  kind('k1Sent', 'boolean', ['K-1 Sent', 'K1 Sent', 'K1']),
  choice('preferredCommunication', ContactMethod, ['Preferred Communication', 'Preferred Channel'], {
    call: ContactMethod.Phone,
    sms: ContactMethod.Text,
    zoom: ContactMethod.Video,
    inperson: ContactMethod.InPerson,
  }),
  text('notes', 20000, ['Note', 'Comments', 'Description']),
];

export const COMMUNICATION_FIELDS: ImportField[] = [
  choice('type', CommunicationType, ['Type', 'Communication Type', 'Activity Type', 'Channel', 'Kind'], {
    emailed: CommunicationType.Email,
    phone: CommunicationType.Call,
    phonecall: CommunicationType.Call,
    inperson: CommunicationType.Meeting,
    notes: CommunicationType.Note,
    memo: CommunicationType.Note,
    sms: CommunicationType.Text,
    textmessage: CommunicationType.Text,
  }),
  kind('communicationDate', 'datetime', ['Date', 'Occurred At', 'When', 'Date/Time', 'Activity Date']),
  CONTACT,
  OPPORTUNITY,
  text('subject', 300, ['Subject', 'Title', 'Summary']),
  text('body', 50000, ['Body', 'Notes', 'Details', 'Description']),
  kind('durationMinutes', 'integer', ['Duration', 'Duration (min)', 'Minutes', 'Length']),
  text('outcome', 500, ['Result']),
  text('nextAction', 500, ['Next Action', 'Next Step', 'Follow Up']),
  kind('nextActionDate', 'date', ['Next Action Date', 'Follow Up Date', 'Follow-up Date']),
  kind('attendees', 'list', ['Attendees', 'Participants', 'People']),
  kind('createdBy', 'owner', ['Created By', 'Logged By', 'Author', 'Owner']),
];

export const TASK_FIELDS: ImportField[] = [
  text('title', 300, ['Task', 'Name', 'Task Name', 'Subject', 'To Do']),
  text('description', 20000, ['Notes', 'Details', 'Description']),
  kind('dueDate', 'date', ['Due', 'Due Date', 'Deadline', 'Due On']),
  choice('status', TaskStatus, ['Status', 'State', 'Done', 'Completed'], {
    todo: TaskStatus.Open,
    notstarted: TaskStatus.Open,
    inprogress: TaskStatus.Open,
    pending: TaskStatus.Open,
    unchecked: TaskStatus.Open,
    complete: TaskStatus.Done,
    completed: TaskStatus.Done,
    finished: TaskStatus.Done,
    checked: TaskStatus.Done,
  }),
  PRIORITY,
  kind('assignee', 'owner', ['Assignee', 'Assigned To', 'Owner', 'Responsible']),
  CONTACT,
  ORGANIZATION,
  OPPORTUNITY,
];
