import { AsyncLocalStorage } from 'node:async_hooks';

import type { EntityManager } from '@mikro-orm/core';

import type { AuditSource } from './audit-source.js';

export interface Actor {
  userId?: string;
  tokenId?: string;
  /** Readable name kept in the audit log: a username, `token:<name>`, `cli` or `system`. */
  label: string;
}

export interface RequestContextData {
  source: AuditSource;
  requestId?: string;
  ip?: string;
  actor?: Actor;
  /**
   * The request's EntityManager: a fork of `root`, made when the request first uses the database
   * (contextEntityManager) and kept for the rest of it; null while it is being made.
   */
  entities?: { root: EntityManager; fork?: EntityManager | null };
}

const storage = new AsyncLocalStorage<RequestContextData>();

/**
 * Who is acting, through which entry point, in which request — available anywhere below the entry point
 * (services, ORM subscribers) without passing it down by hand.
 */
export const RequestContext = {
  run<T>(data: RequestContextData, fn: () => T): T {
    return storage.run(data, fn);
  },

  current(): RequestContextData | undefined {
    return storage.getStore();
  },

  setActor(actor: Actor): void {
    const store = storage.getStore();
    if (store) store.actor = actor;
  },
};
