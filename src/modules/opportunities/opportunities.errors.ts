import { type ConstraintMessages, invalidField } from '../../common/errors/index.js';

// The service checks all of these first; the database names them when a write slips past (races, other paths).
export const OPPORTUNITY_CONSTRAINTS: ConstraintMessages = {
  opportunities_lost_reason_check: invalidField('lostReason', 'is required when the stage is lost'),
  opportunities_probability_check: invalidField('probability', 'must be from 0 to 100'),
  opportunities_expected_amount_check: invalidField('expectedAmount', 'must not be negative'),
  opportunities_commitment_amount_check: invalidField('commitmentAmount', 'must not be negative'),
  opportunities_currency_check: invalidField('currency', 'must be a 3-letter currency code such as USD'),
  opportunities_name_check: invalidField('name', 'must not be blank'),
};
