import { createServer, type Server, type Socket, connect } from 'node:net';

/** Untyped first messages of the PostgreSQL protocol after which another untyped startup message follows. */
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const SIMPLE_QUERY = 'Q'.charCodeAt(0);
const EXECUTE = 'E'.charCodeAt(0);

/**
 * A TCP proxy in front of PostgreSQL that counts the statements the app sends: each simple-protocol Query
 * ('Q') and each extended-protocol Execute ('E') message is one statement. It reads the protocol, so it
 * needs no server setting (no pg_stat_statements, no statement log) and sees exactly what one request costs.
 */
export class QueryCounter {
  count = 0;
  port = 0;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((client) => this.proxy(client));

  private constructor(private readonly target: { host: string; port: number }) {}

  static async start(target: { host: string; port: number }): Promise<QueryCounter> {
    const counter = new QueryCounter(target);
    await new Promise<void>((resolve) => counter.server.listen(0, '127.0.0.1', resolve));
    counter.port = (counter.server.address() as { port: number }).port;
    return counter;
  }

  /** Statements sent while `fn` ran (plus a short grace period for anything written after the response). */
  async measure(fn: () => Promise<unknown>): Promise<number> {
    const before = this.count;
    await fn();
    await new Promise((r) => setTimeout(r, 50));
    return this.count - before;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private proxy(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    }
    const parser = new FrontendParser(() => (this.count += 1));
    client.on('data', (chunk: Buffer) => {
      parser.push(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }
}

/** Splits the client → server byte stream into protocol messages, calling `onStatement` for Q and E. */
class FrontendParser {
  private buffer: Buffer = Buffer.alloc(0);
  private startup = true;

  constructor(private readonly onStatement: () => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.startup) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        this.buffer = this.buffer.subarray(length);
        if (code !== SSL_REQUEST && code !== GSS_REQUEST) this.startup = false;
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + length) return;
      const type = this.buffer[0];
      if (type === SIMPLE_QUERY || type === EXECUTE) this.onStatement();
      this.buffer = this.buffer.subarray(1 + length);
    }
  }
}
