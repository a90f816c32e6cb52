import { Entity, Enum, ManyToOne, Property, type Ref } from '@mikro-orm/core';

import { Role } from '../../common/auth/role.js';
import { BaseEntity } from '../../common/entities/base.entity.js';
import { User } from '../users/user.entity.js';

@Entity({ tableName: 'api_tokens' })
export class ApiToken extends BaseEntity {
  @Property({ type: 'string', length: 100 })
  name!: string;

  @Enum({ items: () => Role, nativeEnumName: 'user_role' })
  role!: Role;

  @ManyToOne(() => User, { ref: true, deleteRule: 'cascade', index: 'api_tokens_user_id_index' })
  user!: Ref<User>;

  /** SHA-256 of the whole token; the token itself is shown once and never stored. */
  @Property({ type: 'string', length: 64, unique: 'api_tokens_token_hash_unique', hidden: true })
  tokenHash!: string;

  /** The first characters of the token, so people can tell their tokens apart. */
  @Property({ type: 'string', length: 16 })
  tokenPrefix!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
