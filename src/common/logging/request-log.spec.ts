import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Logger } from 'pino';

import { AuditSource } from '../context/audit-source.js';
import { RequestContext } from '../context/request-context.js';
import { createLogger } from './logger.js';
import { logWhenAnswered } from './request-log.js';

/** The app's logger (createLogger) with its lines kept in `lines`. */
function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ logLevel: 'info', isProduction: true, nodeEnv: 'test' }, sink), lines };
}

describe('logWhenAnswered (the request log)', () => {
  const { logger, lines } = capturingLogger();
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((req, res) => {
      logWhenAnswered(logger, req, res);
      req.id = 'req-1';
      const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200);
      if (status === 0) return res.destroy();
      res.statusCode = status;
      res.setHeader('Set-Cookie', 'vcrm.sid=secret');
      res.end('{}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  /** Sends a request and waits for its line (or for the time one would take when none is written). */
  async function send(path: string): Promise<Record<string, unknown> | undefined> {
    const before = lines.length;
    const req = request({ port, path, headers: { Authorization: 'Bearer secret', Cookie: 'a=secret' } });
    const answered = new Promise<void>((done) => {
      req.on('response', (res) => res.resume().on('end', done));
      req.on('error', () => done());
    });
    req.end();
    await answered;
    await new Promise((done) => setTimeout(done, 50));
    return lines.length > before ? lines[lines.length - 1] : undefined;
  }

  it('logs the id, method, path, client, status and time of an answer, and no header', async () => {
    const line = await send('/api/contacts?search=x');
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      reqId: 'req-1',
      req: { id: 'req-1', method: 'GET', url: '/api/contacts?search=x', remoteAddress: '127.0.0.1' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(JSON.stringify(line)).not.toContain('secret');
  });

  it('logs a 4xx as a warning and a 5xx as an error', async () => {
    expect(await send('/api/x?status=404')).toMatchObject({ level: 40, res: { statusCode: 404 } });
    expect(await send('/api/x?status=500')).toMatchObject({ level: 50, msg: 'request errored' });
  });

  it('logs an answer cut short as aborted', async () => {
    expect(await send('/api/x?status=0')).toMatchObject({ level: 40, msg: 'request aborted' });
  });

  it('writes no line for the health check', async () => {
    expect(await send('/api/health')).toBeUndefined();
  });
});

describe('createLogger', () => {
  it("names the request of every line written in a request's context", () => {
    const { logger, lines } = capturingLogger();
    RequestContext.run({ source: AuditSource.Api, requestId: 'req-2' }, () => logger.info('inside'));
    logger.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', reqId: 'req-2' });
    expect(lines[1]).not.toHaveProperty('reqId');
  });
});
