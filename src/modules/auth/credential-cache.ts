import { Injectable } from '@nestjs/common';

import { NotifiedCache } from '../../common/database/notified-cache.js';
import { AppConfig } from '../../config/app-config.js';

/** The channel the database notifies on when a user's sign-in facts or tokens change (migration …auth_notify). */
export const CREDENTIALS_CHANNEL = 'vcrm_credentials';

/**
 * What authenticating a request needs from the database — a session user's row, an API token and its owner —
 * kept in memory so the hot path sends no statement. Triggers on `users` and `api_tokens` notify
 * CREDENTIALS_CHANNEL with the user's id in the transaction that deactivates them, changes their role, password
 * or 2FA, or revokes a token, so each instance forgets that user as the change commits (NotifiedCache: nothing
 * is kept while the listening connection is down, and entries expire after 30 s regardless).
 */
@Injectable()
export class CredentialCache extends NotifiedCache {
  constructor(config: AppConfig) {
    // At most 10,000 entries per kind: a flood of random tokens cannot grow memory.
    super(config.database.url, { channel: CREDENTIALS_CHANNEL, ttlMs: 30_000, maxEntries: 10_000 });
  }

  /** The cached value of `key` in `kind`, or what `load` answers (cached while the database can notify). */
  get<T>(
    kind: string,
    key: string,
    load: () => Promise<{ value: T; userId: string } | undefined>,
  ): Promise<T | undefined> {
    return this.cached(kind, key, async () => {
      const loaded = await load();
      return loaded && { value: loaded.value, tag: loaded.userId };
    });
  }

  /** Forgets what this instance keeps of one user (the database tells the others). */
  forgetUser(userId: string): void {
    this.forgetTag(userId);
  }

  protected notified(userId: string): void {
    this.forgetUser(userId);
  }
}
