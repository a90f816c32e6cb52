import { Role } from '../../common/auth/role.js';
import { ContactMethod } from '../../common/entities/enums.js';
import { ContactType } from '../../modules/contacts/contact.entity.js';
import { OrganizationType } from '../../modules/organizations/organization.entity.js';

/**
 * The demo data set of SPEC.md, people side: the team's two users, the tags, eight organizations and twelve
 * contacts (six Fund I LPs, six Fund II prospects); the funds, pipeline and activity are in
 * demo-fund-data.ts. Records refer to each other by natural key (username, tag name, organization name,
 * contact email, fund name, opportunity name).
 */

export interface DemoUser {
  username: string;
  email: string;
  fullName: string;
  role: Role;
  /** Deliberately weak demo passwords: they skip the password policy and README says to change them. */
  password: string;
}

export const DEMO_USERS: DemoUser[] = [
  {
    username: 'admin',
    email: 'admin@venture-crm.example',
    fullName: 'Alex Morgan',
    role: Role.Admin,
    password: 'admin123',
  },
  {
    username: 'grant',
    email: 'grant@venture-crm.example',
    fullName: 'Grant Ellis',
    role: Role.Manager,
    password: 'password',
  },
];

export const DEMO_TAGS: { name: string; color: string }[] = [
  { name: 'High Priority', color: '#dc2626' },
  { name: 'Fund I LP', color: '#2563eb' },
  { name: 'Fund II Prospect', color: '#16a34a' },
  { name: 'Family Office', color: '#9333ea' },
  { name: 'Institutional', color: '#0891b2' },
  { name: 'Re-up Target', color: '#ea580c' },
];

export interface DemoOrganization {
  name: string;
  type: OrganizationType;
  industry: string;
  city: string;
  state: string | null;
  country: string;
  website: string;
  phone: string;
  description: string;
  tags: string[];
}

export const DEMO_ORGANIZATIONS: DemoOrganization[] = [
  {
    name: 'Sovereign Wealth Holdings',
    type: OrganizationType.SovereignWealth,
    industry: 'Sovereign wealth',
    city: 'Singapore',
    state: null,
    country: 'Singapore',
    website: 'https://www.swh.example',
    phone: '+65 6555 0100',
    description: 'State-backed investor with a growing venture allocation; anchor LP of Fund I.',
    tags: ['Institutional'],
  },
  {
    name: 'Pacific Capital Partners',
    type: OrganizationType.FundOfFunds,
    industry: 'Fund of funds',
    city: 'San Francisco',
    state: 'CA',
    country: 'United States',
    website: 'https://www.pacificcp.example',
    phone: '+1 415 555 0142',
    description: 'Fund of funds focused on emerging venture managers.',
    tags: ['Institutional'],
  },
  {
    name: 'Northeast Pension Fund',
    type: OrganizationType.Pension,
    industry: 'Public pension',
    city: 'Boston',
    state: 'MA',
    country: 'United States',
    website: 'https://www.nepf.example',
    phone: '+1 617 555 0187',
    description: 'Public pension plan; private equity and venture through a small direct program.',
    tags: ['Institutional'],
  },
  {
    name: 'Redwood Endowment',
    type: OrganizationType.Endowment,
    industry: 'University endowment',
    city: 'Palo Alto',
    state: 'CA',
    country: 'United States',
    website: 'https://www.redwood-endowment.example',
    phone: '+1 650 555 0119',
    description: 'University endowment with a long-standing venture program.',
    tags: ['Institutional'],
  },
  {
    name: 'Atlas Family Office',
    type: OrganizationType.FamilyOffice,
    industry: 'Single-family office',
    city: 'New York',
    state: 'NY',
    country: 'United States',
    website: 'https://www.atlasfo.example',
    phone: '+1 212 555 0163',
    description: 'Second-generation family office investing in technology funds and directs.',
    tags: ['Family Office'],
  },
  {
    name: 'Summit Insurance Group',
    type: OrganizationType.Insurance,
    industry: 'Insurance',
    city: 'Hartford',
    state: 'CT',
    country: 'United States',
    website: 'https://www.summitig.example',
    phone: '+1 860 555 0178',
    description: 'Insurer with a general-account allocation to venture funds.',
    tags: ['Institutional'],
  },
  {
    name: 'Cascade Wealth Management',
    type: OrganizationType.WealthManager,
    industry: 'Wealth management',
    city: 'Seattle',
    state: 'WA',
    country: 'United States',
    website: 'https://www.cascadewm.example',
    phone: '+1 206 555 0131',
    description: 'Registered investment adviser pooling client capital into venture feeder vehicles.',
    tags: [],
  },
  {
    name: 'Blue Harbor Foundation',
    type: OrganizationType.Foundation,
    industry: 'Private foundation',
    city: 'Miami',
    state: 'FL',
    country: 'United States',
    website: 'https://www.blueharbor.example',
    phone: '+1 305 555 0194',
    description: 'Private foundation exploring its first venture commitments.',
    tags: [],
  },
];

export interface DemoContact {
  firstName: string;
  lastName: string;
  email: string;
  title: string;
  organization: string;
  contactType: ContactType;
  phone: string;
  source: string;
  preferredContact: ContactMethod;
  owner: string;
  tags: string[];
}

const { Investor, Prospect } = ContactType;

export const DEMO_CONTACTS: DemoContact[] = [
  // Fund I LPs
  {
    firstName: 'Amira',
    lastName: 'Haddad',
    email: 'amira.haddad@swh.example',
    title: 'Director, Private Markets',
    organization: 'Sovereign Wealth Holdings',
    contactType: Investor,
    phone: '+65 6555 0101',
    source: 'Placement agent',
    preferredContact: ContactMethod.Video,
    owner: 'admin',
    tags: ['Fund I LP', 'Institutional', 'Re-up Target'],
  },
  {
    firstName: 'Michael',
    lastName: 'Chen',
    email: 'michael.chen@nepf.example',
    title: 'Senior Investment Officer',
    organization: 'Northeast Pension Fund',
    contactType: Investor,
    phone: '+1 617 555 0188',
    source: 'Conference',
    preferredContact: ContactMethod.Email,
    owner: 'grant',
    tags: ['Fund I LP', 'Institutional'],
  },
  {
    firstName: 'Sarah',
    lastName: 'Whitfield',
    email: 'sarah.whitfield@redwood-endowment.example',
    title: 'Managing Director',
    organization: 'Redwood Endowment',
    contactType: Investor,
    phone: '+1 650 555 0120',
    source: 'Referral',
    preferredContact: ContactMethod.Email,
    owner: 'admin',
    tags: ['Fund I LP', 'Institutional', 'Re-up Target'],
  },
  {
    firstName: 'Jonathan',
    lastName: 'Reyes',
    email: 'jonathan.reyes@atlasfo.example',
    title: 'Principal',
    organization: 'Atlas Family Office',
    contactType: Investor,
    phone: '+1 212 555 0164',
    source: 'Referral',
    preferredContact: ContactMethod.Phone,
    owner: 'grant',
    tags: ['Fund I LP', 'Family Office', 'Re-up Target'],
  },
  {
    firstName: 'Linda',
    lastName: 'Park',
    email: 'linda.park@summitig.example',
    title: 'Chief Investment Officer',
    organization: 'Summit Insurance Group',
    contactType: Investor,
    phone: '+1 860 555 0179',
    source: 'Conference',
    preferredContact: ContactMethod.Email,
    owner: 'grant',
    tags: ['Fund I LP', 'Institutional'],
  },
  {
    firstName: 'David',
    lastName: 'Okafor',
    email: 'david.okafor@cascadewm.example',
    title: 'Partner',
    organization: 'Cascade Wealth Management',
    contactType: Investor,
    phone: '+1 206 555 0132',
    source: 'Inbound',
    preferredContact: ContactMethod.Phone,
    owner: 'admin',
    tags: ['Fund I LP'],
  },
  // Fund II prospects
  {
    firstName: 'Emily',
    lastName: 'Tran',
    email: 'emily.tran@pacificcp.example',
    title: 'Partner',
    organization: 'Pacific Capital Partners',
    contactType: Prospect,
    phone: '+1 415 555 0143',
    source: 'Conference',
    preferredContact: ContactMethod.InPerson,
    owner: 'grant',
    tags: ['Fund II Prospect', 'High Priority', 'Institutional'],
  },
  {
    firstName: 'Robert',
    lastName: 'Hughes',
    email: 'robert.hughes@blueharbor.example',
    title: 'Executive Director',
    organization: 'Blue Harbor Foundation',
    contactType: Prospect,
    phone: '+1 305 555 0195',
    source: 'Referral',
    preferredContact: ContactMethod.Email,
    owner: 'grant',
    tags: ['Fund II Prospect'],
  },
  {
    firstName: 'Omar',
    lastName: 'Farouk',
    email: 'omar.farouk@swh.example',
    title: 'Head of Venture Investments',
    organization: 'Sovereign Wealth Holdings',
    contactType: Prospect,
    phone: '+65 6555 0102',
    source: 'Existing relationship',
    preferredContact: ContactMethod.Video,
    owner: 'admin',
    tags: ['Fund II Prospect', 'High Priority', 'Institutional'],
  },
  {
    firstName: 'Daniel',
    lastName: 'Weiss',
    email: 'daniel.weiss@atlasfo.example',
    title: 'Investment Director',
    organization: 'Atlas Family Office',
    contactType: Prospect,
    phone: '+1 212 555 0165',
    source: 'Existing relationship',
    preferredContact: ContactMethod.Phone,
    owner: 'grant',
    tags: ['Fund II Prospect', 'Family Office'],
  },
  {
    firstName: 'Laura',
    lastName: 'Bennett',
    email: 'laura.bennett@cascadewm.example',
    title: 'Head of Alternatives',
    organization: 'Cascade Wealth Management',
    contactType: Prospect,
    phone: '+1 206 555 0133',
    source: 'Inbound',
    preferredContact: ContactMethod.Email,
    owner: 'admin',
    tags: ['Fund II Prospect'],
  },
  {
    firstName: 'Grace',
    lastName: 'Kim',
    email: 'grace.kim@nepf.example',
    title: 'Investment Officer, Private Markets',
    organization: 'Northeast Pension Fund',
    contactType: Prospect,
    phone: '+1 617 555 0189',
    source: 'Existing relationship',
    preferredContact: ContactMethod.Email,
    owner: 'grant',
    tags: ['Fund II Prospect', 'Institutional'],
  },
];
