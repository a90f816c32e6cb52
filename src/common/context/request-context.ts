import { AsyncLocalStorage } from 'node:async_hooks';

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
