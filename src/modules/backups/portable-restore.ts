import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

import type pg from 'pg';
import copyStreams from 'pg-copy-streams';

import { BackupIntegrityError } from './backups.errors.js';
import { deferConstraints, MIGRATIONS_TABLE_SQL, WIPE_SQL } from './database-reset.js';
import { listTables } from './portable-backup.js';
import { type PortableEvent, type PortableHeader, qualified } from './portable-format.js';

export interface LoadedPortable {
  header: PortableHeader;
  tables: number;
  rows: number;
}

/** One table's COPY … FROM STDIN, fed with backpressure; a failure of the server is kept until the next write. */
class CopyIn {
  private failure?: Error;

  constructor(private readonly stream: Writable) {
    stream.on('error', (err) => (this.failure = err));
  }

  async write(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await finished(this.stream);
  }

  /** Aborts the COPY (CopyFail), leaving the connection usable for the ROLLBACK. */
  async abort(): Promise<void> {
    if (this.stream.destroyed) return;
    this.stream.destroy(new Error('restore aborted'));
    await once(this.stream, 'close').catch(() => undefined);
  }
}

/**
 * Loads a portable archive into the database of `client`, inside the transaction the caller has begun and
 * will commit only if everything (this, the file's checksum, its decryption) succeeded: the schema is
 * wiped and rebuilt by replaying the migrations the archive names, then every table is loaded with COPY.
 */
export async function loadPortable(
  client: pg.Client,
  events: AsyncIterable<PortableEvent>,
  migrationSql: (names: string[]) => Promise<string[]>,
  onTable?: (name: string) => void,
): Promise<LoadedPortable> {
  let header: PortableHeader | undefined;
  let putBack: (() => Promise<void>) | undefined;
  let copy: CopyIn | undefined;
  let rows = 0;
  let tables = 0;
  try {
    for await (const event of events) {
      switch (event.type) {
        case 'header':
          header = event.header;
          putBack = await rebuildSchema(client, header, migrationSql);
          break;
        case 'table':
          onTable?.(event.table.name);
          copy = new CopyIn(
            client.query(
              copyStreams.from(
                `copy ${qualified(event.table)} (${event.table.columns.map((c) => client.escapeIdentifier(c)).join(', ')}) from stdin`,
              ),
            ),
          );
          break;
        case 'data':
          await copy!.write(event.chunk);
          break;
        case 'tableEnd':
          await copy!.end();
          copy = undefined;
          rows += event.rows;
          tables += 1;
          break;
        case 'sequences':
          for (const s of event.sequences.filter((q) => q.lastValue !== null)) {
            await client.query(
              `select setval(format('%I.%I', $1::text, $2::text)::regclass, $3::bigint, true)`,
              [s.schema, s.name, s.lastValue],
            );
          }
          break;
        case 'end':
          await putBack!();
          break;
      }
    }
  } catch (err) {
    await copy?.abort();
    throw err;
  }
  if (!header) throw new BackupIntegrityError('the archive is empty');
  return { header, tables, rows };
}

async function rebuildSchema(
  client: pg.Client,
  header: PortableHeader,
  migrationSql: (names: string[]) => Promise<string[]>,
): Promise<() => Promise<void>> {
  const statements = await migrationSql(header.migrations);
  await client.query(WIPE_SQL);
  await client.query(MIGRATIONS_TABLE_SQL);
  for (const sql of statements) await client.query(sql);
  const present = new Set((await listTables(client)).map((t) => qualified(t)));
  const unknown = header.tables.filter((t) => !present.has(qualified(t)));
  if (unknown.length > 0) {
    throw new BackupIntegrityError(
      `its migrations do not create table(s) ${unknown.map((t) => t.name).join(', ')} of the backup`,
    );
  }
  const putBack = await deferConstraints(client);
  // The migrations may have written rows of their own (none do today): the backup's rows replace them.
  if (header.tables.length > 0) await client.query(`truncate ${header.tables.map(qualified).join(', ')}`);
  return putBack;
}
