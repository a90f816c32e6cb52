import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import type { Role } from '../../common/auth/role.js';
import { ValidationError } from '../../common/errors/index.js';
import { AppConfig } from '../../config/app-config.js';
import { AuditService } from '../audit/audit.service.js';
import { UserResponseDto } from '../users/dto/user.dto.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { InvalidCredentialsError, InvalidTwoFactorCodeError } from './auth.errors.js';
import { CredentialCache } from './credential-cache.js';
import { CHALLENGE_TTL_SECONDS, type JwtPayload } from './jwt-payload.js';
import { PasswordService } from '../users/password.service.js';
import { TwoFactorService } from './two-factor.service.js';
import { VerifiedJwts } from './verified-jwts.js';

export interface SignedIn {
  token: string;
  expiresAt: string;
  user: UserResponseDto;
  /** True when REQUIRE_2FA is on and the user must enrol before doing anything else. */
  twoFactorSetupRequired?: boolean;
}

export interface TwoFactorChallenge {
  twoFactorRequired: true;
  challengeToken: string;
}

interface SessionUserRow {
  id: string;
  username: string;
  role: Role;
  isActive: boolean;
  tokenVersion: number;
  twoFactorEnabled: boolean;
}

/** What a password check concluded; the AdminJS login uses the same steps as the API. */
export type CredentialCheck = { user: User; twoFactorRequired: boolean } | undefined;

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  private readonly verified = new VerifiedJwts<JwtPayload & { exp?: number }>();

  constructor(
    private readonly em: EntityManager,
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly twoFactor: TwoFactorService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly cache: CredentialCache,
  ) {}

  async login(identifier: string, password: string): Promise<SignedIn | TwoFactorChallenge> {
    const check = await this.checkPassword(identifier, password);
    if (!check) throw new InvalidCredentialsError();
    if (check.twoFactorRequired) {
      const challengeToken = await this.jwt.signAsync(
        { sub: check.user.id, tv: check.user.tokenVersion, typ: '2fa' } satisfies JwtPayload,
        { expiresIn: CHALLENGE_TTL_SECONDS },
      );
      return { twoFactorRequired: true, challengeToken };
    }
    return this.completeSignIn(check.user, 'password');
  }

  async verifyTwoFactor(challengeToken: string, code: string): Promise<SignedIn> {
    const payload = await this.jwt.verifyAsync<JwtPayload>(challengeToken).catch(() => undefined);
    if (!payload || payload.typ !== '2fa') throw new InvalidTwoFactorCodeError();
    const user = await this.em.findOne(User, payload.sub);
    if (!user || !this.canSignIn(user) || user.tokenVersion !== payload.tv)
      throw new InvalidTwoFactorCodeError();
    const used = await this.checkSecondFactor(user, code);
    if (!used) throw new InvalidTwoFactorCodeError();
    return this.completeSignIn(user, used);
  }

  /**
   * The password step, shared by the API and /admin: lockout, deactivation and failures are handled and
   * audited here; the caller only learns "no" (undefined) or the user.
   */
  async checkPassword(identifier: string, password: string): Promise<CredentialCheck> {
    const user = await this.users.findByLogin(identifier);
    const valid = await this.passwords.verify(user?.passwordHash, password);
    if (!user) {
      await this.audit.record({
        action: 'auth.login.failure',
        meta: { identifier: identifier.slice(0, 200), reason: 'unknown_user' },
      });
      return undefined;
    }
    if (this.isLocked(user)) {
      await this.auditFailure(user, 'locked');
      return undefined;
    }
    if (!valid) {
      await this.registerFailure(user, 'wrong_password');
      return undefined;
    }
    if (!user.isActive) {
      await this.auditFailure(user, 'inactive');
      return undefined;
    }
    return { user, twoFactorRequired: user.twoFactorEnabled };
  }

  /** The second step (TOTP or recovery code): failures count toward the same lockout as passwords. */
  async checkSecondFactor(user: User, code: string): Promise<'totp' | 'recovery' | undefined> {
    if (this.isLocked(user)) return undefined;
    const used = await this.twoFactor.verifyCode(user, code);
    if (!used) await this.registerFailure(user, 'wrong_2fa_code');
    return used;
  }

  /** Resets the failure count, stamps lastLoginAt and audits a successful sign-in. */
  async recordSuccess(user: User, method: string): Promise<void> {
    user.failedLoginCount = 0;
    user.lockedUntil = null;
    user.lastLoginAt = new Date();
    await this.em.flush();
    await this.audit.record({
      action: 'auth.login.success',
      entityType: 'user',
      entityId: user.id,
      actor: { userId: user.id, label: user.username },
      meta: { method },
    });
  }

  async changePassword(caller: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findByLogin(caller.username);
    if (!user || !(await this.passwords.verify(user.passwordHash, currentPassword))) {
      throw ValidationError.field('currentPassword', 'is not your current password');
    }
    if (currentPassword === newPassword)
      throw ValidationError.field('newPassword', 'must differ from the current password');
    await this.users.setPassword(user, newPassword, 'newPassword');
    await this.audit.record({ action: 'auth.password.change', entityType: 'user', entityId: user.id });
  }

  /** The caller behind an access JWT: undefined unless it is signed with JWT_SECRET (HS256) and unexpired. */
  userFromJwt(token: string): Promise<AuthUser | undefined> {
    const payload = this.verified.payload(token, (t) => this.jwt.verify<JwtPayload>(t));
    return payload ? this.userFromAccessToken(payload) : Promise.resolve(undefined);
  }

  /** The caller behind a verified access token, or undefined when the user is gone, inactive or signed out. */
  async userFromAccessToken(payload: JwtPayload): Promise<AuthUser | undefined> {
    if (payload.typ !== 'access' || typeof payload.sub !== 'string') return undefined;
    // Runs on every request: kept in memory between changes (CredentialCache); read as a plain row on a miss.
    const sub = payload.sub;
    const user = await this.cache.get('session-user', sub, async () => {
      const [row] = await this.em.getConnection().execute<SessionUserRow[]>(
        `select id, username, role, is_active as "isActive", token_version as "tokenVersion",
                two_factor_enabled as "twoFactorEnabled"
           from users where id = ?`,
        [sub],
      );
      return row && { value: row, userId: row.id };
    });
    if (!user || !user.isActive || user.tokenVersion !== payload.tv) return undefined;
    return {
      id: user.id,
      username: user.username,
      role: user.role,
      twoFactorEnabled: user.twoFactorEnabled,
      via: 'jwt',
    };
  }

  private async completeSignIn(user: User, method: string): Promise<SignedIn> {
    await this.recordSuccess(user, method);
    const token = await this.jwt.signAsync({
      sub: user.id,
      tv: user.tokenVersion,
      typ: 'access',
    } satisfies JwtPayload);
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    const signedIn: SignedIn = {
      token,
      expiresAt: new Date(exp * 1000).toISOString(),
      user: UserResponseDto.from(user),
    };
    if (this.config.auth.require2fa && !user.twoFactorEnabled) signedIn.twoFactorSetupRequired = true;
    return signedIn;
  }

  private canSignIn(user: User): boolean {
    return user.isActive && !this.isLocked(user);
  }

  private isLocked(user: User): boolean {
    return !!user.lockedUntil && user.lockedUntil.getTime() > Date.now();
  }

  /** Counts a failure atomically (two requests at once both count) and locks the account at the limit. */
  private auditFailure(user: User, reason: string): Promise<void> {
    return this.audit.record({
      action: 'auth.login.failure',
      entityType: 'user',
      entityId: user.id,
      meta: { reason },
    });
  }

  private async registerFailure(user: User, reason: string): Promise<void> {
    const { maxFailedLogins, lockoutMinutes } = this.config.auth;
    const [row] = await this.em
      .getConnection()
      .execute<{ failed_login_count: number; locked_until: Date | null }[]>(
        `update "users"
          set "failed_login_count" = case when "failed_login_count" + 1 >= ? then 0 else "failed_login_count" + 1 end,
              "locked_until" = case when "failed_login_count" + 1 >= ? then now() + make_interval(mins => ?) else "locked_until" end
        where "id" = ?
        returning "failed_login_count", "locked_until"`,
        [maxFailedLogins, maxFailedLogins, lockoutMinutes, user.id],
      );
    await this.auditFailure(user, reason);
    if (row?.locked_until && row.failed_login_count === 0) {
      user.lockedUntil = new Date(row.locked_until);
      this.logger.warn(
        `Account ${user.username} locked for ${lockoutMinutes} min after ${maxFailedLogins} failed attempts`,
      );
      await this.audit.record({
        action: 'auth.lockout',
        entityType: 'user',
        entityId: user.id,
        meta: { minutes: lockoutMinutes, attempts: maxFailedLogins },
      });
    }
  }
}
