import { Contact, ContactStatus, ContactType } from '../../modules/contacts/contact.entity.js';
import { pick, random, slug } from './sequence.js';
import { defineFactory } from './types.js';
import { FIRST_NAMES, LAST_NAMES, TITLES } from './words.js';

/** A prospect with a unique email; link an organization or owner through `data`. */
export const contactFactory = defineFactory<Contact>((em, data, seq) => {
  const rng = random(seq);
  const firstName = data.firstName ?? pick(rng, FIRST_NAMES);
  const lastName = data.lastName ?? pick(rng, LAST_NAMES);
  return em.create(Contact, {
    firstName,
    lastName,
    email: `${slug(firstName)}.${slug(lastName)}.${seq}@contacts.example`,
    phone: `+1 555 ${String(seq % 10_000).padStart(4, '0')}`,
    title: pick(rng, TITLES),
    contactType: ContactType.Prospect,
    status: ContactStatus.Active,
    ...data,
  });
});
