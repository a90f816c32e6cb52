import { Tag } from '../../modules/tags/tag.entity.js';
import { pick, random } from './sequence.js';
import { defineFactory } from './types.js';
import { TAG_COLORS } from './words.js';

export const tagFactory = defineFactory<Tag>((em, data, seq) => {
  return em.create(Tag, { name: `Tag ${seq}`, color: pick(random(seq), TAG_COLORS), ...data });
});
