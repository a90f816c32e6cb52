import { Contact } from '../contacts/contact.entity.js';
import { Fund } from '../funds/fund.entity.js';
import { CreateLpProfileDto } from '../lp-profiles/dto/lp-profile.dto.js';
import { applyLpProfileFields, makeInvestor } from '../lp-profiles/lp-profile-rules.js';
import { LpProfile } from '../lp-profiles/lp-profile.entity.js';
import { ImportRecordAction } from './import-batch.entity.js';
import { RowRejected, type RowValues } from './import-context.js';
import { same } from './importer.js';
import { LP_PROFILE_FIELDS, plainFieldNames } from './pipeline-fields.js';
import { RecordImporter, type Resolved } from './record-importer.js';

/** Plain fields an LP-profile row may set, as the API's DTO names them. */
const PLAIN = plainFieldNames(LP_PROFILE_FIELDS);

export const LP_PROFILE_SNAPSHOT = [...PLAIN, 'customFields'] as const;

interface LpRow extends Resolved {
  contactId: string;
  fundId: string;
}

/**
 * LP-profile rows: one profile per contact per fund, as the API enforces — a second row for the pair is a
 * duplicate, and onDuplicate=create cannot make a second profile. The contact becomes an investor (undo puts its
 * type back); funded must not exceed committed.
 */
export class LpProfileImporter extends RecordImporter<LpProfile, LpRow> {
  protected readonly entityType = 'lp_profile';
  protected readonly entity = LpProfile;
  protected readonly snapshot = LP_PROFILE_SNAPSHOT;
  protected readonly required = ['contact', 'fund'];

  protected async resolve(_row: number, values: RowValues): Promise<LpRow> {
    const contactId = await this.contactId(values);
    const fundId = await this.fundId(values);
    const missing = [...(contactId ? [] : ['contact']), ...(fundId ? [] : ['fund'])].map((field) => ({
      column: values.columns.get(field) ?? null,
      field,
      message: 'is required',
    }));
    if (missing.length > 0) throw new RowRejected(missing);
    return { key: `${contactId}|${fundId}`, contactId: contactId!, fundId: fundId! };
  }

  protected existing(r: LpRow): Promise<string | null> {
    return this.firstId('select id from lp_profiles where contact_id = ? and fund_id = ?', [
      r.contactId,
      r.fundId,
    ]);
  }

  protected override refuseCreate(values: RowValues, _r: LpRow, existingId: string): void {
    throw new RowRejected([
      {
        column: values.columns.get('fund') ?? null,
        field: 'fund',
        message: `this contact already has an LP profile in this fund (${existingId}); one profile per contact per fund`,
      },
    ]);
  }

  protected async create(row: number, values: RowValues, r: LpRow): Promise<LpProfile> {
    const plain = { ...this.plain(values, PLAIN), contactId: r.contactId, fundId: r.fundId };
    const dto = await this.ctx.validateDto(CreateLpProfileDto, plain, values);
    const customFields = this.ctx.checkCustomFields(values, 'create', {});
    const contact = await this.ctx.em.findOneOrFail(Contact, r.contactId);
    const lp = this.ctx.em.create(
      LpProfile,
      {
        contact,
        fund: this.ctx.em.getReference(Fund, r.fundId),
        currency: dto.currency ?? 'USD',
        customFields,
      },
      { persist: false },
    );
    this.ctx.checkRule(values, () => applyLpProfileFields(lp, dto, true));
    const before = contact.contactType;
    if (makeInvestor(contact)) {
      this.ctx.touch(row, 'contact', contact, ImportRecordAction.Updated, { contactType: before });
    }
    this.ctx.em.persist(lp);
    return lp;
  }

  protected async update(_row: number, values: RowValues, r: LpRow, lp: LpProfile): Promise<void> {
    const plain = { ...this.plain(values, PLAIN), contactId: r.contactId, fundId: r.fundId };
    const dto = await this.ctx.validateDto(CreateLpProfileDto, plain, values);
    const customFields = this.ctx.checkCustomFields(values, 'patch', lp.customFields);
    this.ctx.checkRule(values, () => applyLpProfileFields(lp, dto, false));
    if (!same(customFields, lp.customFields)) lp.customFields = customFields;
  }
}
