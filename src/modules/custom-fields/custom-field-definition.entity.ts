import { Check, Entity, Enum, Property, Unique } from '@mikro-orm/core';

import { BaseEntity } from '../../common/entities/base.entity.js';

export enum CustomFieldEntityType {
  Contact = 'contact',
  Organization = 'organization',
  Opportunity = 'opportunity',
  LpProfile = 'lp_profile',
}

export enum CustomFieldType {
  Text = 'text',
  LongText = 'long_text',
  Number = 'number',
  Currency = 'currency',
  Date = 'date',
  Boolean = 'boolean',
  Select = 'select',
  MultiSelect = 'multi_select',
  Url = 'url',
  Email = 'email',
}

/**
 * The expression index of a number, currency or date field (null for other types): built CONCURRENTLY after the
 * definition's change commits (see CustomFieldIndexes), so `building` until it is usable.
 */
export enum CustomFieldIndexStatus {
  Building = 'building',
  Ready = 'ready',
  Failed = 'failed',
}

/** A typed field the fund adds to contacts, organizations, opportunities or LP profiles at run time. */
@Entity({ tableName: 'custom_field_definitions' })
@Unique({ name: 'custom_field_definitions_entity_key_unique', properties: ['entityType', 'key'] })
@Check({ name: 'custom_field_definitions_key_check', expression: `"key" ~ '^[a-z][a-z0-9_]{0,62}$'` })
@Check({ name: 'custom_field_definitions_label_check', expression: `"label" ~ '\\S'` })
export class CustomFieldDefinition extends BaseEntity<'options' | 'required' | 'displayOrder'> {
  @Enum({ items: () => CustomFieldEntityType, nativeEnumName: 'custom_field_entity_type' })
  entityType!: CustomFieldEntityType;

  /** Stable snake_case name used in the API (`customFields.<key>`, `cf.<key>=`); cannot change once values exist. */
  @Property({ type: 'string', length: 63 })
  key!: string;

  @Property({ type: 'string', length: 100 })
  label!: string;

  @Enum({ items: () => CustomFieldType, nativeEnumName: 'custom_field_type' })
  fieldType!: CustomFieldType;

  /** The choices of a select or multi_select field. */
  @Property({ type: 'json', columnType: 'jsonb', default: '[]' })
  options: string[] = [];

  @Property({ type: 'boolean', default: false })
  required: boolean = false;

  @Property({ type: 'integer', default: 0 })
  displayOrder: number = 0;

  @Property({ type: 'string', length: 500, nullable: true })
  helpText?: string | null;

  @Enum({ items: () => CustomFieldIndexStatus, nativeEnumName: 'custom_field_index_status', nullable: true })
  indexStatus?: CustomFieldIndexStatus | null;
}
