import { Check, Entity, Enum, Index, Property } from '@mikro-orm/core';

import { BaseEntity } from '../../common/entities/base.entity.js';
import { money } from '../../common/entities/money.js';

export enum FundStatus {
  Raising = 'raising',
  Closed = 'closed',
}

@Entity({ tableName: 'funds' })
@Index({
  name: 'funds_name_lower_unique',
  expression: 'create unique index "funds_name_lower_unique" on "funds" (lower("name"))',
})
@Check({ name: 'funds_name_check', expression: `"name" ~ '\\S'` })
@Check({ name: 'funds_target_amount_check', expression: `"target_amount" is null or "target_amount" >= 0` })
@Check({
  name: 'funds_vintage_year_check',
  expression: `"vintage_year" is null or ("vintage_year" >= 1900 and "vintage_year" <= 2200)`,
})
@Check({ name: 'funds_currency_check', expression: `"currency" ~ '^[A-Z]{3}$'` })
export class Fund extends BaseEntity<'status' | 'currency'> {
  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ ...money, nullable: true })
  targetAmount?: number | null;

  @Property({ type: 'string', length: 3, default: 'USD' })
  currency: string = 'USD';

  @Property({ type: 'integer', nullable: true })
  vintageYear?: number | null;

  @Enum({ items: () => FundStatus, nativeEnumName: 'fund_status', default: FundStatus.Raising })
  status: FundStatus = FundStatus.Raising;
}
