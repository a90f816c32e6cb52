import { ConflictError, type ConstraintMessages, invalidField } from '../../common/errors/index.js';

/** The service checks these first; the database names them when a write slips past (races, other paths). */
export const FUND_CONSTRAINTS: ConstraintMessages = {
  funds_name_lower_unique: {
    code: 'FUND_EXISTS',
    field: 'name',
    message: 'a fund with this name already exists',
  },
  funds_name_check: invalidField('name', 'must not be blank'),
  funds_target_amount_check: invalidField('targetAmount', 'must not be negative'),
  funds_vintage_year_check: invalidField('vintageYear', 'must be between 1900 and 2200'),
  funds_currency_check: invalidField('currency', 'must be a 3-letter currency code such as USD'),
};

export class FundExistsError extends ConflictError {
  constructor() {
    super('FUND_EXISTS', 'a fund with this name already exists', [
      { field: 'name', message: 'already exists' },
    ]);
  }
}

export class FundInUseError extends ConflictError {
  constructor(name: string, opportunities: number, lpProfiles: number) {
    super(
      'FUND_IN_USE',
      `${name} is still referenced by ${opportunities} opportunit${opportunities === 1 ? 'y' : 'ies'} ` +
        `(deleted ones included) and ${lpProfiles} LP profile${lpProfiles === 1 ? '' : 's'}; ` +
        'move or remove them first, or mark the fund closed',
      { opportunities, lpProfiles },
    );
  }
}
