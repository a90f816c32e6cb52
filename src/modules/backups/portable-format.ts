import { createHash, type Hash } from 'node:crypto';

import { BackupIntegrityError } from './backups.errors.js';

/**
 * The portable backup, made by the app itself where no suitable pg_dump exists: one gzip stream of
 *   MAGIC, then frames of (type: 1 byte, length: uint32 BE, payload)
 *   H header (JSON: versions, migrations applied, tables and their columns)
 *   per table: T (JSON: schema, name, columns), D… (COPY text data), E (JSON: rows, sha256 of the data)
 *   S sequences (JSON), M manifest (JSON: every table's rows and sha256), Z end.
 * The data is PostgreSQL's own COPY text format, so it loads back with COPY into any server version; the
 * schema is not in the file: restore replays the app's migrations up to the one the header names.
 */
export const PORTABLE_MAGIC = Buffer.from('VCRMBAK1\n');

export const Frame = {
  Header: 0x48, // H
  Table: 0x54, // T
  Data: 0x44, // D
  TableEnd: 0x45, // E
  Sequences: 0x53, // S
  Manifest: 0x4d, // M
  End: 0x5a, // Z
} as const;
export type Frame = (typeof Frame)[keyof typeof Frame];

export interface PortableTable {
  schema: string;
  name: string;
  columns: string[];
}

export interface PortableHeader {
  format: 'venture-crm-portable';
  version: 1;
  createdAt: string;
  appVersion: string;
  serverVersion: string;
  /** Names of the migrations applied to the database, in order. */
  migrations: string[];
  tables: PortableTable[];
}

export interface PortableSequence {
  schema: string;
  name: string;
  /** bigint as text; null when the sequence was never used. */
  lastValue: string | null;
}

export interface TableSummary {
  table: string;
  rows: number;
  sha256: string;
}

export interface PortableManifest {
  tables: TableSummary[];
  totalRows: number;
}

const FRAME_HEAD = 5;
/** Data frames carry at least this much (COPY output arrives in small chunks; fewer, larger frames). */
export const DATA_FRAME_BYTES = 256 * 1024;
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

export function frame(type: Frame, payload: Buffer): Buffer[] {
  const head = Buffer.alloc(FRAME_HEAD);
  head.writeUInt8(type, 0);
  head.writeUInt32BE(payload.length, 1);
  return [head, payload];
}

export const jsonFrame = (type: Frame, value: unknown): Buffer[] =>
  frame(type, Buffer.from(JSON.stringify(value)));

/** Rows in a chunk of COPY text: one newline each (newlines inside values are escaped as \n). */
export function countRows(chunk: Buffer): number {
  let rows = 0;
  for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) rows += 1;
  return rows;
}

export const qualified = (t: { schema: string; name: string }): string => `"${t.schema}"."${t.name}"`;

/** Buffers collected until a whole frame is there, joined once (not on every chunk). */
class ByteQueue {
  private chunks: Buffer[] = [];
  size = 0;

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.chunks = all.length > n ? [all.subarray(n)] : [];
    this.size -= n;
    return all.subarray(0, n);
  }
}

async function* frames(source: AsyncIterable<Buffer>): AsyncGenerator<{ type: Frame; payload: Buffer }> {
  const queue = new ByteQueue();
  let magicSeen = false;
  let need = PORTABLE_MAGIC.length;
  let head: { type: Frame; length: number } | undefined;
  for await (const chunk of source) {
    queue.push(chunk);
    while (queue.size >= need) {
      if (!magicSeen) {
        if (!queue.take(need).equals(PORTABLE_MAGIC))
          throw new BackupIntegrityError('not a venture-crm portable backup');
        magicSeen = true;
      } else if (!head) {
        const bytes = queue.take(FRAME_HEAD);
        head = { type: bytes.readUInt8(0) as Frame, length: bytes.readUInt32BE(1) };
        if (head.length > MAX_FRAME_BYTES)
          throw new BackupIntegrityError('a frame of the archive is corrupt');
        need = head.length;
        continue;
      } else {
        yield { type: head.type, payload: queue.take(need) };
        head = undefined;
      }
      need = FRAME_HEAD;
    }
  }
  if (head || queue.size > 0 || !magicSeen) throw new BackupIntegrityError('the archive is truncated');
}

export type PortableEvent =
  | { type: 'header'; header: PortableHeader }
  | { type: 'table'; table: PortableTable }
  | { type: 'data'; chunk: Buffer }
  | { type: 'tableEnd'; table: PortableTable; rows: number }
  | { type: 'sequences'; sequences: PortableSequence[] }
  | { type: 'end'; manifest: PortableManifest };

function json<T>(payload: Buffer): T {
  try {
    return JSON.parse(payload.toString('utf8')) as T;
  } catch {
    throw new BackupIntegrityError('a frame of the archive is corrupt');
  }
}

/**
 * The archive's content as events, checked on the way: frame order, each table's row count and SHA-256
 * against its end frame and the manifest, and the end marker. A consumer that reaches the end without an
 * error has read exactly what was written.
 */
export async function* portableEvents(source: AsyncIterable<Buffer>): AsyncGenerator<PortableEvent> {
  let header: PortableHeader | undefined;
  let table: { def: PortableTable; hash: Hash; rows: number } | undefined;
  let ended = false;
  const seen: TableSummary[] = [];
  const fail = (what: string): never => {
    throw new BackupIntegrityError(`the archive is corrupt (${what})`);
  };
  for await (const { type, payload } of frames(source)) {
    if (ended) fail('data after the end');
    if (!header && type !== Frame.Header) fail('no header');
    switch (type) {
      case Frame.Header:
        if (header) fail('two headers');
        header = json<PortableHeader>(payload);
        if (header.format !== 'venture-crm-portable' || header.version !== 1) fail('unknown format version');
        yield { type: 'header', header };
        break;
      case Frame.Table: {
        if (table) fail('a table inside a table');
        const def = json<PortableTable>(payload);
        table = { def, hash: createHash('sha256'), rows: 0 };
        yield { type: 'table', table: def };
        break;
      }
      case Frame.Data:
        if (!table) fail('data outside a table');
        table!.hash.update(payload);
        table!.rows += countRows(payload);
        yield { type: 'data', chunk: payload };
        break;
      case Frame.TableEnd: {
        if (!table) fail('a table end outside a table');
        const end = json<{ rows: number; sha256: string }>(payload);
        const sha256 = table!.hash.digest('hex');
        if (end.rows !== table!.rows || end.sha256 !== sha256) {
          throw new BackupIntegrityError(`the data of table ${table!.def.name} does not match its checksum`);
        }
        seen.push({ table: `${table!.def.schema}.${table!.def.name}`, rows: end.rows, sha256 });
        yield { type: 'tableEnd', table: table!.def, rows: end.rows };
        table = undefined;
        break;
      }
      case Frame.Sequences:
        yield { type: 'sequences', sequences: json<PortableSequence[]>(payload) };
        break;
      case Frame.Manifest: {
        const manifest = json<PortableManifest>(payload);
        if (table || JSON.stringify(manifest.tables) !== JSON.stringify(seen))
          fail('the manifest does not match the tables');
        yield { type: 'end', manifest };
        break;
      }
      case Frame.End:
        if (seen.length !== header!.tables.length) fail('tables are missing');
        ended = true;
        break;
      default:
        fail(`unknown frame ${String(type)}`);
    }
  }
  if (!ended) throw new BackupIntegrityError('the archive is truncated (no end marker)');
}
