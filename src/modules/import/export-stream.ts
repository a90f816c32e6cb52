import { pipeline, Readable } from 'node:stream';

import type { EntityManager, Knex } from '@mikro-orm/postgresql';

import { csvWriter } from '../../common/utils/csv.js';
import { runQuery } from '../../common/utils/sql.js';
import {
  type CustomFieldDefinition,
  CustomFieldType,
} from '../custom-fields/custom-field-definition.entity.js';
import { joinList } from './import-values.js';

/**
 * The export kit: rows read in keyset batches by id (never the whole table in memory, never an OFFSET scan),
 * streamed out as CSV through the app's CSV writer (reversible mode) or as a JSON array. Each entity of
 * ExportService only says which rows (its list's own filters), how to read a batch, and its columns.
 */

export type ExportFormat = 'csv' | 'json';

export interface ExportFile {
  fileName: string;
  contentType: string;
  stream: Readable;
}

export type Cells = Record<string, unknown>;

/** Bookkeeping columns last: their presence also tells the import that the file is this app's export. */
const BOOKKEEPING = ['id', 'createdAt', 'updatedAt'];

/** The columns of a file: the entity's fields, its custom fields as `cf.<key>`, then the bookkeeping. */
export const exportColumns = (fields: readonly string[], definitions: CustomFieldDefinition[] = []) =>
  [...fields, ...definitions.map((d) => `cf.${d.key}`), ...BOOKKEEPING].map((key) => ({ key }));

/** A custom field value as a cell the import reads back to the same value. */
function customFieldCell(definition: CustomFieldDefinition, value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (definition.fieldType === CustomFieldType.MultiSelect && Array.isArray(value))
    return joinList(value as string[]);
  if (definition.fieldType === CustomFieldType.Boolean) return value ? 'true' : 'false';
  return value;
}

export const customFieldCells = (
  definitions: CustomFieldDefinition[],
  values: Record<string, unknown>,
): Cells => Object.fromEntries(definitions.map((d) => [`cf.${d.key}`, customFieldCell(d, values[d.key])]));

/** A linked record's name as Airtable writes it: a name with a comma is quoted, so the import reads one name. */
export const linkedName = (name: string | null | undefined): string | null =>
  name ? joinList([name]) : null;

/**
 * Ids of `rows` (a list's filtered rows), by id, `size` at a time, each batch read as `read` answers it. `id`
 * is the id column as `rows` sees it (`o.id` when the table is aliased `o`).
 */
export async function* sqlBatches<T>(
  em: EntityManager,
  source: { rows: Knex.QueryBuilder; id: string },
  size: number,
  read: (ids: string[]) => Promise<T[]>,
): AsyncGenerator<T[]> {
  const { rows, id } = source;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const batch = rows.clone().select({ id }).where(id, '>', after).orderBy(id).limit(size);
    const ids = await runQuery<{ id: string }>(em, batch);
    if (ids.length === 0) return;
    yield await read(ids.map((r) => r.id));
    after = ids[ids.length - 1].id;
  }
}

/** The batches as a file named `<name>-<day>.csv|json`: CSV cells by `as.csv`, JSON items by `as.json`. */
export function exportFile<T>(
  name: string,
  format: ExportFormat,
  columns: { key: string }[],
  batches: AsyncGenerator<T[]>,
  as: { csv: (row: T) => Cells; json: (row: T) => unknown },
): ExportFile {
  const day = new Date().toISOString().slice(0, 10);
  if (format === 'json') {
    return {
      fileName: `${name}-${day}.json`,
      contentType: 'application/json; charset=utf-8',
      stream: Readable.from(jsonArray(batches, as.json)),
    };
  }
  const writer = csvWriter(columns, { reversible: true });
  const source = Readable.from(flatten(batches, as.csv));
  pipeline(source, writer, (err) => {
    if (err) writer.destroy(err);
  });
  return { fileName: `${name}-${day}.csv`, contentType: 'text/csv; charset=utf-8', stream: writer };
}

async function* flatten<T>(batches: AsyncGenerator<T[]>, map: (row: T) => Cells): AsyncGenerator<Cells> {
  for await (const batch of batches) for (const row of batch) yield map(row);
}

async function* jsonArray<T>(batches: AsyncGenerator<T[]>, map: (row: T) => unknown): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const batch of batches) {
    const text = batch.map((row) => JSON.stringify(map(row))).join(',');
    if (text === '') continue;
    yield first ? text : `,${text}`;
    first = false;
  }
  yield ']\n';
}
