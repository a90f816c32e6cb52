export enum Role {
  Member = 'member',
  Manager = 'manager',
  Admin = 'admin',
}

export const ROLES: Role[] = [Role.Member, Role.Manager, Role.Admin];

const rank: Record<Role, number> = { [Role.Member]: 0, [Role.Manager]: 1, [Role.Admin]: 2 };

/** Roles are ordered: a manager may do what a member may, an admin what a manager may. */
export function roleAtLeast(role: Role, minimum: Role): boolean {
  return rank[role] >= rank[minimum];
}

export function rolesFrom(minimum: Role): Role[] {
  return ROLES.filter((r) => roleAtLeast(r, minimum));
}
