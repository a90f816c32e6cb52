import type { IncomingMessage, ServerResponse } from 'node:http';

import type { Logger } from 'pino';

/** Requests answered without a line in the request log: the health check, which monitors call every few seconds. */
const UNLOGGED = new Set(['/api/health']);

/**
 * What the request log says of one request: its id, method, path and client, the answer's status and the time it
 * took. Never a header: no reader of these logs needs them, and cookies and bearer tokens travel in them.
 */
export interface RequestLogLine {
  reqId?: string;
  req: { id?: string; method?: string; url?: string; remoteAddress?: string };
  res: { statusCode: number };
  responseTime: number;
}

/**
 * Writes the request log's line for `req` once the answer is sent, or the client went away before: at info, warn
 * for a 4xx or an answer cut short, error for a 5xx (whose error the exception filter has logged already). The
 * API and the back office both call it first thing for each request; it replaces pino-http, whose child logger and
 * second AsyncLocalStorage per request (through nestjs-pino) cost more than the line itself.
 */
export function logWhenAnswered(logger: Logger, req: IncomingMessage, res: ServerResponse): void {
  // As asked: a router may rewrite req.url while the request passes through it.
  const url = req.url;
  if (UNLOGGED.has(url ?? '')) return;
  const started = performance.now();
  res.once('close', () => {
    // Set by openRequestContext, which runs after this.
    const id = typeof req.id === 'string' ? req.id : undefined;
    const line: RequestLogLine = {
      reqId: id,
      req: { id, method: req.method, url, remoteAddress: req.socket.remoteAddress },
      res: { statusCode: res.statusCode },
      responseTime: Math.round(performance.now() - started),
    };
    if (!res.writableFinished) logger.warn(line, 'request aborted');
    else if (res.statusCode >= 500) logger.error(line, 'request errored');
    else if (res.statusCode >= 400) logger.warn(line, 'request completed');
    else logger.info(line, 'request completed');
  });
}

/** logWhenAnswered as an Express middleware (the back office). */
export function requestLogMiddleware(logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    logWhenAnswered(logger, req, res);
    next();
  };
}
