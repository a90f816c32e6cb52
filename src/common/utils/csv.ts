import { type Stringifier, stringify } from 'csv-stringify';

/** Characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** What a reversible escape puts an apostrophe before: a formula start, or an apostrophe of the value itself. */
const ESCAPED_START = /^'[=+\-@\t\r']/;

/**
 * A text cell made safe to open in Excel, LibreOffice or Google Sheets: a value starting with `=`, `+`, `-`,
 * `@`, tab or CR gets a leading apostrophe, so it shows as the text it is instead of running as a formula.
 * Numbers are written as numbers and are not touched.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/**
 * neutraliseFormula that can be undone exactly: a value that itself starts with an apostrophe gets one more,
 * so every apostrophe the writer added is followed by a formula start or an apostrophe, and restoreFormula
 * removes exactly those (`'=1` → `''=1` → `'=1`).
 */
export function neutraliseFormulaReversibly(value: string): string {
  return FORMULA_START.test(value) || value.startsWith("'") ? `'${value}` : value;
}

/** The inverse of neutraliseFormulaReversibly (for importing a file this app exported). */
export function restoreFormula(value: string): string {
  return ESCAPED_START.test(value) ? value.slice(1) : value;
}

/**
 * The one CSV writer of the app: a header row, dates as ISO 8601, booleans as true/false, objects as JSON, every text cell
 * neutralised against formula injection. Pipe rows (objects keyed by `columns[].key`) into it. With
 * `reversible` (the data export, which imports back) the escape is one restoreFormula undoes exactly.
 */
export function csvWriter(
  columns: readonly { key: string; header?: string }[],
  options: { reversible?: boolean } = {},
): Stringifier {
  const neutralise = options.reversible ? neutraliseFormulaReversibly : neutraliseFormula;
  return stringify({
    header: true,
    columns: columns.map(({ key, header }) => ({ key, header: header ?? key })),
    cast: {
      boolean: (b) => (b ? 'true' : 'false'),
      date: (d) => d.toISOString(),
      object: (o) => neutralise(JSON.stringify(o)),
      string: (s) => neutralise(s),
    },
  });
}
