import type { EntityManager } from '@mikro-orm/postgresql';

import type { RefDto } from '../../common/dto/refs.dto.js';
import {
  NOT_DELETED,
  referenced,
  referencedSql,
  type ReferencedSql,
} from '../../common/entities/references.js';
import { ValidationError } from '../../common/errors/index.js';
import { Contact } from '../contacts/contact.entity.js';
import { Opportunity } from '../opportunities/opportunity.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';

/**
 * The live records a request body links to by id (communications, tasks, contacts, opportunities): a missing
 * or deleted one is a 400 naming the field, never a foreign-key 500.
 */
export const liveContact = (em: EntityManager, id: string, field = 'contactId'): Promise<Contact> =>
  referenced(em, Contact, id, field, 'live contact', NOT_DELETED);

/**
 * liveContact read by the write's own statement (insertAudited): `{ id, firstName, lastName }`, as contactRef names
 * it, and the `more` properties asked for.
 */
export const liveContactSql = (
  em: EntityManager,
  id: string,
  field = 'contactId',
  more: readonly (keyof Contact & string)[] = [],
): ReferencedSql =>
  referencedSql(em, Contact, id, field, 'live contact', NOT_DELETED, [
    'id',
    'firstName',
    'lastName',
    ...more,
  ]);

/** liveOpportunity read by the write's own statement: `{ id, name }`. */
export const liveOpportunitySql = (em: EntityManager, id: string, field = 'opportunityId'): ReferencedSql =>
  referencedSql(em, Opportunity, id, field, 'live opportunity', NOT_DELETED, ['id', 'name']);

/** The author of a write, read by its own statement as userRef names it: `{ id, username, fullName }`. */
export function userRefSql(em: EntityManager, id: string): Omit<ReferencedSql, 'missing'> {
  const { sql, params } = referencedSql(em, User, id, 'createdBy', 'user', {}, [
    'id',
    'username',
    'fullName',
  ]);
  return { sql, params };
}

export const liveOpportunity = (
  em: EntityManager,
  id: string,
  field = 'opportunityId',
): Promise<Opportunity> => referenced(em, Opportunity, id, field, 'live opportunity', NOT_DELETED);

export const liveOrganization = (
  em: EntityManager,
  id: string,
  field = 'organizationId',
): Promise<Organization> => referenced(em, Organization, id, field, 'live organization', NOT_DELETED);

export const activeUser = (em: EntityManager, id: string, field: string): Promise<User> =>
  referenced(em, User, id, field, 'active user', { isActive: true });

/** liveOrganization read by the write's own statement (insertAudited): `{ id, name }`. */
export const liveOrganizationSql = (em: EntityManager, id: string, field = 'organizationId'): ReferencedSql =>
  referencedSql(em, Organization, id, field, 'live organization', NOT_DELETED, ['id', 'name']);

/** activeUser read by the write's own statement (insertAudited): `{ id, username, fullName }`, as userRef names it. */
export const activeUserSql = (em: EntityManager, id: string, field: string): ReferencedSql =>
  referencedSql(em, User, id, field, 'active user', { isActive: true }, ['id', 'username', 'fullName']);

export interface Links {
  contact: Contact | null;
  opportunity: Opportunity | null;
}

/**
 * A communication's links, as the API and the import set them: when `inferContact` (an opportunity given without
 * a contact), the opportunity's live contact becomes the contact; with neither, a 400 naming both fields.
 */
export async function communicationLinks(
  em: EntityManager,
  links: Links,
  inferContact: boolean,
): Promise<Links> {
  let result = links;
  if (inferContact && !result.contact && result.opportunity?.contact) {
    const inferred = await em.findOne(Contact, { id: result.opportunity.contact.id, deletedAt: null });
    result = { ...result, contact: inferred };
  }
  if (!result.contact && !result.opportunity) throw noLinkError();
  return result;
}

/** The 400 of a communication linked to neither a contact nor an opportunity. */
export function noLinkError(): ValidationError {
  return new ValidationError('contactId: a communication needs a contactId or an opportunityId (or both)', [
    { field: 'contactId', message: 'is required when there is no opportunityId' },
    { field: 'opportunityId', message: 'is required when there is no contactId' },
  ]);
}

export interface ContactLike {
  id: string;
  firstName: string;
  lastName: string;
}

interface Loadable<T> {
  isInitialized(): boolean;
  getEntity(): T;
}

/** A contact as `{ id, name }` ("First Last"); the reference must be populated (no query per row). */
export function contactRef(value: Loadable<ContactLike> | ContactLike | null | undefined): RefDto | null {
  if (!value) return null;
  let contact = value as ContactLike;
  if (typeof (value as Loadable<ContactLike>).getEntity === 'function') {
    const loadable = value as Loadable<ContactLike>;
    if (!loadable.isInitialized()) throw new Error('Reference not loaded: populate it in the query');
    contact = loadable.getEntity();
  }
  return { id: contact.id, name: `${contact.firstName} ${contact.lastName}`.trim() };
}
