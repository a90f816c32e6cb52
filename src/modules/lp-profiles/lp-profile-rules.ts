import { assignFields } from '../../common/entities/fields.js';
import { ValidationError } from '../../common/errors/index.js';
import { type Contact, ContactType } from '../contacts/contact.entity.js';
import type { UpdateLpProfileDto } from './dto/lp-profile.dto.js';
import type { LpProfile } from './lp-profile.entity.js';

/**
 * The LP-profile rules the API and the import share: one profile per contact per fund (the service's
 * assertFree and the import's dedupe), the contact becomes an investor, funded ≤ committed.
 */

/** Fields a PUT replaces (absent ones are cleared to these: flags to false) and a PATCH may set; null clears. */
const OPTIONAL_FIELDS = {
  currency: 'USD',
  commitmentDate: null,
  signedDate: null,
  wireDate: null,
  investorType: null,
  preferredCommunication: null,
  notes: null,
  accredited: false,
  legalDocsSigned: false,
  wireReceived: false,
  k1Sent: false,
};

/** An LP is an investor, whatever the contact was before. Returns whether the contact changed. */
export function makeInvestor(contact: Contact): boolean {
  if (contact.contactType === ContactType.Investor) return false;
  contact.contactType = ContactType.Investor;
  return true;
}

/**
 * Currency, amounts, dates, flags and notes; the funded ≤ committed rule is checked on the values that result, before
 * anything is changed (a 400 naming fundedAmount).
 */
export function applyLpProfileFields(lp: LpProfile, dto: UpdateLpProfileDto, replaceAll: boolean): void {
  const commitment =
    replaceAll || dto.commitmentAmount !== undefined ? (dto.commitmentAmount ?? 0) : lp.commitmentAmount;
  const funded = replaceAll || dto.fundedAmount !== undefined ? (dto.fundedAmount ?? 0) : lp.fundedAmount;
  if (funded > commitment) {
    throw ValidationError.field(
      'fundedAmount',
      `must not exceed commitmentAmount (${funded} > ${commitment})`,
    );
  }
  lp.commitmentAmount = commitment;
  lp.fundedAmount = funded;
  assignFields(lp, dto, OPTIONAL_FIELDS, replaceAll);
}
