import {
  Check,
  Collection,
  Entity,
  Enum,
  Index,
  ManyToMany,
  ManyToOne,
  PrimaryKeyProp,
  Property,
} from '@mikro-orm/core';

import { SoftDeletableEntity } from '../../database/crm-base.entity.js';
import { Tag } from '../tags/tag.entity.js';

export enum OrganizationType {
  FamilyOffice = 'family_office',
  Pension = 'pension',
  Endowment = 'endowment',
  Foundation = 'foundation',
  SovereignWealth = 'sovereign_wealth',
  Insurance = 'insurance',
  FundOfFunds = 'fund_of_funds',
  WealthManager = 'wealth_manager',
  Corporate = 'corporate',
  Bank = 'bank',
  Individual = 'individual',
  Other = 'other',
}

@Entity({ tableName: 'organizations' })
@Index({ name: 'organizations_name_index', properties: ['name'] })
@Index({ name: 'organizations_type_index', properties: ['type'] })
@Index({ name: 'organizations_deleted_at_index', properties: ['deletedAt'] })
@Index({
  name: 'organizations_name_trgm_index',
  expression:
    'create index "organizations_name_trgm_index" on "organizations" using gin ("name" gin_trgm_ops)',
})
@Index({
  name: 'organizations_custom_fields_index',
  expression:
    'create index "organizations_custom_fields_index" on "organizations" using gin ("custom_fields" jsonb_path_ops)',
})
@Check({ name: 'organizations_name_check', expression: `"name" ~ '\\S'` })
export class Organization extends SoftDeletableEntity<'type' | 'tags'> {
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Enum({
    items: () => OrganizationType,
    nativeEnumName: 'organization_type',
    default: OrganizationType.Other,
  })
  type: OrganizationType = OrganizationType.Other;

  @Property({ type: 'string', length: 120, nullable: true })
  industry?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  website?: string | null;

  @Property({ type: 'string', length: 50, nullable: true })
  phone?: string | null;

  @Property({ type: 'string', length: 254, nullable: true })
  email?: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  address?: string | null;

  @Property({ type: 'string', length: 120, nullable: true })
  city?: string | null;

  @Property({ type: 'string', length: 120, nullable: true })
  state?: string | null;

  @Property({ type: 'string', length: 120, nullable: true })
  country?: string | null;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @ManyToMany({ entity: () => Tag, pivotEntity: () => OrganizationTag })
  tags = new Collection<Tag>(this);
}

/** organizations ⇄ tags, declared so "organizations with this tag" has its own index. */
@Entity({ tableName: 'organization_tags' })
@Index({ name: 'organization_tags_tag_id_index', properties: ['tag'] })
export class OrganizationTag {
  @ManyToOne(() => Organization, { primary: true, deleteRule: 'cascade' })
  organization!: Organization;

  @ManyToOne(() => Tag, { primary: true, deleteRule: 'cascade' })
  tag!: Tag;

  [PrimaryKeyProp]?: ['organization', 'tag'];
}
