import type { ActionContext, CurrentAdmin } from 'adminjs';

import { Role, roleAtLeast } from '../../common/auth/role.js';

/** What the back office keeps about the signed-in user in its session (and shows in the top bar). */
export interface AdminUser extends CurrentAdmin {
  id: string;
  email: string;
  username: string;
  title: string;
  role: Role;
  /** The user's tokenVersion at sign-in: a password change, 2FA reset or deactivation ends the session. */
  tokenVersion: number;
}

export function adminUser(context: { currentAdmin?: CurrentAdmin }): AdminUser | undefined {
  return context.currentAdmin as AdminUser | undefined;
}

/** `isAccessible` / `isVisible` for actions: the signed-in user has at least this role (SPEC.md role table). */
export const atLeast =
  (minimum: Role) =>
  (context: ActionContext): boolean => {
    const user = adminUser(context);
    return !!user && roleAtLeast(user.role, minimum);
  };

export const isManager = atLeast(Role.Manager);
export const isAdmin = atLeast(Role.Admin);
export const nobody = (): boolean => false;
