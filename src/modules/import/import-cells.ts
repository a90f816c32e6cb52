import type { FieldKind } from './import-fields.js';
import {
  type DateOptions,
  parseCheckbox,
  parseDate,
  parseDateTime,
  parseMoney,
  parseNumber,
  splitList,
} from './import-values.js';

/** A cell read for its field: the value (null for an empty cell), the currency a money cell named, or why not. */
export type CellRead = { value: unknown; currency?: string } | { error: string };

/**
 * Cells of the value kinds (money, dates, checkboxes, numbers, lists) read as the API's DTOs take them: dates as
 * `YYYY-MM-DD`, moments as ISO 8601, money as a number. Undefined for the kinds read elsewhere.
 */
export function readValueCell(kind: FieldKind, cell: string, options: DateOptions): CellRead | undefined {
  const empty = cell === '';
  switch (kind) {
    case 'money': {
      if (empty) return { value: null };
      const money = parseMoney(cell);
      if (!money) return { error: `"${cell}" is not an amount (such as $5,000,000.00, €2M or 250000)` };
      return money.currency ? { value: money.amount, currency: money.currency } : { value: money.amount };
    }
    case 'date': {
      if (empty) return { value: null };
      const date = parseDate(cell, options);
      return date ? { value: date } : { error: `"${cell}" is not a date (such as 3/15/2024 or 2024-03-15)` };
    }
    case 'datetime': {
      if (empty) return { value: null };
      const moment = parseDateTime(cell, options);
      return moment
        ? { value: moment.toISOString() }
        : { error: `"${cell}" is not a date and time (such as 3/15/2024 2:30pm or 2024-03-15T14:30:00Z)` };
    }
    case 'boolean': {
      const flag = parseCheckbox(cell);
      return flag === undefined
        ? { error: `"${cell}" is not a checkbox value (checked, yes, no, …)` }
        : { value: flag };
    }
    case 'integer': {
      if (empty) return { value: null };
      const n = parseNumber(cell);
      return n === undefined ? { error: `"${cell}" is not a number` } : { value: n };
    }
    case 'list':
      return { value: splitList(cell) };
    default:
      return undefined;
  }
}
