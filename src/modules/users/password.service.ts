import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

import { ValidationError } from '../../common/errors/index.js';

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

/** argon2id hashing and the password policy (ASVS 2.1: length, not a commonly used password). */
@Injectable()
export class PasswordService {
  /**
   * The strength estimator, built when a password is first checked: its dictionaries take ~25 MB of memory,
   * which a server that sets no password (most of its life) need not hold.
   */
  private strength?: Promise<ZxcvbnFactory>;

  /** Verifying against this keeps "unknown user" as slow as "wrong password". */
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | undefined, password: string): Promise<boolean> {
    if (!hash) {
      this.dummyHash ??= this.hash('timing-equaliser-not-a-password');
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      return false;
    }
    return argon2.verify(hash, password).catch(() => false);
  }

  /** Throws a 400 naming `field` when the password breaks the policy. */
  async assertAcceptable(password: string, field = 'password', userInputs: string[] = []): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw ValidationError.field(field, `must be at least ${MIN_PASSWORD_LENGTH} characters long`);
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw ValidationError.field(field, `must be at most ${MAX_PASSWORD_LENGTH} characters long`);
    }
    this.strength ??= strengthEstimator();
    const result = (await this.strength).check(password, userInputs);
    if (result.score < 3) {
      const hint = result.feedback.warning ? ` ${result.feedback.warning}` : '';
      throw ValidationError.field(
        field,
        `is too easy to guess.${hint} Use a longer phrase of uncommon words.`,
      );
    }
  }
}

async function strengthEstimator(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, en] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
}
