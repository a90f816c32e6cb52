import { describe, expect, it } from '@jest/globals';

import { type Contact, ContactType } from '../contacts/contact.entity.js';
import { applyLpProfileFields, makeInvestor } from './lp-profile-rules.js';
import type { LpProfile } from './lp-profile.entity.js';

const profile = (fields: Partial<LpProfile> = {}): LpProfile =>
  ({
    commitmentAmount: 100,
    fundedAmount: 40,
    currency: 'EUR',
    accredited: true,
    notes: 'kept',
    ...fields,
  }) as LpProfile;

describe('applyLpProfileFields (funded ≤ committed, PUT clears, PATCH keeps)', () => {
  it('a PATCH of one amount is checked against the stored other', () => {
    expect(() => applyLpProfileFields(profile(), { fundedAmount: 101 }, false)).toThrow(
      'fundedAmount: must not exceed commitmentAmount (101 > 100)',
    );
    expect(() => applyLpProfileFields(profile(), { commitmentAmount: 39 }, false)).toThrow(
      'fundedAmount: must not exceed commitmentAmount (40 > 39)',
    );
    const lp = profile();
    applyLpProfileFields(lp, { fundedAmount: 100 }, false);
    expect(lp).toMatchObject({ commitmentAmount: 100, fundedAmount: 100, currency: 'EUR', notes: 'kept' });
  });

  it('a refusal changes nothing', () => {
    const lp = profile();
    expect(() => applyLpProfileFields(lp, { fundedAmount: 500, notes: 'new' }, false)).toThrow();
    expect(lp).toMatchObject({ commitmentAmount: 100, fundedAmount: 40, notes: 'kept' });
  });

  it('a PUT sets every field: amounts left out are 0, flags false, currency USD, the rest cleared', () => {
    const lp = profile();
    applyLpProfileFields(lp, { commitmentAmount: 10 }, true);
    expect(lp).toMatchObject({
      commitmentAmount: 10,
      fundedAmount: 0,
      currency: 'USD',
      accredited: false,
      notes: null,
    });
  });
});

describe('makeInvestor', () => {
  it('makes a contact an investor, and says whether it changed', () => {
    const contact = { contactType: ContactType.Prospect } as Contact;
    expect(makeInvestor(contact)).toBe(true);
    expect(contact.contactType).toBe(ContactType.Investor);
    expect(makeInvestor(contact)).toBe(false);
  });
});
