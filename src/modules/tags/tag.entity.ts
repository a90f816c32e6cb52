import { Check, Entity, Index, Property } from '@mikro-orm/core';

import { BaseEntity } from '../../common/entities/base.entity.js';

@Entity({ tableName: 'tags' })
@Index({
  name: 'tags_name_lower_unique',
  expression: 'create unique index "tags_name_lower_unique" on "tags" (lower("name"))',
})
@Check({ name: 'tags_color_check', expression: `"color" ~ '^#[0-9a-fA-F]{6}$'` })
@Check({ name: 'tags_name_check', expression: `"name" ~ '\\S'` })
export class Tag extends BaseEntity<'color'> {
  @Property({ type: 'string', length: 60 })
  name!: string;

  @Property({ type: 'string', length: 7, default: '#64748b' })
  color: string = '#64748b';
}
