import type { ConstraintMessages } from '../../common/errors/index.js';

/** The race-safety net behind the service's key check: PostgreSQL refuses the second of two equal saves. */
export const CUSTOM_FIELD_CONSTRAINTS: ConstraintMessages = {
  custom_field_definitions_entity_key_unique: {
    code: 'CUSTOM_FIELD_EXISTS',
    field: 'key',
    message: 'this entity type already has a custom field with this key',
  },
};
