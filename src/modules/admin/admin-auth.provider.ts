import { Logger } from '@nestjs/common';
import { type EntityManager } from '@mikro-orm/postgresql';
import { BaseAuthProvider, type LoginHandlerOptions } from 'adminjs';
import type { Request, Response } from 'express';

import { type AppConfig } from '../../config/app-config.js';
import { type AuthService } from '../auth/auth.service.js';
import { User } from '../users/user.entity.js';
import type { AdminUser } from './admin-access.js';

/** How long the code step may follow the password step (the API's challenge token lives as long). */
const CODE_STEP_MS = 5 * 60_000;

/** Shown by the Login component (components/Login.jsx); the codes also pick its step. */
export type LoginMessage =
  | 'invalidCredentials'
  | 'twoFactorRequired'
  | 'invalidTwoFactorCode'
  | 'twoFactorExpired'
  | 'twoFactorSetupRequired'
  | 'tooManyRequests'
  | 'invalidInput';

class LoginRefused extends Error {
  constructor(readonly code: LoginMessage) {
    super(code);
  }
}

export function toAdminUser(user: User): AdminUser {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    title: `${user.fullName} · ${user.role}`,
    role: user.role,
    tokenVersion: user.tokenVersion,
  };
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

/**
 * Sign-in to /admin with the API's users and rules, through AuthService: username or email and password
 * (lockout, deactivated users, failure counting and auditing all happen there), then — for users with 2FA —
 * a second POST with the authenticator or recovery code. Between the two steps the session holds only
 * "this user passed the password step at this time"; the signed-in session is a new one (no fixation).
 * With REQUIRE_2FA a user without 2FA gets no session and is told how to enrol.
 */
export class AdminAuthProvider extends BaseAuthProvider<{ req: Request; res: Response }> {
  private readonly logger = new Logger('BackOfficeSignIn');

  constructor(
    private readonly auth: AuthService,
    private readonly em: EntityManager,
    private readonly config: AppConfig,
  ) {
    super();
  }

  override getUiProps(): Record<string, unknown> {
    return {};
  }

  /**
   * One sign-in POST: the signed-in user, or why not as one of the codes the sign-in page knows. An unexpected
   * failure is logged with its details and shown as a plain refusal: its text never reaches the page.
   */
  async attempt(
    data: Record<string, unknown>,
    req: Request,
  ): Promise<{ user: AdminUser } | { refused: LoginMessage }> {
    try {
      const user = await this.handleLogin(
        { data, query: {}, params: {}, headers: req.headers },
        { req, res: req.res! },
      );
      return user ? { user } : { refused: 'invalidCredentials' };
    } catch (err) {
      if (err instanceof LoginRefused) return { refused: err.code };
      this.logger.error({ err }, 'Back office sign-in failed unexpectedly');
      return { refused: 'invalidCredentials' };
    }
  }

  override async handleLogin(
    { data }: LoginHandlerOptions,
    context?: { req: Request; res: Response },
  ): Promise<AdminUser | null> {
    const req = context!.req;
    const code = text(data.code);
    if (code !== undefined && req.session.pendingTwoFactor) return this.codeStep(req, code);
    delete req.session.pendingTwoFactor;
    const identifier = text(data.username) ?? text(data.email);
    const password = typeof data.password === 'string' ? data.password : undefined;
    if (!identifier || !password) throw new LoginRefused('invalidCredentials');
    const check = await this.auth.checkPassword(identifier, password);
    if (!check) throw new LoginRefused('invalidCredentials');
    if (check.twoFactorRequired) {
      req.session.pendingTwoFactor = {
        userId: check.user.id,
        tokenVersion: check.user.tokenVersion,
        expiresAt: Date.now() + CODE_STEP_MS,
      };
      throw new LoginRefused('twoFactorRequired');
    }
    if (this.config.auth.require2fa) throw new LoginRefused('twoFactorSetupRequired');
    return this.signIn(req, check.user, 'password');
  }

  private async codeStep(req: Request, code: string): Promise<AdminUser> {
    const pending = req.session.pendingTwoFactor!;
    if (pending.expiresAt < Date.now()) {
      delete req.session.pendingTwoFactor;
      throw new LoginRefused('twoFactorExpired');
    }
    const user = await this.em.findOne(User, pending.userId);
    if (!user || !user.isActive || user.tokenVersion !== pending.tokenVersion) {
      delete req.session.pendingTwoFactor;
      throw new LoginRefused('invalidCredentials');
    }
    const used = await this.auth.checkSecondFactor(user, code);
    if (!used) throw new LoginRefused('invalidTwoFactorCode');
    return this.signIn(req, user, used);
  }

  private async signIn(req: Request, user: User, method: string): Promise<AdminUser> {
    await this.auth.recordSuccess(user, method);
    const redirectTo = req.session.redirectTo;
    await new Promise<void>((resolve, reject) =>
      req.session.regenerate((err) => (err ? reject(err as Error) : resolve())),
    );
    if (redirectTo) req.session.redirectTo = redirectTo;
    return toAdminUser(user);
  }
}
