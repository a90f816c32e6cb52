import type { EntityClass } from '@mikro-orm/core';

import { AuditLog } from '../modules/audit/audit-log.entity.js';
import { ApiToken } from '../modules/auth/api-token.entity.js';
import { User } from '../modules/users/user.entity.js';

/** Every entity of the app, listed explicitly (no folder globbing: works the same from src/ and dist/). */
export const ENTITIES: EntityClass<unknown>[] = [User, ApiToken, AuditLog];
