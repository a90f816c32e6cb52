import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import pino, { type Logger } from 'pino';

import { RequestContext } from '../context/request-context.js';

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

/**
 * One pino logger for the whole process: bootstrap messages, the request log and Nest (through nestjs-pino) share
 * it. It writes to stdout, or to `destination` (tests).
 */
export function createLogger(config: LoggerConfig, destination?: pino.DestinationStream): Logger {
  const pretty = !destination && !config.isProduction && process.stdout.isTTY && prettyTransportAvailable();
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { app: 'venture-crm' },
    // Each line written while a request is handled names it.
    mixin: () => {
      const reqId = RequestContext.current()?.requestId;
      return reqId ? { reqId } : {};
    },
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
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A caller-supplied `X-Request-Id` is kept (so a proxy's id follows the request); otherwise a new uuid. */
export function incomingRequestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
