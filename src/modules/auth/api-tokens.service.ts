import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { Role, roleAtLeast } from '../../common/auth/role.js';
import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';
import { NotFoundError, ValidationError } from '../../common/errors/index.js';
import { AuditService } from '../audit/audit.service.js';
import { User } from '../users/user.entity.js';
import { ApiToken } from './api-token.entity.js';
import { CredentialCache } from './credential-cache.js';
import { CryptoService } from './crypto.service.js';
import {
  ApiTokenResponseDto,
  type CreateApiTokenDto,
  type CreatedApiTokenDto,
  type ListApiTokensQueryDto,
} from './dto/api-token.dto.js';

export const API_TOKEN_PREFIX = 'vcrm_';
/** lastUsedAt is written at most this often per token, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

interface TokenFacts {
  id: string;
  name: string;
  role: Role;
  revokedAt: Date | null;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  owner: Pick<User, 'id' | 'username' | 'role' | 'isActive' | 'twoFactorEnabled'>;
}

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly em: EntityManager,
    private readonly crypto: CryptoService,
    private readonly audit: AuditService,
    private readonly cache: CredentialCache,
  ) {}

  async create(caller: AuthUser, dto: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    if (!roleAtLeast(caller.role, dto.role)) {
      throw ValidationError.field('role', `cannot be higher than your own role (${caller.role})`);
    }
    if (dto.expiresAt && dto.expiresAt.getTime() <= Date.now()) {
      throw ValidationError.field('expiresAt', 'must be in the future');
    }
    const token = API_TOKEN_PREFIX + randomBytes(30).toString('base64url');
    const entity = this.em.create(ApiToken, {
      name: dto.name,
      role: dto.role,
      user: this.em.getReference(User, caller.id),
      tokenHash: this.crypto.sha256(token),
      tokenPrefix: token.slice(0, 12),
      expiresAt: dto.expiresAt ?? null,
    });
    await this.em.flush();
    await this.audit.record({
      action: 'api_token.create',
      entityType: 'api_token',
      entityId: entity.id,
      meta: { name: entity.name, role: entity.role, expiresAt: entity.expiresAt ?? null },
    });
    return {
      id: entity.id,
      name: entity.name,
      role: entity.role,
      token,
      expiresAt: entity.expiresAt ?? null,
    };
  }

  /** Own tokens; admins see everyone's. */
  async list(caller: AuthUser, query: ListApiTokensQueryDto): Promise<ListResponse<ApiTokenResponseDto>> {
    const where: FilterQuery<ApiToken> = caller.role === Role.Admin ? {} : { user: caller.id };
    const [tokens, total] = await findAndCountTotal(this.em, ApiToken, () => where, query, {
      populate: ['user'],
      orderBy: { createdAt: 'desc' },
    });
    return listResponse(tokens.map(ApiTokenResponseDto.from), total, query);
  }

  async revoke(caller: AuthUser, id: string): Promise<void> {
    const where: FilterQuery<ApiToken> = caller.role === Role.Admin ? { id } : { id, user: caller.id };
    const token = await this.em.findOne(ApiToken, where);
    if (!token) throw new NotFoundError('API token', id);
    if (token.revokedAt) return;
    token.revokedAt = new Date();
    await this.em.flush();
    await this.audit.record({
      action: 'api_token.revoke',
      entityType: 'api_token',
      entityId: token.id,
      meta: { name: token.name },
    });
  }

  /** The caller behind a token, or undefined if it is unknown, revoked, expired or its owner is inactive. */
  async authenticate(token: string): Promise<AuthUser | undefined> {
    if (!token.startsWith(API_TOKEN_PREFIX)) return undefined;
    const hash = this.crypto.sha256(token);
    const found = await this.cache.get('api-token', hash, () => this.tokenByHash(hash));
    if (!found || found.revokedAt || (found.expiresAt && found.expiresAt.getTime() <= Date.now()))
      return undefined;
    const { owner } = found;
    if (!owner.isActive) return undefined;
    if (!found.lastUsedAt || Date.now() - found.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      found.lastUsedAt = new Date();
      await this.em.nativeUpdate(ApiToken, { id: found.id }, { lastUsedAt: found.lastUsedAt });
    }
    return {
      id: owner.id,
      username: owner.username,
      role: roleAtLeast(owner.role, found.role) ? found.role : owner.role,
      twoFactorEnabled: owner.twoFactorEnabled,
      via: 'api-token',
      tokenId: found.id,
      tokenName: found.name,
    };
  }

  /** What authenticating needs of a token and its owner (cached: see CredentialCache). */
  private async tokenByHash(tokenHash: string): Promise<{ value: TokenFacts; userId: string } | undefined> {
    const found = await this.em.findOne(ApiToken, { tokenHash }, { populate: ['user'] });
    if (!found) return undefined;
    const owner = found.user.getEntity();
    const value: TokenFacts = {
      id: found.id,
      name: found.name,
      role: found.role,
      revokedAt: found.revokedAt ?? null,
      expiresAt: found.expiresAt ?? null,
      lastUsedAt: found.lastUsedAt ?? null,
      owner: {
        id: owner.id,
        username: owner.username,
        role: owner.role,
        isActive: owner.isActive,
        twoFactorEnabled: owner.twoFactorEnabled,
      },
    };
    return { value, userId: owner.id };
  }
}
