import { Injectable } from '@nestjs/common';
import {
  EntityManager,
  type FilterQuery,
  raw,
  UniqueConstraintViolationException,
} from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { assertMayIncludeDeleted } from '../../common/auth/include-deleted.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { assignFields } from '../../common/entities/fields.js';
import { relink, relinkedId } from '../../common/entities/references.js';
import { assertVersion } from '../../common/entities/versioning.js';
import { NotFoundError } from '../../common/errors/index.js';
import type { RefDto, UserRefDto } from '../../common/dto/refs.dto.js';
import { findIdOf } from '../../common/utils/find-id.js';
import { readDetail } from '../../common/utils/record-detail.js';
import { rowAfterUpdate, sameTags, writtenWithoutTags } from '../../common/utils/record-rows.js';
import { CustomFieldEntityType } from '../custom-fields/custom-field-definition.entity.js';
import { CustomFieldsService } from '../custom-fields/custom-fields.service.js';
import {
  activeUser,
  activeUserSql,
  liveOrganization,
  liveOrganizationSql,
} from '../communications/linked-records.js';
import {
  type AuditedInsert,
  type AuditedRecord,
  insertAudited,
  linkedAfter,
  newLinks,
  updateAudited,
} from '../audit/audited-writes.js';
import { TagsService } from '../tags/tags.service.js';
import { findRecord, markDeleted, markRestored } from '../../database/crm-base.entity.js';
import { Contact, ContactStatus, ContactType } from './contact.entity.js';
import { ContactDetailRepository } from './contact-detail.repository.js';
import { setContactTags } from './contact-tags.js';
import { type ContactRow, ContactsRepository } from './contacts.repository.js';
import { DuplicateEmailError } from './contacts.errors.js';
import {
  CONTACT_INCLUDES,
  type ContactDetailQueryDto,
  type CreateContactDto,
  type ListContactsQueryDto,
  type ReplaceContactDto,
  type UpdateContactDto,
} from './dto/contact-request.dto.js';
import { ContactDetailDto, ContactResponseDto } from './dto/contact-response.dto.js';

/** Fields a PUT replaces (absent ones are cleared to these) and a PATCH may set; null clears. */
export const CONTACT_OPTIONAL_FIELDS = {
  lastName: '',
  email: null,
  phone: null,
  mobile: null,
  title: null,
  source: null,
  notes: null,
  linkedinUrl: null,
  contactType: ContactType.Prospect,
  status: ContactStatus.Active,
  preferredContact: null,
} as const;

@Injectable()
export class ContactsService {
  constructor(
    private readonly em: EntityManager,
    private readonly contacts: ContactsRepository,
    private readonly details: ContactDetailRepository,
    private readonly tags: TagsService,
    private readonly customFields: CustomFieldsService,
  ) {}

  async list(query: ListContactsQueryDto, caller: AuthUser): Promise<ListResponse<ContactResponseDto>> {
    assertMayIncludeDeleted(caller, query.includeDeleted);
    const custom = await this.customFields.sqlConditions(CustomFieldEntityType.Contact, query.cf);
    const { ids, total } = await this.contacts.page(query, custom);
    const rows = await this.contacts.rows(ids);
    return listResponse(rows.map(ContactResponseDto.from), total, query);
  }

  /**
   * One contact with its organization, owner, tags, custom fields, recent communications, live opportunities,
   * LP profiles and tasks, or only those `include` lists: one statement either way.
   */
  async get(id: string, caller: AuthUser, query: ContactDetailQueryDto = {}): Promise<ContactDetailDto> {
    const read = await readDetail('Contact', id, caller, query, CONTACT_INCLUDES, this.details);
    return ContactDetailDto.from(read.detail, read.include);
  }

  /** The response for one contact as stored now (deleted ones too: a restore or merge answers them). */
  async response(id: string): Promise<ContactResponseDto> {
    const row = await this.contacts.row(id, true);
    if (!row) throw new NotFoundError('Contact', id);
    return ContactResponseDto.from(row);
  }

  /**
   * Without tags, one statement after the custom fields' rules are read: the organization and owner checked live,
   * the contact and its audit row inserted, their names read for the answer (insertAudited). The email's
   * uniqueness is the database's (contacts_email_lower_unique): a refusal is answered as assertEmailFree answers,
   * naming the contact that has it. With tags, the unit of work writes the pivot rows and their audit.
   */
  async create(dto: CreateContactDto): Promise<ContactResponseDto> {
    if (dto.tagIds?.length) return this.createWithTags(dto);
    const values: Record<string, unknown> = {
      firstName: dto.firstName,
      organization: dto.organizationId ?? null,
      owner: dto.ownerId ?? null,
    };
    assignFields(values, dto, CONTACT_OPTIONAL_FIELDS, true);
    values.customFields = await this.customFields.validate(CustomFieldEntityType.Contact, dto.customFields, {
      mode: 'replace',
    });
    const refs: AuditedInsert<Contact>['refs'] = {};
    if (dto.organizationId) refs.organization = liveOrganizationSql(this.em, dto.organizationId);
    if (dto.ownerId) refs.owner = activeUserSql(this.em, dto.ownerId, 'ownerId');
    try {
      const written = await insertAudited(this.em, { entity: Contact, auditType: 'contact', values, refs });
      return ContactResponseDto.from(writtenContactRow(written));
    } catch (err) {
      if (dto.email && isUniqueViolation(err, EMAIL_UNIQUE)) await this.assertEmailFree(dto.email);
      throw err;
    }
  }

  private async createWithTags(dto: CreateContactDto): Promise<ContactResponseDto> {
    // Not persisted until checked: a check's query would otherwise auto-flush a half-built contact.
    const contact = this.em.create(Contact, { firstName: dto.firstName }, { persist: false });
    await this.apply(contact, dto, true);
    await this.em.persist(contact).flush();
    return this.response(contact.id);
  }

  replace(id: string, dto: ReplaceContactDto, version?: number): Promise<ContactResponseDto> {
    return this.change(id, dto, version, true);
  }

  update(id: string, dto: UpdateContactDto, version?: number): Promise<ContactResponseDto> {
    return this.change(id, dto, version, false);
  }

  /**
   * A PUT (`replaceAll`: what the body leaves out is cleared) or PATCH of the contact at `version`. Unless its tags
   * change, one statement after the contact's row is read (and, when custom fields are sent, their rules): the
   * organization and owner it newly links to checked live, the fields that differ set, the version raised and the
   * audit row written, all only if the contact is still live at the version read (updateAudited). The answer is the
   * row read with the change applied. A taken email is answered as on create. New tags go through the unit of work.
   */
  private async change(
    id: string,
    dto: UpdateContactDto,
    version: number | undefined,
    replaceAll: boolean,
  ): Promise<ContactResponseDto> {
    const row = await this.contacts.row(id);
    if (!row) throw new NotFoundError('Contact', id);
    assertVersion('Contact', row.version, version);
    const tagIds = replaceAll ? (dto.tagIds ?? []) : dto.tagIds;
    if (tagIds && !sameTags(tagIds, row.tags)) return this.changeWithTags(id, dto, version, replaceAll);

    const before = contactProperties(row);
    const after = { ...before };
    if (dto.firstName !== undefined) after.firstName = dto.firstName;
    assignFields(after, dto, CONTACT_OPTIONAL_FIELDS, replaceAll);
    after.organization = relinkedId(row.organizationId, dto.organizationId, replaceAll);
    after.owner = relinkedId(row.ownerId, dto.ownerId, replaceAll);
    after.customFields = await this.customFields.validate(CustomFieldEntityType.Contact, dto.customFields, {
      mode: replaceAll ? 'replace' : 'patch',
      current: row.customFields,
    });
    const refs = newLinks(before, after, {
      organization: (ref) => liveOrganizationSql(this.em, ref),
      owner: (ref) => activeUserSql(this.em, ref, 'ownerId'),
    });
    const spec = { entity: Contact, name: 'Contact', auditType: 'contact', id: row.id, version: row.version };
    try {
      const written = await updateAudited(this.em, { ...spec, before, after, refs });
      const { organization: _organization, owner: _owner, ...fields } = after;
      const links = linkColumns(after, written?.refs ?? {}, row);
      return ContactResponseDto.from(rowAfterUpdate(row, { ...fields, ...links }, written));
    } catch (err) {
      if (after.email && isUniqueViolation(err, EMAIL_UNIQUE)) await this.assertEmailFree(after.email, id);
      throw err;
    }
  }

  /** change() through the unit of work, which writes the tags' pivot rows and their audit. */
  private async changeWithTags(
    id: string,
    dto: UpdateContactDto,
    version: number | undefined,
    replaceAll: boolean,
  ): Promise<ContactResponseDto> {
    const contact = await this.find(id);
    assertVersion('Contact', contact.version, version);
    await this.apply(contact, dto, replaceAll);
    await this.em.flush();
    return this.response(id);
  }

  async softDelete(id: string, caller: AuthUser): Promise<void> {
    markDeleted(this.em, await this.find(id), caller.id);
    await this.em.flush();
  }

  /** Refused with 409 when a live contact has taken the deleted one's email meanwhile. */
  async restore(id: string): Promise<ContactResponseDto> {
    const contact = await this.find(id, true);
    if (contact.deletedAt && contact.email) await this.assertEmailFree(contact.email, contact.id);
    if (markRestored(contact)) await this.em.flush();
    return this.response(id);
  }

  /** Live contact (or also a deleted one) to change, with its tags; 404 otherwise. */
  async find(id: string, includeDeleted = false): Promise<Contact> {
    return findRecord(this.em, Contact, 'Contact', id, includeDeleted, { populate: ['tags'] });
  }

  /** 409 DUPLICATE_EMAIL when another live contact has this email, ignoring case. */
  async assertEmailFree(email: string, exceptId?: string): Promise<void> {
    const where: FilterQuery<Contact> = { [raw('lower(email)')]: email.toLowerCase(), deletedAt: null };
    if (exceptId) where.id = { $ne: exceptId };
    const existing = await findIdOf(this.em, Contact, where);
    if (existing) throw new DuplicateEmailError(email, existing);
  }

  /**
   * Writes the fields of a create/replace (every field: absent ones cleared or defaulted) or of a patch
   * (only those sent; null clears). Email and references are checked before anything changes.
   */
  private async apply(contact: Contact, dto: UpdateContactDto, replaceAll: boolean): Promise<void> {
    const sent = (value: unknown): boolean => replaceAll || value !== undefined;
    if (dto.email && dto.email.toLowerCase() !== contact.email?.toLowerCase()) {
      await this.assertEmailFree(dto.email, contact.id);
    }
    const organization = await relink(contact.organization, dto.organizationId, replaceAll, (id) =>
      liveOrganization(this.em, id),
    );
    const owner = await relink(contact.owner, dto.ownerId, replaceAll, (id) =>
      activeUser(this.em, id, 'ownerId'),
    );
    const tags = sent(dto.tagIds) ? await this.tags.resolve(dto.tagIds ?? []) : undefined;

    Object.assign(contact, { organization, owner });
    if (tags) setContactTags(contact, tags);
    if (dto.firstName !== undefined) contact.firstName = dto.firstName;
    assignFields(contact, dto, CONTACT_OPTIONAL_FIELDS, replaceAll);
    contact.customFields = await this.customFields.validate(CustomFieldEntityType.Contact, dto.customFields, {
      mode: replaceAll ? 'replace' : 'patch',
      current: contact.customFields,
    });
  }
}

/** The partial unique index that keeps live contacts' emails unique, ignoring case. */
const EMAIL_UNIQUE = 'contacts_email_lower_unique';

const isUniqueViolation = (err: unknown, constraint: string): boolean =>
  err instanceof UniqueConstraintViolationException &&
  (err as UniqueConstraintViolationException & { constraint?: string }).constraint === constraint;

/** The properties of a contact a write may change (references as ids). */
type ContactProperties = Pick<
  ContactRow,
  | 'firstName'
  | 'lastName'
  | 'email'
  | 'phone'
  | 'mobile'
  | 'title'
  | 'contactType'
  | 'status'
  | 'source'
  | 'notes'
  | 'linkedinUrl'
  | 'preferredContact'
  | 'customFields'
> & { organization: string | null; owner: string | null };

/** The properties of a contact a write may change, as its row has them. */
function contactProperties(row: ContactRow): ContactProperties {
  return {
    firstName: row.firstName,
    lastName: row.lastName,
    email: row.email,
    phone: row.phone,
    mobile: row.mobile,
    title: row.title,
    organization: row.organizationId,
    contactType: row.contactType,
    status: row.status,
    source: row.source,
    notes: row.notes,
    linkedinUrl: row.linkedinUrl,
    preferredContact: row.preferredContact,
    owner: row.ownerId,
    customFields: row.customFields,
  };
}

type LinkColumns = Pick<
  ContactRow,
  'organizationId' | 'organizationName' | 'ownerId' | 'ownerUsername' | 'ownerFullName'
>;

/**
 * The organization and owner columns of a contact written in one statement, linked to the ids `links` holds: each
 * as its ref read it, or, when it was not read (a link an update kept), as `before` had it.
 */
function linkColumns(
  links: { organization: string | null; owner: string | null },
  refs: AuditedRecord['refs'],
  before?: ContactRow,
): LinkColumns {
  const organization = linkedAfter(refs, 'organization', links.organization, {
    id: before?.organizationId ?? null,
    name: before?.organizationName,
  }) as RefDto | null;
  const owner = linkedAfter(refs, 'owner', links.owner, {
    id: before?.ownerId ?? null,
    username: before?.ownerUsername,
    fullName: before?.ownerFullName,
  }) as UserRefDto | null;
  return {
    organizationId: organization?.id ?? null,
    organizationName: organization?.name ?? null,
    ownerId: owner?.id ?? null,
    ownerUsername: owner?.username ?? null,
    ownerFullName: owner?.fullName ?? null,
  };
}

/** The list row of a contact insertAudited wrote without tags: its fields as written, its references as read. */
function writtenContactRow({ record, refs }: AuditedRecord): ContactRow {
  const { organization, owner, ...fields } = record;
  const links = { organization: organization as string | null, owner: owner as string | null };
  return {
    ...(fields as unknown as Omit<ContactRow, keyof ReturnType<typeof writtenWithoutTags>>),
    ...linkColumns(links, refs),
    ...writtenWithoutTags(record),
  };
}
