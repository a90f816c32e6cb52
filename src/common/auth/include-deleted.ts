import { ForbiddenError } from '../errors/index.js';
import type { AuthUser } from './auth-user.js';
import { Role, roleAtLeast } from './role.js';

/** `includeDeleted=true` is for managers and admins (they are the ones who restore). */
export function assertMayIncludeDeleted(caller: AuthUser, includeDeleted: boolean | undefined): void {
  if (includeDeleted && !roleAtLeast(caller.role, Role.Manager)) {
    throw new ForbiddenError('includeDeleted=true requires the role manager or admin');
  }
}
