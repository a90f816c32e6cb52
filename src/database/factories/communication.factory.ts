import { Communication, CommunicationType } from '../../modules/communications/communication.entity.js';
import { contactFactory } from './contact.factory.js';
import { pick, random } from './sequence.js';
import { defineFactory } from './types.js';
import { SUBJECTS } from './words.js';

/** An email by default; with neither a contact nor an opportunity given, a contact is built for it. */
export const communicationFactory = defineFactory<Communication>((em, data, seq) => {
  const subject = pick(random(seq), SUBJECTS);
  const contact = data.contact ?? (data.opportunity ? null : contactFactory(em, {}, { seq }));
  return em.create(Communication, {
    type: CommunicationType.Email,
    subject,
    body: `${subject}: notes #${seq}.`,
    ...data,
    contact,
  });
});
