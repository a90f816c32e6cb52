import { type EntityManager, RequestContext as OrmRequestContext } from '@mikro-orm/core';

import { RequestContext } from '../common/context/request-context.js';

/**
 * MikroORM's `context` option: the EntityManager that the global one stands for where it is used. A context
 * opened with MikroORM's RequestContext.create (jobs, the CLI, a back-office save) comes first; in an API or
 * back-office request, the request's own fork, made the first time the request uses the database and kept in the
 * request's context (openRequestContext, for both). MikroORM's middleware would run a Nest middleware and open a
 * second AsyncLocalStorage around every request, and fork for each one, used or not.
 */
export function contextEntityManager(name: string): EntityManager | undefined {
  const opened = OrmRequestContext.getEntityManager(name);
  if (opened) return opened;
  const entities = RequestContext.current()?.entities;
  if (!entities || entities.root.name !== name) return undefined;
  if (entities.fork === undefined) {
    // The fork's constructor asks for its own context: while it is being made, there is none (it is its own).
    entities.fork = null;
    entities.fork = entities.root.fork({ useContext: true, disableContextResolution: true });
  }
  return entities.fork ?? undefined;
}
