import type { NextFunction, Request, Response } from 'express';

import { AuditSource } from './audit-source.js';
import { requestId } from '../logging/logger.js';
import { RequestContext } from './request-context.js';

/** First middleware of every request: gives it an id and opens its context (source `api` until told otherwise). */
export function requestContextMiddleware(
  req: Request & { id?: string },
  res: Response,
  next: NextFunction,
): void {
  req.id = requestId(req, res);
  RequestContext.run({ source: AuditSource.Api, requestId: req.id, ip: req.ip }, next);
}
