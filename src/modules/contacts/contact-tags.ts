import type { Tag } from '../tags/tag.entity.js';
import type { Contact } from './contact.entity.js';

/**
 * Sets a contact's tags (the collection must be loaded). MikroORM does not count a change of a
 * many-to-many collection as a change of the row, so the version would stay and a stale edit of the tags
 * would go unnoticed: touching updatedAt makes the row change, and with it the version.
 */
export function setContactTags(contact: Contact, tags: Tag[]): void {
  const before = new Set(contact.tags.getItems().map((t) => t.id));
  const after = new Set(tags.map((t) => t.id));
  if (before.size === after.size && [...after].every((id) => before.has(id))) return;
  contact.tags.set(tags);
  contact.updatedAt = new Date();
}
