import { Contact, ContactType } from '../../modules/contacts/contact.entity.js';
import { LpProfile } from '../../modules/lp-profiles/lp-profile.entity.js';
import { contactFactory } from './contact.factory.js';
import { fundFactory } from './fund.factory.js';
import { defineFactory } from './types.js';

/**
 * A commitment of a contact to a fund (both built when not given). Like the API, it makes the contact an
 * investor. Defaults to committed and not yet funded.
 */
export const lpProfileFactory = defineFactory<LpProfile>((em, data, seq) => {
  const contact = data.contact ?? contactFactory(em, {}, { seq });
  if (contact instanceof Contact) contact.contactType = ContactType.Investor;
  return em.create(LpProfile, {
    commitmentAmount: 1_000_000 * (1 + (seq % 10)),
    fundedAmount: 0,
    accredited: true,
    ...data,
    contact,
    fund: data.fund ?? fundFactory(em, {}, { seq }),
  });
});
