import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Request, Response } from 'express';

import { AuditSource } from './audit-source.js';
import { incomingRequestId } from '../logging/logger.js';
import { RequestContext } from './request-context.js';

/**
 * Opens the context of a request whose id is `id` (also set as the request's `id`, which the request log
 * quotes, and sent back as `X-Request-Id`), from the client `ip` (the proxy's `X-Forwarded-For` when TRUST_PROXY
 * says so), as source `api` until told otherwise, and calls `next` in it.
 */
export function openRequestContext(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  ip: string | undefined,
  next: (err?: Error) => void,
): void {
  req.id = id;
  res.setHeader('X-Request-Id', id);
  RequestContext.run({ source: AuditSource.Api, requestId: id, ip }, next);
}

/** The back office's (Express) first middleware: openRequestContext. */
export function requestContextMiddleware(req: Request, res: Response, next: (err?: unknown) => void): void {
  openRequestContext(req, res, incomingRequestId(req), req.ip, next);
}
