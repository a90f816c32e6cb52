import { ValidationError } from '../../common/errors/index.js';
import { Communication } from '../communications/communication.entity.js';
import { applyCommunicationFields } from '../communications/communications.service.js';
import { CreateCommunicationDto } from '../communications/dto/communication.dto.js';
import { communicationLinks } from '../communications/linked-records.js';
import { Contact } from '../contacts/contact.entity.js';
import { Opportunity } from '../opportunities/opportunity.entity.js';
import { User } from '../users/user.entity.js';
import type { RowValues } from './import-context.js';
import { COMMUNICATION_FIELDS, plainFieldNames } from './pipeline-fields.js';
import { RecordImporter, type Resolved } from './record-importer.js';

/** Plain fields a communication row may set, as the API's DTO names them. */
const PLAIN = plainFieldNames(COMMUNICATION_FIELDS);

export const COMMUNICATION_SNAPSHOT = [...PLAIN, 'contact', 'opportunity', 'createdBy'] as const;

interface CommunicationRow extends Resolved {
  contactId: string | null;
  opportunityId: string | null;
  at: string | null;
  type: string;
  subject: string;
  /** Whether the row's contact and opportunity columns are mapped (an update leaves unmapped links alone). */
  linksMapped: boolean;
}

/**
 * Communication rows: linked to a contact (by email or name) and/or an opportunity (by name); given an
 * opportunity alone, its contact — as in the API. The same contact, moment, type and subject is the same
 * communication. The author defaults to whoever imports.
 */
export class CommunicationImporter extends RecordImporter<Communication, CommunicationRow> {
  protected readonly entityType = 'communication';
  protected readonly entity = Communication;
  protected readonly snapshot = COMMUNICATION_SNAPSHOT;
  protected readonly required = ['type'];

  override validateMapping(targets: Set<string>): void {
    super.validateMapping(targets);
    if (!targets.has('contact') && !targets.has('opportunity')) {
      throw ValidationError.field('mapping', 'no column is mapped to contact or opportunity');
    }
  }

  protected async resolve(_row: number, values: RowValues): Promise<CommunicationRow> {
    const contactId = (await this.contactId(values)) ?? null;
    const opportunityId = (await this.opportunityId(values)) ?? null;
    const links = await this.ctx.checkRuleAsync(values, async () =>
      communicationLinks(
        this.ctx.em,
        {
          contact: contactId ? this.ctx.em.getReference(Contact, contactId) : null,
          opportunity: opportunityId ? await this.ctx.em.findOneOrFail(Opportunity, opportunityId) : null,
        },
        !contactId && !!opportunityId,
      ),
    );
    const at = (values.fields.get('communicationDate') as string | null | undefined) ?? null;
    const type = String(values.fields.get('type'));
    const subject = this.textKey(values, 'subject');
    return {
      key: JSON.stringify([links.contact?.id ?? `o:${opportunityId}`, at, type, subject]),
      at,
      type,
      subject,
      contactId: links.contact?.id ?? null,
      opportunityId,
      linksMapped: values.columns.has('contact') || values.columns.has('opportunity'),
    };
  }

  protected existing(r: CommunicationRow): Promise<string | null> {
    if (!r.at) return Promise.resolve(null);
    return this.firstId(
      `select id from communications
        where ${r.contactId ? 'contact_id = ?' : 'contact_id is null and opportunity_id = ?'}
          and communication_date = ? and type = ? and lower(btrim(coalesce(subject, ''))) = ?
        order by created_at, id limit 1`,
      [r.contactId ?? r.opportunityId, r.at, r.type, r.subject],
    );
  }

  protected async create(_row: number, values: RowValues, r: CommunicationRow): Promise<Communication> {
    const dto = await this.ctx.validateDto(CreateCommunicationDto, this.plain(values, PLAIN), values);
    const author = await this.user(values, 'createdBy');
    const communication = this.ctx.em.create(Communication, {
      type: dto.type,
      contact: this.ref(Contact, r.contactId),
      opportunity: this.ref(Opportunity, r.opportunityId),
      communicationDate: new Date(),
      createdBy: author === undefined ? this.ref(User, this.actorId) : author,
    });
    applyCommunicationFields(communication, dto, true);
    return communication;
  }

  protected async update(
    _row: number,
    values: RowValues,
    r: CommunicationRow,
    communication: Communication,
  ): Promise<void> {
    // type is always mapped: the create rules hold for an update too (an empty type is refused, not cleared).
    const dto = await this.ctx.validateDto(CreateCommunicationDto, this.plain(values, PLAIN), values);
    const author = await this.user(values, 'createdBy');
    if (dto.type !== undefined) communication.type = dto.type;
    if (r.linksMapped) {
      communication.contact = this.ref(Contact, r.contactId) as never;
      communication.opportunity = this.ref(Opportunity, r.opportunityId) as never;
    }
    if (author !== undefined) communication.createdBy = author as never;
    applyCommunicationFields(communication, dto, false);
  }
}
