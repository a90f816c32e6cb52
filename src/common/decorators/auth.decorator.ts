import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

import { Role, rolesFrom } from '../auth/role.js';

export const IS_PUBLIC_KEY = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** The only way out of authentication. Use it on purpose: login, health, docs. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/**
 * Who may call a route: signed-in users whose role is at least `minimum`. Sets the guard's metadata and
 * the Swagger security entry together, so the documentation cannot drift from the policy.
 */
export function Auth(minimum: Role = Role.Member): MethodDecorator & ClassDecorator {
  const roles = rolesFrom(minimum);
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing, expired or revoked token' }),
    ApiForbiddenResponse({ description: `Requires role: ${roles.join(' or ')}` }),
  );
}

export const ALLOW_WITHOUT_2FA_KEY = 'auth:allowWithout2fa';

/** With REQUIRE_2FA=true, only routes marked so (2FA enrolment, /me) are open to users who have not enrolled. */
export const AllowWithoutTwoFactor = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOW_WITHOUT_2FA_KEY, true);

export const SESSION_ONLY_KEY = 'auth:sessionOnly';

/** Credentials (password, 2FA, API tokens) are managed from a signed-in session, never with an API token. */
export const SessionOnly = (): MethodDecorator & ClassDecorator => SetMetadata(SESSION_ONLY_KEY, true);
