import { ContactMethod, Priority } from '../../common/entities/enums.js';
import { CommunicationType } from '../../modules/communications/communication.entity.js';
import { FundStatus } from '../../modules/funds/fund.entity.js';
import { InvestorType } from '../../modules/lp-profiles/lp-profile.entity.js';
import { OpportunityStage as Stage } from '../../modules/opportunities/opportunity.entity.js';

/**
 * The fund side of the demo data set: Fund I closed at $83M (six LPs, fully funded), Fund II raising with
 * $40M expected across six opportunities, the conversations around them and a few tasks. People and
 * organizations are referred to by natural key (email, name, username) from demo-data.ts. Dates are relative
 * to the day the seed runs, so the dashboard always has recent activity and upcoming tasks.
 */

/** Vintage years count back from the year the seed runs: Fund I five years ago, Fund II now. */
export const DEMO_FUNDS = (year: number) => [
  { name: 'Fund I', status: FundStatus.Closed, targetAmount: 80_000_000, vintageYear: year - 5 },
  { name: 'Fund II', status: FundStatus.Raising, targetAmount: 120_000_000, vintageYear: year },
];

export interface DemoLpProfile {
  contact: string;
  fund: string;
  commitmentAmount: number;
  investorType: InvestorType;
  preferredCommunication: ContactMethod;
  notes: string;
}

/** $83M committed in Fund I, all of it funded. */
export const DEMO_LP_PROFILES: DemoLpProfile[] = [
  {
    contact: 'amira.haddad@swh.example',
    fund: 'Fund I',
    commitmentAmount: 25_000_000,
    investorType: InvestorType.SovereignWealth,
    preferredCommunication: ContactMethod.Video,
    notes: 'Anchor LP; advisory committee seat.',
  },
  {
    contact: 'michael.chen@nepf.example',
    fund: 'Fund I',
    commitmentAmount: 20_000_000,
    investorType: InvestorType.Pension,
    preferredCommunication: ContactMethod.Email,
    notes: 'Quarterly reporting in the ILPA template.',
  },
  {
    contact: 'sarah.whitfield@redwood-endowment.example',
    fund: 'Fund I',
    commitmentAmount: 15_000_000,
    investorType: InvestorType.Endowment,
    preferredCommunication: ContactMethod.Email,
    notes: 'Interested in co-investment rights.',
  },
  {
    contact: 'jonathan.reyes@atlasfo.example',
    fund: 'Fund I',
    commitmentAmount: 10_000_000,
    investorType: InvestorType.FamilyOffice,
    preferredCommunication: ContactMethod.Phone,
    notes: 'Prefers a call before capital calls.',
  },
  {
    contact: 'linda.park@summitig.example',
    fund: 'Fund I',
    commitmentAmount: 8_000_000,
    investorType: InvestorType.Insurance,
    preferredCommunication: ContactMethod.Email,
    notes: 'Needs NAIC reporting each year.',
  },
  {
    contact: 'david.okafor@cascadewm.example',
    fund: 'Fund I',
    commitmentAmount: 5_000_000,
    investorType: InvestorType.WealthManager,
    preferredCommunication: ContactMethod.Phone,
    notes: 'Feeder vehicle for client capital.',
  },
];

export interface DemoOpportunity {
  name: string;
  contact: string;
  organization: string;
  fund: string;
  /** Stages it went through and how many days ago it entered each; the last is where it stands. */
  path: [Stage, number][];
  expectedAmount: number;
  commitmentAmount?: number;
  priority: Priority;
  owner: string;
  nextStep?: string;
  closeInDays?: number;
  lostReason?: string;
}

/** $40M expected in Fund II, one opportunity in each stage from lead to committed, and one lost. */
export const DEMO_OPPORTUNITIES: DemoOpportunity[] = [
  {
    name: 'Pacific Capital Partners – Fund II',
    contact: 'emily.tran@pacificcp.example',
    organization: 'Pacific Capital Partners',
    fund: 'Fund II',
    path: [
      [Stage.Lead, 75],
      [Stage.Outreach, 62],
      [Stage.Meeting, 41],
      [Stage.DueDiligence, 10],
    ],
    expectedAmount: 10_000_000,
    priority: Priority.High,
    owner: 'grant',
    nextStep: 'Open the data room and schedule reference calls',
    closeInDays: 60,
  },
  {
    name: 'Blue Harbor Foundation – Fund II',
    contact: 'robert.hughes@blueharbor.example',
    organization: 'Blue Harbor Foundation',
    fund: 'Fund II',
    path: [
      [Stage.Lead, 40],
      [Stage.Outreach, 28],
      [Stage.Meeting, 14],
    ],
    expectedAmount: 5_000_000,
    priority: Priority.Medium,
    owner: 'grant',
    nextStep: 'Follow-up meeting with the investment committee chair',
    closeInDays: 120,
  },
  {
    name: 'Sovereign Wealth Holdings – Fund II re-up',
    contact: 'omar.farouk@swh.example',
    organization: 'Sovereign Wealth Holdings',
    fund: 'Fund II',
    path: [
      [Stage.Lead, 90],
      [Stage.Meeting, 70],
      [Stage.DueDiligence, 35],
      [Stage.Committed, 5],
    ],
    expectedAmount: 12_000_000,
    commitmentAmount: 12_000_000,
    priority: Priority.High,
    owner: 'admin',
    nextStep: 'Send subscription documents',
    closeInDays: 30,
  },
  {
    name: 'Atlas Family Office – Fund II',
    contact: 'daniel.weiss@atlasfo.example',
    organization: 'Atlas Family Office',
    fund: 'Fund II',
    path: [
      [Stage.Lead, 21],
      [Stage.Outreach, 7],
    ],
    expectedAmount: 4_000_000,
    priority: Priority.Medium,
    owner: 'grant',
    nextStep: 'Share the Fund II deck and track record',
    closeInDays: 150,
  },
  {
    name: 'Cascade Wealth Management – Fund II feeder',
    contact: 'laura.bennett@cascadewm.example',
    organization: 'Cascade Wealth Management',
    fund: 'Fund II',
    path: [[Stage.Lead, 4]],
    expectedAmount: 3_000_000,
    priority: Priority.Low,
    owner: 'admin',
    nextStep: 'Intro call to present the Fund II strategy',
    closeInDays: 180,
  },
  {
    name: 'Northeast Pension Fund – Fund II',
    contact: 'grace.kim@nepf.example',
    organization: 'Northeast Pension Fund',
    fund: 'Fund II',
    path: [
      [Stage.Lead, 85],
      [Stage.Outreach, 70],
      [Stage.Meeting, 50],
      [Stage.Lost, 20],
    ],
    expectedAmount: 6_000_000,
    priority: Priority.Medium,
    owner: 'grant',
    lostReason: 'Pension board paused new venture commitments until next fiscal year',
  },
];

export interface DemoCommunication {
  contact: string;
  opportunity?: string;
  type: CommunicationType;
  subject: string;
  body: string;
  daysAgo: number;
  durationMinutes?: number;
  outcome?: string;
  nextAction?: string;
  nextActionInDays?: number;
  attendees?: string[];
  createdBy: string;
}

const { Call, Email, Meeting, Note } = CommunicationType;

export const DEMO_COMMUNICATIONS: DemoCommunication[] = [
  {
    contact: 'emily.tran@pacificcp.example',
    opportunity: 'Pacific Capital Partners – Fund II',
    type: Meeting,
    subject: 'Fund II due diligence kickoff',
    body: 'Walked through the Fund II strategy, team and Fund I portfolio. Emily wants the data room and two reference calls with Fund I LPs.',
    daysAgo: 10,
    durationMinutes: 90,
    outcome: 'Moved to due diligence',
    nextAction: 'Open the data room for Pacific Capital Partners',
    nextActionInDays: 2,
    attendees: ['Emily Tran', 'Grant Ellis'],
    createdBy: 'grant',
  },
  {
    contact: 'omar.farouk@swh.example',
    opportunity: 'Sovereign Wealth Holdings – Fund II re-up',
    type: Call,
    subject: 'Fund II commitment confirmed',
    body: 'Omar confirmed a $12M commitment to Fund II, subject to legal review of the side letter.',
    daysAgo: 5,
    durationMinutes: 30,
    outcome: 'Committed $12M',
    nextAction: 'Send subscription documents',
    nextActionInDays: 3,
    createdBy: 'admin',
  },
  {
    contact: 'robert.hughes@blueharbor.example',
    opportunity: 'Blue Harbor Foundation – Fund II',
    type: Meeting,
    subject: 'Intro meeting: Fund II strategy',
    body: 'First meeting at the foundation. Their board is open to a first venture allocation of about $5M.',
    daysAgo: 14,
    durationMinutes: 60,
    outcome: 'Positive; wants to meet the investment committee chair',
    nextAction: 'Schedule the follow-up meeting',
    nextActionInDays: 5,
    attendees: ['Robert Hughes', 'Grant Ellis'],
    createdBy: 'grant',
  },
  {
    contact: 'daniel.weiss@atlasfo.example',
    opportunity: 'Atlas Family Office – Fund II',
    type: Email,
    subject: 'Fund II deck and track record',
    body: 'Sent the Fund II deck, the Fund I quarterly report and the track record summary.',
    daysAgo: 7,
    nextAction: 'Call Daniel about the deck',
    nextActionInDays: 4,
    createdBy: 'grant',
  },
  {
    contact: 'grace.kim@nepf.example',
    opportunity: 'Northeast Pension Fund – Fund II',
    type: Call,
    subject: 'Fund II decision',
    body: 'Grace let us know the pension board has paused new venture commitments until the next fiscal year.',
    daysAgo: 20,
    durationMinutes: 20,
    outcome: 'Lost for this fund; revisit next fiscal year',
    createdBy: 'grant',
  },
  {
    contact: 'amira.haddad@swh.example',
    type: Email,
    subject: 'Fund I quarterly report',
    body: 'Sent the Fund I quarterly report and capital account statement.',
    daysAgo: 30,
    createdBy: 'admin',
  },
  {
    contact: 'michael.chen@nepf.example',
    type: Meeting,
    subject: 'Fund I annual meeting follow-up',
    body: 'Reviewed portfolio marks and the exit pipeline after the annual meeting.',
    daysAgo: 45,
    durationMinutes: 45,
    outcome: 'Happy with reporting; no re-up this year',
    attendees: ['Michael Chen', 'Grant Ellis', 'Alex Morgan'],
    createdBy: 'grant',
  },
  {
    contact: 'sarah.whitfield@redwood-endowment.example',
    type: Note,
    subject: 'Re-up interest for Fund II',
    body: 'Sarah mentioned at a dinner that Redwood plans to re-up in Fund II once the first close is set.',
    daysAgo: 3,
    nextAction: 'Send Fund II materials to Redwood',
    nextActionInDays: 7,
    createdBy: 'admin',
  },
];

export interface DemoTask {
  title: string;
  description: string;
  dueInDays: number;
  priority: Priority;
  assignee: string;
  contact?: string;
  organization?: string;
  opportunity?: string;
  /** Completed this many days ago. */
  doneDaysAgo?: number;
}

export const DEMO_TASKS: DemoTask[] = [
  {
    title: 'Open the Fund II data room for Pacific Capital Partners',
    description: 'Grant access to Emily Tran and her analyst.',
    dueInDays: 2,
    priority: Priority.High,
    assignee: 'grant',
    contact: 'emily.tran@pacificcp.example',
    opportunity: 'Pacific Capital Partners – Fund II',
  },
  {
    title: 'Send Fund II subscription documents to Sovereign Wealth Holdings',
    description: 'Include the side letter draft reviewed by counsel.',
    dueInDays: 3,
    priority: Priority.High,
    assignee: 'admin',
    contact: 'omar.farouk@swh.example',
    opportunity: 'Sovereign Wealth Holdings – Fund II re-up',
  },
  {
    title: 'Schedule follow-up meeting with Blue Harbor Foundation',
    description: 'Invite the investment committee chair.',
    dueInDays: 5,
    priority: Priority.Medium,
    assignee: 'grant',
    organization: 'Blue Harbor Foundation',
    opportunity: 'Blue Harbor Foundation – Fund II',
  },
  {
    title: 'Send Fund I K-1 packages',
    description: 'All six Fund I LPs.',
    dueInDays: -12,
    priority: Priority.Medium,
    assignee: 'admin',
    doneDaysAgo: 14,
  },
];
