import { type Stringifier, stringify } from 'csv-stringify';

/** Characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A text cell made safe to open in Excel, LibreOffice or Google Sheets: a value starting with `=`, `+`, `-`,
 * `@`, tab or CR gets a leading apostrophe, so it shows as the text it is instead of running as a formula.
 * Numbers are written as numbers and are not touched.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * The one CSV writer of the app: a header row, dates as ISO 8601, booleans as true/false, objects as JSON,
 * every text cell neutralised against formula injection. Pipe rows (objects keyed by `columns[].key`) into it.
 */
export function csvWriter(columns: readonly { key: string; header?: string }[]): Stringifier {
  return stringify({
    header: true,
    columns: columns.map(({ key, header }) => ({ key, header: header ?? key })),
    cast: {
      boolean: (b) => (b ? 'true' : 'false'),
      date: (d) => d.toISOString(),
      object: (o) => neutraliseFormula(JSON.stringify(o)),
      string: (s) => neutraliseFormula(s),
    },
  });
}
