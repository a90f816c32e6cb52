import { ConflictError, type ConstraintMessages, invalidField } from '../../common/errors/index.js';

const EXISTS = 'this contact already has an LP profile in this fund';

// The service checks all of these first; the database names them when a write slips past (races, other paths).
export const LP_PROFILE_CONSTRAINTS: ConstraintMessages = {
  lp_profiles_contact_fund_unique: { code: 'LP_PROFILE_EXISTS', field: 'fundId', message: EXISTS },
  lp_profiles_funded_le_commitment_check: invalidField('fundedAmount', 'must not exceed commitmentAmount'),
  lp_profiles_commitment_amount_check: invalidField('commitmentAmount', 'must not be negative'),
  lp_profiles_funded_amount_check: invalidField('fundedAmount', 'must not be negative'),
  lp_profiles_currency_check: invalidField('currency', 'must be a 3-letter currency code such as USD'),
};

export class LpProfileExistsError extends ConflictError {
  constructor(existingId: string) {
    super('LP_PROFILE_EXISTS', EXISTS, [{ field: 'fundId', message: EXISTS, existingId }]);
  }
}
