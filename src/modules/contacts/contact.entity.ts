import {
  Check,
  Collection,
  Entity,
  Enum,
  Index,
  ManyToMany,
  ManyToOne,
  type Opt,
  PrimaryKeyProp,
  Property,
  type Ref,
} from '@mikro-orm/core';

import { SoftDeletableEntity } from '../../database/crm-base.entity.js';
import { ContactMethod } from '../../common/entities/enums.js';
import { Organization } from '../organizations/organization.entity.js';
import { Tag } from '../tags/tag.entity.js';
import { User } from '../users/user.entity.js';

export enum ContactType {
  Investor = 'investor',
  Prospect = 'prospect',
  Advisor = 'advisor',
  Other = 'other',
}

export enum ContactStatus {
  Active = 'active',
  Inactive = 'inactive',
  DoNotContact = 'do_not_contact',
}

/**
 * A contact's names and email, lower-cased, kept by PostgreSQL in the generated column `search_text` (computed
 * once per write, not once per row scanned), with a trigram index so "anywhere in the word" stays fast on 100k
 * contacts: what the global search ranks and the back office's filter matches (`like lower(?)`).
 */
export const CONTACT_SEARCH_TEXT = '"search_text"';

/**
 * What the contact list's `search=` matches: CONTACT_SEARCH_TEXT, then on a line of its own the name of the
 * contact's live organization, kept by triggers (migration 20261207300000) in `list_search_text`, with a trigram
 * index of its own: one condition on one index, whatever the term.
 */
export const CONTACT_LIST_SEARCH_TEXT = '"list_search_text"';

/**
 * A sort index of the contact list: its columns, then `deleted_at` carried along (`include`) so that a page of
 * live contacts is read from the index alone, never from the table row by row. The name order also carries
 * the list's search text, so a common search term ("son") filters the index in name order without the table.
 */
const sortIndex = (name: string, columns: string, include = '"deleted_at"') => ({
  name,
  expression: `create index "${name}" on "contacts" (${columns}) include (${include})`,
});

@Entity({ tableName: 'contacts' })
@Index({
  name: 'contacts_email_lower_unique',
  expression:
    'create unique index "contacts_email_lower_unique" on "contacts" (lower("email")) where "deleted_at" is null and "email" is not null',
})
@Index(
  sortIndex(
    'contacts_name_sort_index',
    '"last_name", "first_name", "id"',
    `"deleted_at", ${CONTACT_LIST_SEARCH_TEXT}`,
  ),
)
// One index per other `sort=` the list offers, so a page never sorts the whole table.
@Index(sortIndex('contacts_first_name_sort_index', '"first_name", "last_name", "id"'))
@Index(sortIndex('contacts_email_sort_index', '"email", "id"'))
@Index(sortIndex('contacts_created_at_sort_index', '"created_at", "id"'))
@Index(sortIndex('contacts_updated_at_sort_index', '"updated_at", "id"'))
@Index({ name: 'contacts_organization_id_index', properties: ['organization'] })
@Index({ name: 'contacts_owner_id_index', properties: ['owner'] })
@Index({ name: 'contacts_type_index', properties: ['contactType'] })
// The dashboard's count of live prospects.
@Index({
  name: 'contacts_live_type_index',
  expression:
    'create index "contacts_live_type_index" on "contacts" ("contact_type") where "deleted_at" is null',
})
@Index({ name: 'contacts_status_index', properties: ['status'] })
@Index({ name: 'contacts_deleted_at_index', properties: ['deletedAt'] })
@Index({
  name: 'contacts_search_trgm_index',
  expression: `create index "contacts_search_trgm_index" on "contacts" using gin (${CONTACT_SEARCH_TEXT} gin_trgm_ops)`,
})
@Index({
  name: 'contacts_list_search_trgm_index',
  expression: `create index "contacts_list_search_trgm_index" on "contacts" using gin (${CONTACT_LIST_SEARCH_TEXT} gin_trgm_ops)`,
})
@Index({
  name: 'contacts_custom_fields_index',
  expression:
    'create index "contacts_custom_fields_index" on "contacts" using gin ("custom_fields" jsonb_path_ops)',
})
@Check({ name: 'contacts_first_name_check', expression: `"first_name" ~ '\\S'` })
@Check({ name: 'contacts_email_check', expression: `"email" is null or "email" ~ '^[^@]+@[^@]+$'` })
export class Contact extends SoftDeletableEntity<'lastName' | 'contactType' | 'status' | 'tags'> {
  @Property({ type: 'string', length: 100 })
  firstName!: string;

  @Property({ type: 'string', length: 100, default: '' })
  lastName: string = '';

  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  @Property({ type: 'string', length: 50, nullable: true })
  phone?: string | null;

  @Property({ type: 'string', length: 50, nullable: true })
  mobile?: string | null;

  @Property({ type: 'string', length: 150, nullable: true })
  title?: string | null;

  @ManyToOne(() => Organization, { ref: true, nullable: true, deleteRule: 'set null' })
  organization?: Ref<Organization> | null;

  @Enum({ items: () => ContactType, nativeEnumName: 'contact_type', default: ContactType.Prospect })
  contactType: ContactType = ContactType.Prospect;

  @Enum({ items: () => ContactStatus, nativeEnumName: 'contact_status', default: ContactStatus.Active })
  status: ContactStatus = ContactStatus.Active;

  /** Where the relationship came from: referral, conference, inbound, … (free text). */
  @Property({ type: 'string', length: 100, nullable: true })
  source?: string | null;

  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  linkedinUrl?: string | null;

  @Enum({ items: () => ContactMethod, nativeEnumName: 'contact_method', nullable: true })
  preferredContact?: ContactMethod | null;

  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  owner?: Ref<User> | null;

  @ManyToMany({ entity: () => Tag, pivotEntity: () => ContactTag })
  tags = new Collection<Tag>(this);

  /** Written by PostgreSQL only (see CONTACT_SEARCH_TEXT); never loaded, never in an answer. */
  @Property({
    type: 'text',
    generated: `(lower("first_name" || ' ' || "last_name" || ' ' || coalesce("email", ''::character varying))) stored`,
    lazy: true,
    hidden: true,
  })
  searchText?: string & Opt;

  /** Written by PostgreSQL only (see CONTACT_LIST_SEARCH_TEXT); never loaded, never in an answer. */
  @Property({ type: 'text', default: '', lazy: true, hidden: true })
  listSearchText?: string & Opt;
}

/** contacts ⇄ tags, declared so "contacts with this tag" has its own index. */
@Entity({ tableName: 'contact_tags' })
@Index({ name: 'contact_tags_tag_id_index', properties: ['tag'] })
export class ContactTag {
  @ManyToOne(() => Contact, { primary: true, deleteRule: 'cascade' })
  contact!: Contact;

  @ManyToOne(() => Tag, { primary: true, deleteRule: 'cascade' })
  tag!: Tag;

  [PrimaryKeyProp]?: ['contact', 'tag'];
}
