import { ContactMethod, enumValues } from '../../common/entities/enums.js';
import { ContactStatus, ContactType } from '../contacts/contact.entity.js';
import { OrganizationType } from '../organizations/organization.entity.js';
import { nameKey } from './import-values.js';
import {
  COMMUNICATION_FIELDS,
  LP_PROFILE_FIELDS,
  OPPORTUNITY_FIELDS,
  ORGANIZATION,
  TASK_FIELDS,
  text,
} from './pipeline-fields.js';

/** What rows can be imported as. */
export enum ImportEntityType {
  Contact = 'contact',
  Organization = 'organization',
  Opportunity = 'opportunity',
  LpProfile = 'lp_profile',
  Communication = 'communication',
  Task = 'task',
}

/** How a column's text becomes a field value. */
export type FieldKind =
  | 'text'
  | 'email'
  | 'enum'
  | 'tags'
  /** A linked organization, by name: found (case, spacing, punctuation ignored) or created. */
  | 'organization'
  /** A user, by username, email or full name. */
  | 'owner'
  /** One "Name" column split into firstName and lastName. */
  | 'name'
  /** An amount with its currency, if the cell says one (`€2,000,000.00`). */
  | 'money'
  /** A calendar date (US, ISO, or day-first with `dayFirst`). */
  | 'date'
  /** A moment (date and time; no zone is UTC). */
  | 'datetime'
  /** A checkbox: `checked`, `yes`, `true`, … and `unchecked`, `no`, empty. */
  | 'boolean'
  /** A whole number: `60`, `60%`, `30 min`. */
  | 'integer'
  /** A multi-select or list of names: `a, b`. */
  | 'list'
  /** A live contact, by email or full name (one match, or the row is rejected). */
  | 'contact'
  /** A fund, by name. */
  | 'fund'
  /** A live opportunity, by name. */
  | 'opportunity';

export interface ImportField {
  name: string;
  kind: FieldKind;
  /** Other headers that mean this field (Airtable's and common spreadsheet names). */
  aliases: string[];
  values?: string[];
  /** Other spellings of enum values, keyed by nameKey (`closedwon` → `funded`). */
  synonyms?: Record<string, string>;
  /** Longest text the API accepts. */
  max?: number;
}

export const IMPORT_FIELDS: Record<ImportEntityType, ImportField[]> = {
  [ImportEntityType.Contact]: [
    { name: 'name', kind: 'name', aliases: ['Full Name', 'Contact', 'Contact Name', 'Person'] },
    text('firstName', 100, ['First', 'Given Name', 'Forename']),
    text('lastName', 100, ['Last', 'Surname', 'Family Name']),
    { name: 'email', kind: 'email', max: 254, aliases: ['Email Address', 'E-mail', 'Work Email', 'Email 1'] },
    text('phone', 50, ['Phone Number', 'Work Phone', 'Office Phone', 'Telephone']),
    text('mobile', 50, ['Mobile Phone', 'Cell', 'Cell Phone', 'Mobile Number']),
    text('title', 150, ['Job Title', 'Position', 'Role']),
    { ...ORGANIZATION, aliases: [...ORGANIZATION.aliases, 'Employer'] },
    {
      name: 'contactType',
      kind: 'enum',
      values: enumValues(ContactType),
      aliases: ['Type', 'Contact Type', 'Category', 'Relationship'],
    },
    { name: 'status', kind: 'enum', values: enumValues(ContactStatus), aliases: ['Contact Status'] },
    text('source', 100, ['Lead Source', 'Referral Source', 'Referred By', 'Origin']),
    text('notes', 20000, ['Note', 'Comments', 'Description']),
    text('linkedinUrl', 500, ['LinkedIn', 'LinkedIn URL', 'LinkedIn Profile', 'Linkedin Link']),
    {
      name: 'preferredContact',
      kind: 'enum',
      values: enumValues(ContactMethod),
      aliases: ['Preferred Contact Method', 'Preferred Channel', 'Contact Preference'],
    },
    {
      name: 'owner',
      kind: 'owner',
      aliases: ['Relationship Owner', 'Assigned To', 'Assignee', 'Owner Name'],
    },
    { name: 'tags', kind: 'tags', aliases: ['Tag', 'Labels', 'Categories', 'Lists'] },
  ],
  [ImportEntityType.Organization]: [
    text('name', 200, [
      'Organization',
      'Organisation',
      'Company',
      'Company Name',
      'Organization Name',
      'Firm',
    ]),
    {
      name: 'type',
      kind: 'enum',
      values: enumValues(OrganizationType),
      aliases: ['Organization Type', 'Investor Type', 'Category', 'Kind'],
    },
    text('industry', 120, ['Sector', 'Vertical']),
    text('website', 500, ['Web', 'URL', 'Site', 'Homepage', 'Web Site']),
    text('phone', 50, ['Phone Number', 'Main Phone', 'Telephone']),
    { name: 'email', kind: 'email', max: 254, aliases: ['Email Address', 'E-mail', 'General Email'] },
    text('address', 500, ['Street', 'Street Address', 'Address 1', 'Mailing Address']),
    text('city', 120, ['Town']),
    text('state', 120, ['Province', 'Region', 'State/Province']),
    text('country', 120, ['Nation']),
    text('description', 20000, ['Notes', 'About', 'Summary']),
    { name: 'tags', kind: 'tags', aliases: ['Tag', 'Labels', 'Categories', 'Lists'] },
  ],
  [ImportEntityType.Opportunity]: OPPORTUNITY_FIELDS,
  [ImportEntityType.LpProfile]: LP_PROFILE_FIELDS,
  [ImportEntityType.Communication]: COMMUNICATION_FIELDS,
  [ImportEntityType.Task]: TASK_FIELDS,
};

export const IGNORE = 'ignore';
export const CUSTOM_FIELD_PREFIX = 'cf.';

/** A custom field the mapping may target, as `cf.<key>`. */
export interface CustomFieldTarget {
  key: string;
  label: string;
}

/**
 * The suggested mapping of a header row: a column goes to the field whose name or label it is (exactly,
 * then ignoring case, spacing and punctuation), then to a field it is a common Airtable name of; a custom
 * field by `cf.<key>`, key or label; anything else is `ignore`. A field is suggested for one column only.
 */
export function suggestMapping(
  headers: readonly string[],
  entityType: ImportEntityType,
  customFields: readonly CustomFieldTarget[] = [],
): Record<string, string> {
  const fields = IMPORT_FIELDS[entityType];
  const candidates: { target: string; names: string[]; aliases: string[] }[] = [
    ...fields.map((f) => ({ target: f.name, names: [f.name], aliases: f.aliases })),
    ...customFields.map((cf) => ({
      target: `${CUSTOM_FIELD_PREFIX}${cf.key}`,
      names: [`${CUSTOM_FIELD_PREFIX}${cf.key}`, cf.key, cf.label],
      aliases: [],
    })),
  ];
  const taken = new Set<string>();
  const mapping: Record<string, string> = {};
  const passes: ((header: string, c: (typeof candidates)[number]) => boolean)[] = [
    (h, c) => c.names.includes(h),
    (h, c) => c.names.some((n) => nameKey(n) === nameKey(h)),
    (h, c) => c.aliases.some((a) => nameKey(a) === nameKey(h)),
  ];
  for (const header of headers) mapping[header] = IGNORE;
  for (const pass of passes) {
    for (const header of headers) {
      if (mapping[header] !== IGNORE || nameKey(header) === '') continue;
      const match = candidates.find((c) => !taken.has(c.target) && pass(header, c));
      if (match) {
        mapping[header] = match.target;
        taken.add(match.target);
      }
    }
  }
  return mapping;
}
