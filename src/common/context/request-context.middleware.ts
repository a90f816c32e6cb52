import type { IncomingMessage, ServerResponse } from 'node:http';

import type { EntityManager } from '@mikro-orm/core';
import type { Request, Response } from 'express';

import { AuditSource } from './audit-source.js';
import { incomingRequestId } from '../logging/logger.js';
import { RequestContext } from './request-context.js';

/** What a request's context starts with. */
export interface OpenedRequest {
  /** The request's id, also set as the request's `id` (which the request log quotes) and sent as `X-Request-Id`. */
  id: string;
  /** The client's address: the proxy's `X-Forwarded-For` when TRUST_PROXY says so. */
  ip: string | undefined;
  /** The root EntityManager whose fork the request uses, made on first use (orm-context.ts). */
  entities?: EntityManager;
}

/** Opens the context of a request, as source `api` until told otherwise, and calls `next` in it. */
export function openRequestContext(
  req: IncomingMessage,
  res: ServerResponse,
  { id, ip, entities }: OpenedRequest,
  next: (err?: Error) => void,
): void {
  req.id = id;
  res.setHeader('X-Request-Id', id);
  RequestContext.run(
    { source: AuditSource.Api, requestId: id, ip, entities: entities && { root: entities } },
    next,
  );
}

/**
 * The back office's (Express) first middleware: openRequestContext, with `entities` the root EntityManager whose
 * fork the request uses, as the API's onRequest hook gives it.
 */
export function requestContextMiddleware(entities: EntityManager) {
  return (req: Request, res: Response, next: (err?: unknown) => void): void =>
    openRequestContext(req, res, { id: incomingRequestId(req), ip: req.ip, entities }, next);
}
