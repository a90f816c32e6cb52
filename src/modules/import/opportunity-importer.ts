import { Priority } from '../../common/entities/enums.js';
import { assignFields } from '../../common/entities/fields.js';
import { Contact } from '../contacts/contact.entity.js';
import { Fund } from '../funds/fund.entity.js';
import { CreateOpportunityDto } from '../opportunities/dto/opportunity.dto.js';
import { OPPORTUNITY_OPTIONAL_FIELDS } from '../opportunities/opportunities.service.js';
import { applyStage } from '../opportunities/opportunity-stages.js';
import { Opportunity, OpportunityStage, STAGE_PROBABILITY } from '../opportunities/opportunity.entity.js';
import { User } from '../users/user.entity.js';
import { ImportRecordAction } from './import-batch.entity.js';
import type { RowValues } from './import-context.js';
import { same } from './importer.js';
import { OPPORTUNITY_FIELDS, plainFieldNames } from './pipeline-fields.js';
import { RecordImporter, type Resolved } from './record-importer.js';

/** Plain fields an opportunity row may set, as the API's DTO names them. */
const PLAIN = plainFieldNames(OPPORTUNITY_FIELDS);

export const OPPORTUNITY_SNAPSHOT = [
  ...PLAIN,
  'stageChangedAt',
  'contact',
  'organization',
  'fund',
  'owner',
  'customFields',
] as const;

interface OpportunityRow extends Resolved {
  /** Trimmed, lower case: with the contact and the fund, what makes two rows one deal. */
  name: string;
  contactId: string | null | undefined;
  fundId: string | null | undefined;
}

/**
 * Opportunity rows: the contact (by email or name) and fund (by name) they name must exist; the same name for the
 * same contact in the same fund is the same opportunity (a contact may have several deals in one fund). Written as the API
 * writes them: the stage's probability unless one is given, a stage-history row for each new stage, lost needs a
 * reason, the owner defaults to whoever imports.
 */
export class OpportunityImporter extends RecordImporter<Opportunity, OpportunityRow> {
  protected readonly entityType = 'opportunity';
  protected readonly entity = Opportunity;
  protected readonly snapshot = OPPORTUNITY_SNAPSHOT;
  protected readonly required = ['name'];

  protected async resolve(_row: number, values: RowValues): Promise<OpportunityRow> {
    const contactId = await this.contactId(values);
    const fundId = await this.fundId(values);
    const name = this.textKey(values, 'name');
    const key = `${contactId ?? ''}|${fundId ?? ''}|${name}`;
    return { key, name, contactId, fundId };
  }

  protected existing(r: OpportunityRow): Promise<string | null> {
    return this.firstId(
      `select id from opportunities
        where deleted_at is null and fund_id is not distinct from ? and contact_id is not distinct from ?
          and lower(btrim(name)) = ?
        order by created_at, id limit 1`,
      [r.fundId ?? null, r.contactId ?? null, r.name],
    );
  }

  protected async create(row: number, values: RowValues, r: OpportunityRow): Promise<Opportunity> {
    const dto = await this.dto(values);
    const customFields = this.ctx.checkCustomFields(values, 'create', {});
    const owner = await this.user(values, 'owner');
    const organization = await this.organization(row, values);
    const stage = dto.stage ?? OpportunityStage.Lead;
    const opp = this.ctx.em.create(
      Opportunity,
      {
        name: dto.name,
        stage,
        probability: STAGE_PROBABILITY[stage],
        currency: dto.currency ?? 'USD',
        priority: dto.priority ?? Priority.Medium,
        customFields,
      },
      { persist: false },
    );
    const move = { stage, lostReason: dto.lostReason, probability: dto.probability };
    this.ctx.checkRule(values, () =>
      applyStage(this.ctx.em, opp, move, { userId: this.actorId, now: new Date(), isNew: true }),
    );
    assignFields(opp, dto, OPPORTUNITY_OPTIONAL_FIELDS, true);
    opp.contact = this.ref(Contact, r.contactId) as never;
    opp.fund = this.ref(Fund, r.fundId) as never;
    opp.owner = (owner === undefined ? this.ref(User, this.actorId) : owner) as never;
    opp.organization = (organization ?? null) as never;
    this.ctx.em.persist(opp);
    return opp;
  }

  protected async update(row: number, values: RowValues, r: OpportunityRow, opp: Opportunity): Promise<void> {
    const dto = await this.dto(values);
    const customFields = this.ctx.checkCustomFields(values, 'patch', opp.customFields);
    const owner = await this.user(values, 'owner');
    const organization = await this.organization(row, values);
    const move = { stage: dto.stage ?? opp.stage, lostReason: dto.lostReason, probability: dto.probability };
    const change = this.ctx.checkRule(values, () =>
      applyStage(this.ctx.em, opp, move, { userId: this.actorId, now: new Date() }),
    );
    if (change) this.ctx.touch(row, 'opportunity_stage_change', change, ImportRecordAction.Created);
    if (dto.name !== undefined) opp.name = dto.name;
    assignFields(opp, dto, OPPORTUNITY_OPTIONAL_FIELDS, false);
    if (r.contactId !== undefined) opp.contact = this.ref(Contact, r.contactId) as never;
    if (r.fundId !== undefined) opp.fund = this.ref(Fund, r.fundId) as never;
    if (owner !== undefined) opp.owner = owner as never;
    if (organization !== undefined) opp.organization = organization as never;
    if (!same(customFields, opp.customFields)) opp.customFields = customFields;
  }

  /**
   * The row checked by the API's create rules (name is always mapped, so an update needs them too). An empty
   * probability is "not given": the stage's default on create, unchanged on update unless the stage moves.
   */
  private async dto(values: RowValues): Promise<CreateOpportunityDto> {
    const plain = this.plain(values, PLAIN);
    plain.name ??= '';
    if (plain.probability === null) delete plain.probability;
    return this.ctx.validateDto(CreateOpportunityDto, plain, values);
  }
}
