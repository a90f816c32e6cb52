import { Tag } from '../../modules/tags/tag.entity.js';
import { type FactoryOptions, pick, random, seqOf } from './sequence.js';
import type { EntityManager, Overrides } from './types.js';
import { TAG_COLORS } from './words.js';

export function tagFactory(em: EntityManager, data: Overrides<Tag> = {}, options?: FactoryOptions): Tag {
  const seq = seqOf(options);
  return em.create(Tag, { name: `Tag ${seq}`, color: pick(random(seq), TAG_COLORS), ...data });
}
