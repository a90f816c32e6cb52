import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

import { AppError } from '../errors/index.js';
import { refuseInvalidText } from './invalid-text.js';

interface ParserError extends Error {
  type?: string;
}

/** Body parser failures carry a `type`; turn them into the API's error contract before Nest sees them. */
function toAppError(err: ParserError): Error {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError(400, 'INVALID_JSON', `The request body is not valid JSON: ${err.message}`);
    case 'entity.too.large':
      return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body is larger than this server accepts');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', err.message);
    default:
      return err;
  }
}

function guarded(parser: RequestHandler): RequestHandler {
  return (req, res, next) =>
    parser(req, res, (err?: unknown) => next(err ? toAppError(err as ParserError) : undefined));
}

/**
 * JSON and form bodies for the API, then the check that no text in the query or body is one PostgreSQL cannot
 * store (NUL, broken UTF-16): a 400 naming the field. Requests under `skipPrefix` (the back office) parse and
 * check their own.
 */
export function useBodyParsers(app: NestExpressApplication, limit: string, skipPrefix?: string): void {
  const parsers = [
    guarded(express.json({ limit })),
    guarded(express.urlencoded({ limit, extended: true })),
    refuseInvalidText,
  ];
  for (const parser of parsers) {
    app.use((req: Request, res: Response, next: NextFunction) =>
      skipPrefix && (req.path === skipPrefix || req.path.startsWith(`${skipPrefix}/`))
        ? next()
        : parser(req, res, next),
    );
  }
}
