import { assignFields, fieldValues } from '../../common/entities/fields.js';
import { CONTACT_OPTIONAL_FIELDS } from '../contacts/contacts.service.js';
import { ValidationError } from '../../common/errors/index.js';
import { Contact, ContactTag } from '../contacts/contact.entity.js';
import { setContactTags } from '../contacts/contact-tags.js';
import { CreateContactDto, UpdateContactDto } from '../contacts/dto/contact-request.dto.js';
import { ImportRecordAction } from './import-batch.entity.js';
import { type ImportContext, RowRejected, type RowValues } from './import-context.js';
import {
  changedFields,
  type EntityImporter,
  type RowOutcome,
  same,
  sameSnapshot,
  snapshotOf,
} from './importer.js';
import { OnDuplicate } from './import-types.js';
import { nameKey, splitName } from './import-values.js';

/** Plain text and enum fields a contact row may set, as the API's DTO names them. */
const CONTACT_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'mobile',
  'title',
  'contactType',
  'status',
  'source',
  'notes',
  'linkedinUrl',
  'preferredContact',
] as const;

/** The fields an import may change on a contact, as undo restores them. */
export const CONTACT_SNAPSHOT = [...CONTACT_FIELDS, 'organization', 'owner', 'tags', 'customFields'] as const;

interface Match {
  contact?: Contact;
  id?: string;
  ambiguous?: string[];
}

/**
 * Contact rows: deduped by email (ignoring case and spaces), or by full name + organization when the row has
 * no email — against the database and against the rows before it.
 */
export class ContactImporter implements EntityImporter {
  private readonly byEmail = new Map<string, string>();
  private readonly byName = new Map<string, string[]>();
  /** Rows of this file already imported, by dedupe key. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly ctx: ImportContext) {}

  validateMapping(targets: Set<string>): void {
    if (!targets.has('name') && !targets.has('firstName')) {
      throw ValidationError.field('mapping', 'no column is mapped to name or firstName');
    }
  }

  async prepare(): Promise<void> {
    const rows = await this.ctx.em.execute<
      { id: string; email: string | null; first_name: string; last_name: string; org: string | null }[]
    >(
      `select c.id, lower(c.email) as email, c.first_name, c.last_name, o.name as org
         from contacts c left join organizations o on o.id = c.organization_id
        where c.deleted_at is null order by c.created_at, c.id`,
    );
    for (const r of rows) {
      if (r.email) this.byEmail.set(r.email, r.id);
      const key = nameKeyOf(`${r.first_name} ${r.last_name}`, r.org);
      this.byName.set(key, [...(this.byName.get(key) ?? []), r.id]);
    }
  }

  async importRow(row: number, values: RowValues): Promise<RowOutcome> {
    const plain = this.plainFields(values);
    const orgCell = values.fields.get('organization') as string | null | undefined;
    const email = plain.email as string | null | undefined;
    const key = email
      ? `e:${email}`
      : nameKeyOf(`${textOf(plain.firstName)} ${textOf(plain.lastName)}`, orgCell ?? null);
    // A second row for the same person in one file is a duplicate whatever onDuplicate says: the first row wins.
    const earlier = this.seen.get(key);
    if (earlier) return { kind: 'skipped', reason: 'duplicate', recordId: earlier };
    const match = this.match(key, email ?? null);
    const duplicate = match.contact ?? match.id;

    if (duplicate && this.ctx.options.onDuplicate === OnDuplicate.Skip) {
      return { kind: 'skipped', reason: 'duplicate', recordId: match.contact?.id ?? match.id };
    }
    if (duplicate && this.ctx.options.onDuplicate === OnDuplicate.Update) {
      return this.update(row, values, plain, match.contact ?? (await this.load(match.id!)), key);
    }
    if (match.ambiguous && this.ctx.options.onDuplicate === OnDuplicate.Update) {
      throw new RowRejected([
        {
          column: values.columns.get('name') ?? values.columns.get('firstName') ?? null,
          field: 'name',
          message: `several contacts match this name and organization (${match.ambiguous.join(', ')}); add their email to tell them apart`,
        },
      ]);
    }
    if (duplicate && email) {
      throw new RowRejected([
        {
          column: values.columns.get('email') ?? null,
          field: 'email',
          message: `${email} already belongs to contact ${match.contact?.id ?? match.id}; onDuplicate=create cannot give two contacts one email`,
        },
      ]);
    }
    if (match.ambiguous && this.ctx.options.onDuplicate === OnDuplicate.Skip) {
      return { kind: 'skipped', reason: 'duplicate', recordId: match.ambiguous[0] };
    }
    return this.create(row, values, plain, key);
  }

  private async create(
    row: number,
    values: RowValues,
    plain: Record<string, unknown>,
    key: string,
  ): Promise<RowOutcome> {
    const dto = await this.ctx.validateDto(CreateContactDto, plain, values);
    const customFields = this.ctx.checkCustomFields(values, 'create', {});
    const links = await this.links(row, values);
    // Inserted in bulk with its audit row (see BulkWriter.create): the same row and audit an entity
    // created here would give, without an entity, a change set and a diff per contact.
    const tags = [...new Map((links.tags ?? []).map((t) => [t.id, t])).values()];
    const id = this.ctx.writer.create(
      Contact,
      'contact',
      {
        firstName: dto.firstName,
        ...fieldValues(Contact, dto, CONTACT_OPTIONAL_FIELDS),
        organization: links.organization?.id ?? null,
        owner: links.owner?.id ?? null,
        customFields,
      },
      tags.length > 0 ? { tags: { from: [], to: tags.map((t) => t.name).sort() } } : {},
    );
    this.ctx.writer.insertLater(
      ContactTag,
      tags.map((tag) => ({ contact: id, tag: tag.id })),
    );
    this.remember(key, { id, email: dto.email ?? null });
    this.ctx.touch(row, 'contact', { id }, ImportRecordAction.Created);
    return { kind: 'created', recordId: id };
  }

  private async update(
    row: number,
    values: RowValues,
    plain: Record<string, unknown>,
    contact: Contact,
    key: string,
  ): Promise<RowOutcome> {
    const dto = await this.ctx.validateDto(UpdateContactDto, plain, values);
    const customFields = this.ctx.checkCustomFields(values, 'patch', contact.customFields);
    const links = await this.links(row, values);
    const before = snapshotOf(contact, CONTACT_SNAPSHOT);
    if (dto.firstName !== undefined) contact.firstName = dto.firstName;
    assignFields(contact, dto, CONTACT_OPTIONAL_FIELDS, false);
    if (links.organization !== undefined) contact.organization = links.organization as never;
    if (links.owner !== undefined) contact.owner = links.owner as never;
    if (links.tags) setContactTags(contact, links.tags);
    if (!same(customFields, contact.customFields)) contact.customFields = customFields;
    const after = snapshotOf(contact, CONTACT_SNAPSHOT);
    this.remember(key, contact);
    if (sameSnapshot(before, after)) return { kind: 'skipped', reason: 'unchanged', recordId: contact.id };
    this.ctx.touch(row, 'contact', contact, ImportRecordAction.Updated, changedFields(before, after));
    return { kind: 'updated', recordId: contact.id };
  }

  /** Linked records named by the row: organization (found or created), owner, tags. Undefined when not mapped. */
  private async links(row: number, values: RowValues) {
    const orgCell = values.fields.get('organization') as string | null | undefined;
    const ownerCell = values.fields.get('owner') as string | null | undefined;
    const tagNames = values.fields.get('tags') as string[] | undefined;
    return {
      organization:
        orgCell === undefined
          ? undefined
          : orgCell === null
            ? null
            : await this.ctx.linkOrganization(row, orgCell, values.columns.get('organization')!),
      owner:
        ownerCell === undefined
          ? undefined
          : ownerCell === null
            ? null
            : await this.ctx.linkUser(ownerCell, values.columns.get('owner')!, 'owner'),
      tags: tagNames === undefined ? undefined : await this.ctx.linkTags(row, tagNames),
    };
  }

  /** The DTO's plain fields from the row: a Name column split, explicit first/last name columns first. */
  private plainFields(values: RowValues): Record<string, unknown> {
    const plain: Record<string, unknown> = {};
    const name = values.fields.get('name') as string | null | undefined;
    if (name !== undefined) {
      const split = splitName(name ?? '');
      plain.firstName = split.firstName;
      plain.lastName = split.lastName;
    }
    for (const field of CONTACT_FIELDS) {
      const value = values.fields.get(field);
      if (value === undefined) continue;
      if ((field === 'firstName' || field === 'lastName') && value === null && name) continue;
      plain[field] = value;
    }
    if (plain.firstName === null) plain.firstName = '';
    return plain;
  }

  private match(key: string, email: string | null): Match {
    if (email) {
      const id = this.byEmail.get(email);
      return id ? this.known(id) : {};
    }
    const ids = this.byName.get(key) ?? [];
    if (ids.length === 1) return this.known(ids[0]);
    return ids.length > 1 ? { ambiguous: ids } : {};
  }

  /** A database contact the run may already hold (updated by an earlier row under another key). */
  private known(id: string): Match {
    const held = this.ctx.em.getUnitOfWork().getById<Contact>(Contact.name, id);
    return held ? { contact: held } : { id };
  }

  private async load(id: string): Promise<Contact> {
    return this.ctx.em.findOneOrFail(Contact, id, { populate: ['tags'] });
  }

  private remember(key: string, contact: { id: string; email?: string | null }): void {
    this.seen.set(key, contact.id);
    if (contact.email) this.seen.set(`e:${contact.email.toLowerCase()}`, contact.id);
  }
}

const textOf = (value: unknown): string => (typeof value === 'string' ? value : '');

function nameKeyOf(fullName: string, organization: string | null): string {
  return `n:${nameKey(fullName)}|${nameKey(organization ?? '')}`;
}
