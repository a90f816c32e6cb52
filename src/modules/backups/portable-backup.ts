import { createHash } from 'node:crypto';

import type pg from 'pg';
import copyStreams from 'pg-copy-streams';

import {
  countRows,
  DATA_FRAME_BYTES,
  Frame,
  frame,
  jsonFrame,
  PORTABLE_MAGIC,
  type PortableHeader,
  type PortableSequence,
  type PortableTable,
  qualified,
  type TableSummary,
} from './portable-format.js';

/** Schemas that belong to PostgreSQL itself. */
export const SYSTEM_SCHEMAS = `n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'`;

/** Every table of the database (not those of extensions) with its stored columns (generated ones are computed). */
export async function listTables(client: pg.Client): Promise<PortableTable[]> {
  const { rows } = await client.query<PortableTable>(
    `select n.nspname as schema, c.relname as name,
            array(select a.attname::text from pg_attribute a
                   where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
                   order by a.attnum) as columns
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and ${SYSTEM_SCHEMAS}
        and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
      order by n.nspname, c.relname`,
  );
  return rows;
}

export interface PortableProgress {
  table: string;
  tablesDone: number;
  tables: number;
  rows: number;
  /** PostgreSQL's estimate of all rows, for a progress bar. */
  estimatedRows: number;
}

export interface PortableSummary {
  header?: PortableHeader;
  tables: TableSummary[];
  totalRows: number;
}

/**
 * The portable archive of the database `client` is connected to, as a stream of (uncompressed) bytes: every
 * table read with COPY in one REPEATABLE READ snapshot, so the tables are consistent with each other.
 * Fills `summary` as it goes.
 */
export async function* portableArchive(
  client: pg.Client,
  appVersion: string,
  summary: PortableSummary,
  onProgress?: (p: PortableProgress) => void,
): AsyncGenerator<Buffer> {
  await client.query('begin isolation level repeatable read read only');
  const tables = await listTables(client);
  const migrations = await client
    .query<{ name: string }>('select name from mikro_orm_migrations order by id')
    .then((r) => r.rows.map((m) => m.name))
    .catch(() => [] as string[]);
  const estimate = await client.query<{ rows: string }>(
    `select coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint as rows from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'r' and ${SYSTEM_SCHEMAS}`,
  );
  const header: PortableHeader = {
    format: 'venture-crm-portable',
    version: 1,
    createdAt: new Date().toISOString(),
    appVersion,
    serverVersion: (await client.query<{ server_version: string }>('show server_version')).rows[0]
      .server_version,
    migrations,
    tables,
  };
  summary.header = header;
  const progress: PortableProgress = {
    table: '',
    tablesDone: 0,
    tables: tables.length,
    rows: 0,
    estimatedRows: Number(estimate.rows[0].rows),
  };
  yield PORTABLE_MAGIC;
  yield* jsonFrame(Frame.Header, header);
  for (const table of tables) {
    progress.table = table.name;
    onProgress?.(progress);
    yield* jsonFrame(Frame.Table, table);
    const hash = createHash('sha256');
    let rows = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    const columns = table.columns.map((c) => `"${c}"`).join(', ');
    const copy = client.query(copyStreams.to(`copy ${qualified(table)} (${columns}) to stdout`));
    for await (const chunk of copy as AsyncIterable<Buffer>) {
      hash.update(chunk);
      const n = countRows(chunk);
      rows += n;
      progress.rows += n;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= DATA_FRAME_BYTES) {
        yield* frame(Frame.Data, Buffer.concat(pending, pendingBytes));
        onProgress?.(progress);
        pending = [];
        pendingBytes = 0;
      }
    }
    if (pendingBytes > 0) yield* frame(Frame.Data, Buffer.concat(pending, pendingBytes));
    const sha256 = hash.digest('hex');
    yield* jsonFrame(Frame.TableEnd, { rows, sha256 });
    summary.tables.push({ table: `${table.schema}.${table.name}`, rows, sha256 });
    summary.totalRows += rows;
    progress.tablesDone += 1;
  }
  const sequences = await client.query<PortableSequence>(
    `select schemaname as schema, sequencename as name, last_value::text as "lastValue" from pg_sequences
      where schemaname not in ('pg_catalog', 'information_schema') and schemaname not like 'pg\\_%'`,
  );
  yield* jsonFrame(Frame.Sequences, sequences.rows);
  yield* jsonFrame(Frame.Manifest, { tables: summary.tables, totalRows: summary.totalRows });
  yield* frame(Frame.End, Buffer.alloc(0));
  await client.query('commit');
  onProgress?.(progress);
}
