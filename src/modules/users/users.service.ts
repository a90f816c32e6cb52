import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, raw } from '@mikro-orm/postgresql';

import { Role } from '../../common/auth/role.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';
import { ConflictError, NotFoundError } from '../../common/errors/index.js';
import { escapeLike } from '../../common/utils/sql.js';
import { AuditService } from '../audit/audit.service.js';
import { ApiToken } from '../auth/api-token.entity.js';
import { PasswordService } from './password.service.js';
import type { CreateUserDto, ListUsersQueryDto, MailPreferencesDto, UpdateUserDto } from './dto/user.dto.js';
import { UserResponseDto } from './dto/user.dto.js';
import { User } from './user.entity.js';
import { LastAdminError } from './users.errors.js';

/** The lazy columns holding credentials, loaded only where sign-in needs them. */
export const CREDENTIALS = [
  'passwordHash',
  'twoFactorSecret',
  'twoFactorPendingSecret',
  'recoveryCodeHashes',
] as const;

@Injectable()
export class UsersService {
  constructor(
    private readonly em: EntityManager,
    private readonly passwords: PasswordService,
    private readonly audit: AuditService,
  ) {}

  async list(query: ListUsersQueryDto): Promise<ListResponse<UserResponseDto>> {
    const where: FilterQuery<User> = {};
    if (query.role) where.role = query.role;
    if (query.search) {
      const like = `%${escapeLike(query.search)}%`;
      where.$or = [
        { username: { $ilike: like } },
        { email: { $ilike: like } },
        { fullName: { $ilike: like } },
      ];
    }
    const [users, total] = await findAndCountTotal(this.em, User, () => where, query, {
      orderBy: { username: 'asc' },
    });
    return listResponse(users.map(UserResponseDto.from), total, query);
  }

  async get(id: string): Promise<User> {
    const user = await this.em.findOne(User, id);
    if (!user) throw new NotFoundError('User', id);
    return user;
  }

  /** Case-insensitive match on username or email: people sign in with either. Loads the credentials too. */
  findByLogin(identifier: string): Promise<User | null> {
    const value = identifier.trim().toLowerCase();
    return this.em.findOne(
      User,
      { $or: [{ [raw('lower(username)')]: value }, { [raw('lower(email)')]: value }] },
      { populate: CREDENTIALS },
    );
  }

  async findByUsername(username: string): Promise<User> {
    const user = await this.findByLogin(username);
    if (!user || user.username.toLowerCase() !== username.trim().toLowerCase())
      throw new NotFoundError('User', username);
    return user;
  }

  async create(dto: CreateUserDto): Promise<User> {
    await this.passwords.assertAcceptable(dto.password, 'password', [dto.username, dto.email, dto.fullName]);
    await this.assertUnique(dto.username, dto.email);
    const user = this.em.create(User, {
      username: dto.username,
      email: dto.email,
      fullName: dto.fullName,
      role: dto.role,
      passwordHash: await this.passwords.hash(dto.password),
    });
    await this.em.flush();
    return user;
  }

  async update(id: string, dto: UpdateUserDto, actingUserId?: string): Promise<User> {
    const user = await this.get(id);
    const losesAdmin =
      user.role === Role.Admin &&
      user.isActive &&
      ((dto.role !== undefined && dto.role !== Role.Admin) || dto.isActive === false);
    if (losesAdmin && (await this.em.count(User, { role: Role.Admin, isActive: true })) <= 1)
      throw new LastAdminError();
    if (dto.isActive === false && id === actingUserId) {
      throw new ConflictError('CANNOT_DEACTIVATE_SELF', 'You cannot deactivate your own account');
    }
    if (dto.email !== undefined && dto.email.toLowerCase() !== user.email.toLowerCase()) {
      await this.assertUnique(undefined, dto.email);
      user.email = dto.email;
    }
    if (dto.fullName !== undefined) user.fullName = dto.fullName;
    if (dto.role !== undefined) user.role = dto.role;
    this.applyMailPreferences(user, dto);
    const revoked: ApiToken[] = [];
    if (dto.isActive !== undefined && dto.isActive !== user.isActive) {
      user.isActive = dto.isActive;
      // A deactivated user's sessions end now, not when their token expires; their API tokens are revoked
      // for good, so reactivating the account does not bring an integration's old key back to life.
      if (!dto.isActive) {
        user.tokenVersion += 1;
        revoked.push(...(await this.revokeTokens(user)));
      }
    }
    await this.em.flush();
    for (const token of revoked) {
      await this.audit.record({
        action: 'api_token.revoke',
        entityType: 'api_token',
        entityId: token.id,
        meta: { name: token.name, reason: 'user_deactivated' },
      });
    }
    return user;
  }

  /** Marks the user's live API tokens revoked (written by the caller's flush). */
  private async revokeTokens(user: User): Promise<ApiToken[]> {
    const tokens = await this.em.find(ApiToken, { user: user.id, revokedAt: null });
    const now = new Date();
    for (const token of tokens) token.revokedAt = now;
    return tokens;
  }

  /** Changes what mail the user receives (their own choice, or an admin's). */
  async setMailPreferences(id: string, dto: MailPreferencesDto): Promise<User> {
    const user = await this.get(id);
    this.applyMailPreferences(user, dto);
    await this.em.flush();
    return user;
  }

  private applyMailPreferences(user: User, dto: MailPreferencesDto): void {
    if (dto.digestEnabled !== undefined) user.digestEnabled = dto.digestEnabled;
    if (dto.remindersEnabled !== undefined) user.remindersEnabled = dto.remindersEnabled;
  }

  /** Sets a new password (policy checked) and ends every session of the user. */
  async setPassword(user: User, password: string, field = 'password'): Promise<void> {
    await this.passwords.assertAcceptable(password, field, [user.username, user.email, user.fullName]);
    user.passwordHash = await this.passwords.hash(password);
    user.tokenVersion += 1;
    user.failedLoginCount = 0;
    user.lockedUntil = null;
    await this.em.flush();
  }

  count(): Promise<number> {
    return this.em.count(User, {});
  }

  private async assertUnique(username: string | undefined, email: string): Promise<void> {
    const or: FilterQuery<User>[] = [{ [raw('lower(email)')]: email.toLowerCase() }];
    if (username) or.push({ [raw('lower(username)')]: username.toLowerCase() });
    const clash = await this.em.findOne(User, { $or: or });
    if (!clash) return;
    if (username && clash.username.toLowerCase() === username.toLowerCase()) {
      throw new ConflictError('USERNAME_TAKEN', 'username is already taken', [
        { field: 'username', message: 'is already taken' },
      ]);
    }
    throw new ConflictError('EMAIL_TAKEN', 'email is already used by another user', [
      { field: 'email', message: 'is already used by another user' },
    ]);
  }
}
