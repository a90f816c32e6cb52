import { type ActionContext, type CurrentAdmin, ForbiddenError } from 'adminjs';

import type { AuthUser } from '../../common/auth/auth-user.js';
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

/** The signed-in user as the API's services know a caller (they stamp createdBy, deletedBy, stage changes). */
export function adminCaller(context: { currentAdmin?: CurrentAdmin }): AuthUser {
  const user = adminUser(context);
  if (!user) throw new ForbiddenError('Sign in first');
  // twoFactorEnabled is not read by the services (a back office session exists only after the second factor).
  return { id: user.id, username: user.username, role: user.role, twoFactorEnabled: false, via: 'jwt' };
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
