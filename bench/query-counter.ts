import { createServer, type Server, type Socket, connect } from 'node:net';

/** Untyped first messages of the PostgreSQL protocol after which another untyped startup message follows. */
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const code = (c: string): number => c.charCodeAt(0);
const SIMPLE_QUERY = code('Q');
const PARSE = code('P');
const BIND = code('B');
const EXECUTE = code('E');

/**
 * One statement as the app sent it: a simple-protocol Query (its text, no values), or an extended-protocol
 * Execute of a Parse/Bind pair (the text and the bound values: a string per text parameter, a Buffer per
 * binary one, null for NULL). Enough for `pg` to send the same statement again.
 */
export interface Statement {
  text: string;
  values?: (string | Buffer | null)[];
  /** The prepared statement's name when the app named it (planned once per connection): replayed named too. */
  name?: string;
}

/**
 * A TCP proxy in front of PostgreSQL that counts the statements the app sends: each simple-protocol Query
 * ('Q') and each extended-protocol Execute ('E') message is one statement. It reads the protocol, so it
 * needs no server setting (no pg_stat_statements, no statement log) and sees exactly what one request costs;
 * `capture` also keeps the statements themselves, to replay them straight through `pg` (bench/ceiling.ts).
 */
export class QueryCounter {
  count = 0;
  port = 0;
  private recording: Statement[] | undefined;
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
    return (await this.capture(fn)).length;
  }

  /** The statements sent while `fn` ran (and the grace period), in the order they reached the proxy. */
  async capture(fn: () => Promise<unknown>): Promise<Statement[]> {
    const statements: Statement[] = [];
    this.recording = statements;
    try {
      await fn();
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      this.recording = undefined;
    }
    return statements;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private proxy(client: Socket): void {
    // A host that is a directory (percent-encoded in a URL, as libpq reads it) is a Unix socket's.
    const dir = decodeURIComponent(this.target.host);
    const upstream = dir.startsWith('/')
      ? connect(`${dir}/.s.PGSQL.${this.target.port}`)
      : connect(this.target.port, this.target.host);
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    }
    const parser = new FrontendParser((statement) => {
      this.count += 1;
      this.recording?.push(statement);
    });
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

/** Reads the fields of one message body in order. */
class Reader {
  private at = 0;
  constructor(private readonly body: Buffer) {}

  cstring(): string {
    const end = this.body.indexOf(0, this.at);
    const text = this.body.toString('utf8', this.at, end);
    this.at = end + 1;
    return text;
  }

  int16(): number {
    this.at += 2;
    return this.body.readInt16BE(this.at - 2);
  }

  /** A length-prefixed value (-1: NULL), copied out of the stream's buffer. */
  value(): Buffer | null {
    const length = this.body.readInt32BE(this.at);
    this.at += 4;
    if (length < 0) return null;
    this.at += length;
    return Buffer.from(this.body.subarray(this.at - length, this.at));
  }
}

/**
 * Splits the client → server byte stream of one connection into protocol messages and reports each
 * statement: a Query, or an Execute with the text its portal's Bind refers to (a named statement prepared
 * in an earlier request included) and the bound values.
 */
class FrontendParser {
  private buffer: Buffer = Buffer.alloc(0);
  private startup = true;
  /** Prepared statement name ('' = unnamed) → text. */
  private readonly prepared = new Map<string, string>();
  /** Portal name ('' = unnamed) → the statement it binds. */
  private readonly portals = new Map<string, Statement>();

  constructor(private readonly onStatement: (statement: Statement) => void) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.startup) {
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const request = this.buffer.readInt32BE(4);
        this.buffer = this.buffer.subarray(length);
        if (request !== SSL_REQUEST && request !== GSS_REQUEST) this.startup = false;
        continue;
      }
      if (this.buffer.length < 5) return;
      const length = this.buffer.readInt32BE(1);
      if (this.buffer.length < 1 + length) return;
      this.message(this.buffer[0], this.buffer.subarray(5, 1 + length));
      this.buffer = this.buffer.subarray(1 + length);
    }
  }

  private message(type: number, body: Buffer): void {
    const read = new Reader(body);
    if (type === SIMPLE_QUERY) this.onStatement({ text: read.cstring() });
    else if (type === PARSE) {
      const name = read.cstring();
      this.prepared.set(name, read.cstring());
    } else if (type === BIND) {
      const portal = read.cstring();
      const name = read.cstring();
      const text = this.prepared.get(name) ?? '';
      const formats = Array.from({ length: read.int16() }, () => read.int16());
      const values = Array.from({ length: read.int16() }, (_, i) => {
        const value = read.value();
        const binary = (formats.length === 1 ? formats[0] : (formats[i] ?? 0)) === 1;
        return value === null || binary ? value : value.toString('utf8');
      });
      this.portals.set(portal, name ? { text, values, name } : { text, values });
    } else if (type === EXECUTE) {
      this.onStatement(this.portals.get(read.cstring()) ?? { text: '' });
    }
  }
}
