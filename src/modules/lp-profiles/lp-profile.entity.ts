import { Check, Entity, Enum, Index, ManyToOne, type Opt, Property, type Ref, Unique } from '@mikro-orm/core';

import { VersionedEntity } from '../../database/crm-base.entity.js';
import { ContactMethod } from '../../common/entities/enums.js';
import { money } from '../../common/entities/money.js';
import { Contact } from '../contacts/contact.entity.js';
import { Fund } from '../funds/fund.entity.js';

export enum InvestorType {
  Individual = 'individual',
  Trust = 'trust',
  FamilyOffice = 'family_office',
  Foundation = 'foundation',
  Endowment = 'endowment',
  Pension = 'pension',
  FundOfFunds = 'fund_of_funds',
  SovereignWealth = 'sovereign_wealth',
  Insurance = 'insurance',
  Corporate = 'corporate',
  Bank = 'bank',
  WealthManager = 'wealth_manager',
  Other = 'other',
}

/** A contact's position in one fund: commitment, money received and the paperwork. */
@Entity({ tableName: 'lp_profiles' })
@Unique({ name: 'lp_profiles_contact_fund_unique', properties: ['contact', 'fund'] })
@Index({ name: 'lp_profiles_fund_id_index', properties: ['fund'] })
// `search=` (see searchText).
@Index({
  name: 'lp_profiles_search_trgm_index',
  expression:
    'create index "lp_profiles_search_trgm_index" on "lp_profiles" using gin ("search_text" gin_trgm_ops)',
})
@Index({
  name: 'lp_profiles_custom_fields_index',
  expression:
    'create index "lp_profiles_custom_fields_index" on "lp_profiles" using gin ("custom_fields" jsonb_path_ops)',
})
@Check({ name: 'lp_profiles_commitment_amount_check', expression: `"commitment_amount" >= 0` })
@Check({ name: 'lp_profiles_funded_amount_check', expression: `"funded_amount" >= 0` })
@Check({
  name: 'lp_profiles_funded_le_commitment_check',
  expression: `"funded_amount" <= "commitment_amount"`,
})
@Check({ name: 'lp_profiles_currency_check', expression: `"currency" ~ '^[A-Z]{3}$'` })
export class LpProfile extends VersionedEntity<
  | 'commitmentAmount'
  | 'fundedAmount'
  | 'currency'
  | 'accredited'
  | 'legalDocsSigned'
  | 'wireReceived'
  | 'k1Sent'
> {
  @ManyToOne(() => Contact, { ref: true, deleteRule: 'restrict' })
  contact!: Ref<Contact>;

  @ManyToOne(() => Fund, { ref: true, deleteRule: 'restrict' })
  fund!: Ref<Fund>;

  @Property({ ...money, default: 0 })
  commitmentAmount: number = 0;

  @Property({ ...money, default: 0 })
  fundedAmount: number = 0;

  @Property({ type: 'string', length: 3, default: 'USD' })
  currency: string = 'USD';

  @Property({ type: 'date', nullable: true })
  commitmentDate?: string | null;

  @Enum({ items: () => InvestorType, nativeEnumName: 'investor_type', nullable: true })
  investorType?: InvestorType | null;

  @Property({ type: 'boolean', default: false })
  accredited: boolean = false;

  @Property({ type: 'boolean', default: false })
  legalDocsSigned: boolean = false;

  @Property({ type: 'date', nullable: true })
  signedDate?: string | null;

  @Property({ type: 'boolean', default: false })
  wireReceived: boolean = false;

  @Property({ type: 'date', nullable: true })
  wireDate?: string | null;

  @Property({ type: 'boolean', default: false, fieldName: 'k1_sent' })
  k1Sent: boolean = false;

  @Enum({ items: () => ContactMethod, nativeEnumName: 'contact_method', nullable: true })
  preferredCommunication?: ContactMethod | null;

  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  /**
   * What `search=` matches: the contact's names and email and its organization's name, lower-cased, one line
   * each. Written by PostgreSQL only (triggers of migration 20261207200000 follow renames); never loaded, never
   * in an answer.
   */
  @Property({ type: 'text', default: '', lazy: true, hidden: true })
  searchText?: string & Opt;
}
