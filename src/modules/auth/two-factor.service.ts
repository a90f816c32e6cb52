import { randomBytes } from 'node:crypto';

import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

import { ValidationError } from '../../common/errors/index.js';
import { AuditService } from '../audit/audit.service.js';
import type { User } from '../users/user.entity.js';
import { CREDENTIALS } from '../users/users.service.js';
import { TwoFactorStateError } from './auth.errors.js';
import { CryptoService } from './crypto.service.js';

export const ISSUER = 'venture-crm';
const RECOVERY_CODE_COUNT = 10;
/** Codes from the previous and next 30 s window are accepted (clock drift), each only once. */
const EPOCH_TOLERANCE_SECONDS = 30;
const TOTP_PATTERN = /^\d{6}$/;

export interface TwoFactorSetup {
  secret: string;
  otpauthUrl: string;
  qrCodeDataUrl: string;
}

/** TOTP enrolment and checks (pending → enabled), secrets encrypted at rest, one-time recovery codes. */
@Injectable()
export class TwoFactorService {
  constructor(
    private readonly em: EntityManager,
    private readonly crypto: CryptoService,
    private readonly audit: AuditService,
  ) {}

  async setup(user: User): Promise<TwoFactorSetup> {
    await this.em.populate(user, CREDENTIALS);
    if (user.twoFactorEnabled) {
      throw new TwoFactorStateError(
        'TWO_FACTOR_ALREADY_ENABLED',
        'Two-factor authentication is already enabled; disable it first',
      );
    }
    const secret = generateSecret();
    user.twoFactorPendingSecret = this.crypto.encrypt(secret);
    await this.em.flush();
    const otpauthUrl = generateURI({ issuer: ISSUER, label: user.username, secret });
    const qrCodeDataUrl = await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 240 });
    return { secret, otpauthUrl, qrCodeDataUrl };
  }

  async enable(user: User, code: string): Promise<string[]> {
    await this.em.populate(user, CREDENTIALS);
    if (user.twoFactorEnabled) {
      throw new TwoFactorStateError(
        'TWO_FACTOR_ALREADY_ENABLED',
        'Two-factor authentication is already enabled',
      );
    }
    if (!user.twoFactorPendingSecret) {
      throw new TwoFactorStateError('TWO_FACTOR_NOT_SET_UP', 'Call POST /api/auth/2fa/setup first');
    }
    const secret = this.crypto.decrypt(user.twoFactorPendingSecret);
    const step = await this.checkTotp(secret, code, null);
    if (step === undefined)
      throw ValidationError.field('code', 'is not the current code of the authenticator app');
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, () => newRecoveryCode());
    user.twoFactorSecret = user.twoFactorPendingSecret;
    user.twoFactorPendingSecret = null;
    user.twoFactorEnabled = true;
    user.twoFactorLastStep = String(step);
    user.recoveryCodeHashes = recoveryCodes.map((c) => this.crypto.sha256(normaliseRecoveryCode(c)));
    await this.em.flush();
    await this.audit.record({ action: '2fa.enable', entityType: 'user', entityId: user.id });
    return recoveryCodes;
  }

  /** Turns 2FA off and ends the user's sessions. `reason` says who did it when it was not the user. */
  async disable(user: User, reason?: string): Promise<void> {
    await this.em.populate(user, CREDENTIALS);
    user.twoFactorEnabled = false;
    user.twoFactorSecret = null;
    user.twoFactorPendingSecret = null;
    user.twoFactorLastStep = null;
    user.recoveryCodeHashes = [];
    user.tokenVersion += 1;
    await this.em.flush();
    await this.audit.record({
      action: '2fa.disable',
      entityType: 'user',
      entityId: user.id,
      meta: reason ? { reason } : undefined,
    });
  }

  /**
   * Accepts the current TOTP code (never the same one twice) or an unused recovery code (then spent).
   * Returns what was used, or undefined when the code is wrong. Each code is consumed by one conditional
   * UPDATE, so of several requests racing with the same code exactly one gets it: a TOTP step is taken only
   * if it is newer than the last one taken, a recovery code only if it is still in the list.
   */
  async verifyCode(user: User, code: string): Promise<'totp' | 'recovery' | undefined> {
    await this.em.populate(user, CREDENTIALS);
    if (!user.twoFactorEnabled || !user.twoFactorSecret) return undefined;
    const trimmed = code.trim();
    if (TOTP_PATTERN.test(trimmed)) {
      const last = user.twoFactorLastStep ? Number(user.twoFactorLastStep) : null;
      const step = await this.checkTotp(this.crypto.decrypt(user.twoFactorSecret), trimmed, last);
      return step !== undefined && (await this.takeTimeStep(user.id, step)) ? 'totp' : undefined;
    }
    const hash = this.crypto.sha256(normaliseRecoveryCode(trimmed));
    if (!user.recoveryCodeHashes.some((h) => this.crypto.safeEqual(h, hash))) return undefined;
    const remaining = await this.takeRecoveryCode(user.id, hash);
    if (remaining === undefined) return undefined;
    await this.audit.record({
      action: '2fa.recovery_code_used',
      entityType: 'user',
      entityId: user.id,
      meta: { remaining },
    });
    return 'recovery';
  }

  /** Records `step` as the user's last TOTP step unless this or a later one was taken already. */
  private async takeTimeStep(userId: string, step: number): Promise<boolean> {
    const taken = await this.em
      .getKnex()('users')
      .where({ id: userId, two_factor_enabled: true })
      .andWhere((q) => {
        void q.whereNull('two_factor_last_step').orWhere('two_factor_last_step', '<', step);
      })
      .update({ two_factor_last_step: step }, ['id']);
    return taken.length === 1;
  }

  /** Removes one recovery code from the user's list; the count left, or undefined if it was not there. */
  private async takeRecoveryCode(userId: string, hash: string): Promise<number | undefined> {
    const knex = this.em.getKnex();
    const rows: { recovery_code_hashes: string[] }[] = await knex('users')
      .where({ id: userId, two_factor_enabled: true })
      .andWhereRaw('recovery_code_hashes @> jsonb_build_array(?::text)', [hash])
      .update({ recovery_code_hashes: knex.raw('recovery_code_hashes - ?::text', [hash]) }, [
        'recovery_code_hashes',
      ]);
    return rows[0]?.recovery_code_hashes.length;
  }

  private async checkTotp(
    secret: string,
    code: string,
    afterTimeStep: number | null,
  ): Promise<number | undefined> {
    if (!TOTP_PATTERN.test(code.trim())) return undefined;
    try {
      const result = await verify({
        secret,
        token: code.trim(),
        epochTolerance: EPOCH_TOLERANCE_SECONDS,
        ...(afterTimeStep !== null ? { afterTimeStep } : {}),
      });
      return result.valid && 'timeStep' in result ? result.timeStep : undefined;
    } catch {
      return undefined;
    }
  }
}

/** 10 characters of base32 (50 bits) shown as `abcde-fghij`. */
function newRecoveryCode(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}
