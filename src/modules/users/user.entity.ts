import { Check, Entity, Enum, Index, Property } from '@mikro-orm/core';

import { Role } from '../../common/auth/role.js';
import { BaseEntity } from '../../common/entities/base.entity.js';

@Entity({ tableName: 'users' })
@Check({
  name: 'users_username_format_check',
  expression: `"username" ~ '^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$'`,
})
@Check({ name: 'users_email_format_check', expression: `"email" ~ '^[^@\\s]+@[^@\\s]+$'` })
@Check({
  name: 'users_two_factor_check',
  expression: '(not "two_factor_enabled") or ("two_factor_secret" is not null)',
})
@Index({
  name: 'users_username_lower_unique',
  expression: 'create unique index "users_username_lower_unique" on "users" (lower("username"))',
})
@Index({
  name: 'users_email_lower_unique',
  expression: 'create unique index "users_email_lower_unique" on "users" (lower("email"))',
})
export class User extends BaseEntity<
  | 'isActive'
  | 'failedLoginCount'
  | 'tokenVersion'
  | 'twoFactorEnabled'
  | 'recoveryCodeHashes'
  | 'role'
  | 'digestEnabled'
  | 'remindersEnabled'
> {
  @Property({ type: 'string', length: 64 })
  username!: string;

  @Property({ type: 'string', length: 254 })
  email!: string;

  @Property({ type: 'string', length: 200 })
  fullName!: string;

  @Enum({ items: () => Role, nativeEnumName: 'user_role', default: Role.Member })
  role: Role = Role.Member;

  @Property({ type: 'boolean', default: true })
  isActive: boolean = true;

  /** argon2id. Never leaves the server: responses are built from UserResponseDto, not from this entity. */
  @Property({ type: 'text', lazy: true, hidden: true })
  passwordHash!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastLoginAt?: Date | null;

  @Property({ type: 'integer', default: 0 })
  failedLoginCount: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lockedUntil?: Date | null;

  /** Part of every JWT; bumped to invalidate all of the user's sessions (password change, deactivation, 2FA off). */
  @Property({ type: 'integer', default: 0 })
  tokenVersion: number = 0;

  @Property({ type: 'boolean', default: false })
  twoFactorEnabled: boolean = false;

  /** AES-256-GCM ciphertext of the confirmed TOTP secret. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  twoFactorSecret?: string | null;

  /** AES-256-GCM ciphertext of a secret from /2fa/setup, until /2fa/enable confirms it. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  twoFactorPendingSecret?: string | null;

  /** Last accepted TOTP time step: a code is never accepted twice. */
  @Property({ type: 'bigint', nullable: true, hidden: true })
  twoFactorLastStep?: string | null;

  /** Receives the daily digest mail (the user can opt out). */
  @Property({ type: 'boolean', default: true })
  digestEnabled: boolean = true;

  /** Receives a mail when one of their tasks falls due. */
  @Property({ type: 'boolean', default: true })
  remindersEnabled: boolean = true;

  /** SHA-256 of each unused recovery code (they are random, 50+ bits, so a fast hash is enough). */
  @Property({ type: 'json', columnType: 'jsonb', default: '[]', lazy: true, hidden: true })
  recoveryCodeHashes: string[] = [];
}
