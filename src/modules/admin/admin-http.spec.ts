import { once } from 'node:events';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

import { afterEach, describe, expect, it } from '@jest/globals';
import express from 'express';

import { streamAnswer } from './admin-http.js';

/** streamAnswer behind a real HTTP server: what a download does when the client leaves, or the source fails. */
describe('streamAnswer', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((done) => (server ? server.close(() => done()) : done())));

  /** Serves `source` on GET /, and resolves what streamAnswer did with it. */
  async function serve(source: Readable): Promise<{ port: number; outcome: Promise<Error | 'done'> }> {
    let settle!: (value: Error | 'done') => void;
    const outcome = new Promise<Error | 'done'>((resolve) => (settle = resolve));
    const app = express();
    app.get('/', (_req, res) => {
      streamAnswer(source, res).then(
        () => settle('done'),
        (err: Error) => settle(err),
      );
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { port: (server.address() as AddressInfo).port, outcome };
  }

  /** A source that never ends on its own: 64 KiB chunks for as long as it is read. */
  const endless = () =>
    new Readable({
      read() {
        this.push(Buffer.alloc(64 * 1024, 1));
      },
    });

  it('ends quietly, with the source closed, when the client leaves before the end', async () => {
    const source = endless();
    const { port, outcome } = await serve(source);
    const req = request({ port, host: '127.0.0.1', path: '/' });
    req.end();
    const [res] = (await once(req, 'response')) as [NodeJS.ReadableStream];
    await once(res, 'data');
    req.destroy();
    expect(await outcome).toBe('done');
    expect(source.destroyed).toBe(true);
  });

  it('fails when the source fails', async () => {
    const source = new Readable({
      read() {
        this.destroy(new Error('disk read failed'));
      },
    });
    const { port, outcome } = await serve(source);
    const req = request({ port, host: '127.0.0.1', path: '/' });
    req.on('error', () => undefined);
    req.end();
    expect(await outcome).toEqual(new Error('disk read failed'));
  });
});
