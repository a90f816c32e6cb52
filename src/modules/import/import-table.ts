import { CsvError, parse } from 'csv-parse/sync';

import { ValidationError } from '../../common/errors/index.js';
import { restoreFormula } from '../../common/utils/csv.js';
import type { ImportOptions, ImportTable } from './import-types.js';
import { joinList } from './import-values.js';

/** A header repeated in the file gets a suffix, so every column can be mapped: `Name`, `Name (2)`. */
function uniqueHeaders(raw: string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((h) => {
    const header = h.trim();
    const n = (seen.get(header) ?? 0) + 1;
    seen.set(header, n);
    return n === 1 ? header : `${header} (${n})`;
  });
}

/**
 * A CSV file as a table, read by csv-parse: UTF-8 BOM dropped, CRLF or LF, quoted cells over several lines,
 * stray quotes inside a cell tolerated, rows of any length. Blank lines stay rows (counted as blank, skipped).
 */
export function tableFromCsv(text: string, field = 'data'): ImportTable {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
    });
  } catch (err) {
    if (err instanceof CsvError) throw ValidationError.field(field, `is not readable CSV: ${err.message}`);
    throw err;
  }
  if (records.length === 0 || records[0].every((h) => h.trim() === '')) {
    throw ValidationError.field(field, 'has no header row');
  }
  return { headers: uniqueHeaders(records[0]), rows: records.slice(1) };
}

/** A cell sent as JSON: lists as a multi-select cell, other values as text. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return joinList(value.map(cellText));
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** JSON rows (objects keyed by column) as a table: the columns are every key, in order of first appearance. */
export function tableFromRows(rows: Record<string, unknown>[], field = 'data'): ImportTable {
  const headers: string[] = [];
  const known = new Set<string>();
  rows.forEach((row, i) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw ValidationError.field(`${field}[${i}]`, 'must be an object of column: value');
    }
    for (const key of Object.keys(row)) {
      if (!known.has(key)) {
        known.add(key);
        headers.push(key);
      }
    }
  });
  return { headers, rows: rows.map((row) => headers.map((h) => cellText(row[h]))) };
}

/** Columns that make a header row that of this app's own export. */
const EXPORT_SIGNATURE = ['id', 'createdAt', 'updatedAt'];

/**
 * The table with the export's formula escapes removed (see csvWriter's `reversible`), when asked or — `auto` —
 * when the header row is that of this app's export. Cells of other files are left exactly as they are.
 */
export function withFormulaEscapesUndone(
  table: ImportTable,
  mode: ImportOptions['formulaEscapes'],
): ImportTable {
  const undo =
    mode === 'undo' || (mode === 'auto' && EXPORT_SIGNATURE.every((h) => table.headers.includes(h)));
  if (!undo) return table;
  return { headers: table.headers, rows: table.rows.map((cells) => cells.map(restoreFormula)) };
}
