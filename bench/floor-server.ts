import { createServer } from 'node:http';

import pg from 'pg';

import { withNewIds } from './new-ids.js';
import type { Statement } from './query-counter.js';

/**
 * The floor (see floor.ts), run as its own process so that its CPU is counted apart: a bare `node:http` server
 * over a `pg.Pool`. Each request, whatever its path, sends the scenario's captured statements on one pooled
 * connection, one after another (named when the app named them; a write's made-up ids made up anew,
 * bench/new-ids.ts), and answers the last one's rows as `{"data":[…]}`. Dates and timestamps are read as text, as
 * the app's driver reads them. The parent sets the statements and the pool's size with an IPC message
 * `{ statements, newIds, connections }` and waits for `ready`.
 */
const types = new pg.TypeOverrides();
for (const oid of [1082, 1114, 1184, 1186]) types.setTypeParser(oid, (text: string) => text);

const databaseUrl = process.argv[2];
let pool: pg.Pool | undefined;
let statements: Statement[] = [];
let newIds: string[] = [];

async function answer(): Promise<string> {
  const client = await pool!.connect();
  try {
    let rows: unknown[] = [];
    for (const s of withNewIds(statements, newIds)) {
      ({ rows } = await client.query(s.values ? { name: s.name, text: s.text, values: s.values } : s.text));
    }
    return JSON.stringify({ data: rows });
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  req.resume();
  answer().then(
    (body) => {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(body);
    },
    (err: Error) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(err.message);
    },
  );
});

process.on('message', (message: { statements: Statement[]; newIds: string[]; connections: number }) => {
  const previous = pool;
  pool = new pg.Pool({ connectionString: databaseUrl, max: message.connections, types });
  pool.on('error', () => undefined);
  ({ statements, newIds } = message);
  void (previous?.end() ?? Promise.resolve()).then(() => process.send!('ready'));
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
});
