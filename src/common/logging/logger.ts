import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import pino, { type Logger } from 'pino';
import type { Options as HttpLoggerOptions } from 'pino-http';

/** What the logger reads of the app's configuration. */
export interface LoggerConfig {
  logLevel: string;
  isProduction: boolean;
  nodeEnv: string;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function prettyTransportAvailable(): boolean {
  try {
    import.meta.resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/** One pino logger for the whole process: bootstrap messages and Nest (through nestjs-pino) share it. */
export function createLogger(config: LoggerConfig): Logger {
  const pretty = !config.isProduction && process.stdout.isTTY && prettyTransportAvailable();
  return pino({
    level: config.logLevel,
    base: { app: 'venture-crm' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
      ],
      censor: '[redacted]',
    },
    transport: pretty
      ? { target: 'pino-pretty', options: { singleLine: true, translateTime: 'SYS:HH:MM:ss' } }
      : undefined,
  });
}

/**
 * What a request's log line says of it: id, method, path and client; of its answer, the status. pino-http's
 * default copies every request and response header into each line, to be redacted again: a cost on every
 * request that no reader of these logs needs.
 */
export const requestLogSerializers = {
  req: (req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) => ({
    id: req.id,
    method: req.method,
    url: req.url,
    remoteAddress: req.remoteAddress,
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

/** A caller-supplied `X-Request-Id` is kept (so a proxy's id follows the request); otherwise a new uuid. */
export function incomingRequestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * pino-http's options for the request log (one line per answered request), the same for the API and the back
 * office: the request's id is the one its context already has (openRequestContext).
 */
export function requestLogOptions(logger: Logger): HttpLoggerOptions {
  return {
    logger,
    genReqId: (req) => (req as { id?: string }).id ?? incomingRequestId(req),
    autoLogging: { ignore: (req) => req.url === '/api/health' },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    quietReqLogger: true,
    serializers: requestLogSerializers,
  };
}
