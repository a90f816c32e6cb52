import { Communication, CommunicationType } from '../../modules/communications/communication.entity.js';
import { contactFactory } from './contact.factory.js';
import { type FactoryOptions, pick, random, seqOf } from './sequence.js';
import type { EntityManager, Overrides } from './types.js';
import { SUBJECTS } from './words.js';

/** An email by default; with neither a contact nor an opportunity given, a contact is built for it. */
export function communicationFactory(
  em: EntityManager,
  data: Overrides<Communication> = {},
  options?: FactoryOptions,
): Communication {
  const seq = seqOf(options);
  const subject = pick(random(seq), SUBJECTS);
  const contact = data.contact ?? (data.opportunity ? null : contactFactory(em, {}, { seq }));
  return em.create(Communication, {
    type: CommunicationType.Email,
    subject,
    body: `${subject}: notes #${seq}.`,
    ...data,
    contact,
  });
}
