import { Injectable } from '@nestjs/common';
import {
  ChangeSetType,
  type EventSubscriber,
  type FlushEventArgs,
  MikroORM,
  type TransactionEventArgs,
} from '@mikro-orm/postgresql';

import { User } from '../users/user.entity.js';
import { ApiToken } from './api-token.entity.js';
import { CredentialCache } from './credential-cache.js';

/** The entities whose changes the credential triggers notify (a new row changes nobody's credentials). */
const CREDENTIAL_ENTITIES = new Set([User.name, ApiToken.name]);

/**
 * Makes a write that changes a user or an API token answer only once this instance has heard the database's
 * notification of it (CredentialCache.caughtUp, after the commit): the writer's next request, and in practice
 * the next one on any instance, no longer finds the old credentials in memory.
 */
@Injectable()
export class CredentialWrites implements EventSubscriber {
  /** Transactions (by the EntityManager that runs them) that changed a user or a token. */
  private readonly changed = new WeakSet<object>();

  constructor(
    orm: MikroORM,
    private readonly cache: CredentialCache,
  ) {
    orm.em.getEventManager().registerSubscriber(this);
  }

  onFlush({ em, uow }: FlushEventArgs): void {
    const changes = uow
      .getChangeSets()
      .some((cs) => CREDENTIAL_ENTITIES.has(cs.meta.className) && cs.type !== ChangeSetType.CREATE);
    if (changes) this.changed.add(em);
  }

  async afterTransactionCommit({ em }: TransactionEventArgs): Promise<void> {
    if (em && this.changed.delete(em)) await this.cache.caughtUp();
  }

  afterTransactionRollback({ em }: TransactionEventArgs): void {
    if (em) this.changed.delete(em);
  }
}
