import type { ConstraintMessages } from '../../common/errors/index.js';

/** The race-safety net behind the service's name check: PostgreSQL refuses the second of two equal saves. */
export const TAG_CONSTRAINTS: ConstraintMessages = {
  tags_name_lower_unique: {
    code: 'TAG_EXISTS',
    field: 'name',
    message: 'a tag with this name already exists',
  },
};
