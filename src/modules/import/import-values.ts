import { isEmail } from 'class-validator';
import { parse as parseCsvSync } from 'csv-parse/sync';

/**
 * Lenient readers for what Airtable (and spreadsheets) export: money with symbols and suffixes, US, ISO and
 * day-first dates, checkboxes, multi-selects, one "Name" column, emails with stray spaces. Each returns
 * `undefined` for a value it cannot read, so the caller can reject the row naming the column.
 */

export interface Money {
  amount: number;
  /** ISO 4217 code when the cell said so ($ → USD, € → EUR, "GBP" …); null when it did not. */
  currency: string | null;
}

const SYMBOLS: Record<string, string> = {
  $: 'USD',
  US$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  CHF: 'CHF',
};
const MULTIPLIERS: Record<string, number> = { k: 1e3, m: 1e6, mm: 1e6, b: 1e9, bn: 1e9 };

/** `$5,000,000.00`, `€2,000,000.00`, `5000000`, `$5M`, `2.5k`, `USD 1,000`, `1,000 EUR`, `($300)` (negative). */
export function parseMoney(raw: string): Money | undefined {
  let s = raw.trim().replace(/\u00a0/g, ' ');
  if (s === '') return undefined;
  let negative = false;
  if (/^\(.*\)$/.test(s)) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  if (s.startsWith('-')) {
    negative = !negative;
    s = s.slice(1).trim();
  }
  let currency: string | null = null;
  const prefix = /^(US\$|[$€£¥]|[A-Z]{3}(?=[\s\d]))\s*/.exec(s);
  if (prefix) {
    currency = SYMBOLS[prefix[1]] ?? prefix[1];
    s = s.slice(prefix[0].length);
  }
  const suffix = /\s*([A-Z]{3}|[€£])$/.exec(s);
  if (suffix) {
    const code = SYMBOLS[suffix[1]] ?? suffix[1];
    if (currency && currency !== code) return undefined;
    currency = code;
    s = s.slice(0, suffix.index);
  }
  if (s.startsWith('-') && !negative) {
    negative = true;
    s = s.slice(1);
  }
  const multiplier = /(k|mm|m|bn|b)$/i.exec(s);
  let factor = 1;
  if (multiplier) {
    factor = MULTIPLIERS[multiplier[1].toLowerCase()];
    s = s.slice(0, multiplier.index).trim();
  }
  // Thousands separators only in their places: "5,000,000.00" yes, "5,00" no (a decimal comma is not guessed).
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(s)) return undefined;
  const amount = Math.round(Number(s.replace(/,/g, '')) * factor * 100) / 100;
  if (!Number.isFinite(amount)) return undefined;
  return { amount: negative && amount !== 0 ? -amount : amount, currency };
}

export interface DateOptions {
  /** European exports: 15/3/2024 is the 15th of March (otherwise 3/15/2024, as Airtable's US export). */
  dayFirst?: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const pad = (n: number): string => String(n).padStart(2, '0');

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1000 || year > 9999) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

interface DateParts {
  date: string;
  /** `HH:MM:SS` or `HH:MM:SS.mmm` when the cell had a time. */
  time?: string;
  /** `Z` or `+02:00` when the cell said so. */
  zone?: string;
}

function timeOf(raw: string | undefined): string | undefined | null {
  if (raw === undefined || raw.trim() === '') return undefined;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*([ap]\.?m\.?)?$/i.exec(raw.trim());
  if (!m) return null;
  let hours = Number(m[1]);
  const meridiem = m[5]?.[0]?.toLowerCase();
  if (meridiem) {
    if (hours < 1 || hours > 12) return null;
    hours = (hours % 12) + (meridiem === 'p' ? 12 : 0);
  }
  const minutes = Number(m[2]);
  const seconds = Number(m[3] ?? 0);
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  // Milliseconds kept (an export of this app has them): the moment imports back exactly.
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${m[4]?.slice(0, 4) ?? ''}`;
}

function dateParts(raw: string, options: DateOptions): DateParts | undefined {
  const s = raw.trim();
  let year: number;
  let month: number;
  let day: number;
  let rest: string | undefined;
  let zone: string | undefined;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s]+(.*?))?(Z|[+-]\d{2}:?\d{2})?$/i.exec(s);
  const slashed = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[\s,]+(.*))?$/.exec(s);
  const friendly = /^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:[\s,]+(.*))?$/i.exec(s);
  if (iso) {
    [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    rest = iso[4];
    zone = iso[5]?.toUpperCase();
  } else if (slashed) {
    const [a, b] = [Number(slashed[1]), Number(slashed[2])];
    [month, day] = options.dayFirst ? [b, a] : [a, b];
    year = slashed[3].length === 2 ? 2000 + Number(slashed[3]) : Number(slashed[3]);
    rest = slashed[4];
  } else if (friendly) {
    month = MONTHS.indexOf(friendly[1].slice(0, 3).toLowerCase()) + 1;
    if (month === 0 || !MONTHS.some((m) => friendly[1].toLowerCase().startsWith(m))) return undefined;
    day = Number(friendly[2]);
    year = Number(friendly[3]);
    rest = friendly[4];
  } else {
    return undefined;
  }
  if (!validDate(year, month, day)) return undefined;
  const time = timeOf(rest);
  if (time === null) return undefined;
  return { date: `${year}-${pad(month)}-${pad(day)}`, time, zone };
}

/** A calendar date as `YYYY-MM-DD` from `3/15/2024`, `2024-03-15`, `March 15, 2024` (a time, if any, is ignored). */
export function parseDate(raw: string, options: DateOptions = {}): string | undefined {
  return dateParts(raw, options)?.date;
}

/**
 * A moment from `3/15/2024 2:30pm`, `2024-03-15T14:30:00Z`, `3/15/2024` (midnight). A time without a zone is
 * read as UTC: Airtable's CSV carries no zone, and guessing the server's would make imports depend on it.
 */
export function parseDateTime(raw: string, options: DateOptions = {}): Date | undefined {
  const parts = dateParts(raw, options);
  if (!parts) return undefined;
  const zone = !parts.zone || parts.zone === 'Z' ? 'Z' : parts.zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const d = new Date(`${parts.date}T${parts.time ?? '00:00:00'}${zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

const TRUE = new Set(['checked', 'true', 'yes', 'y', '1', 'x', '✓', '✔', '✅', 'on']);
const FALSE = new Set(['', 'unchecked', 'false', 'no', 'n', '0', 'off']);

/** Airtable writes `checked` for a ticked box and nothing for an empty one. */
export function parseCheckbox(raw: string): boolean | undefined {
  const s = raw.trim().toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return undefined;
}

/**
 * The items of a multi-select or linked-record cell: `a, b` → [a, b]. Airtable quotes an item containing a comma
 * (`"Pacific Capital, LLC",Other`), so the cell is read as one CSV line. Blank items and repeats
 * (ignoring case) are dropped.
 */
export function splitList(raw: string): string[] {
  const s = raw.trim();
  if (s === '') return [];
  let items: string[];
  // Without quotes or line breaks the CSV reading is a split at commas (and it is called for cells of every row).
  if (!/["\r\n]/.test(s)) items = s.split(',');
  else {
    try {
      const rows = parseCsvSync(s, { relax_quotes: true, trim: true, relax_column_count: true });
      items = rows.flat();
    } catch {
      items = s.split(',');
    }
  }
  const seen = new Set<string>();
  const out: string[] = [];
  for (const item of items.map((i) => i.trim())) {
    if (item === '' || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    out.push(item);
  }
  return out;
}

/** The inverse of splitList: items joined with `, `, an item with a comma or quote quoted (as Airtable does). */
export function joinList(items: readonly string[]): string {
  return items.map((i) => (/[",]|^\s|\s$/.test(i) ? `"${i.replace(/"/g, '""')}"` : i)).join(', ');
}

const SUFFIXES = /^(jr\.?|sr\.?|ii|iii|iv|phd|md|cfa|esq\.?)$/i;

/** One "Name" column into first and last name: `Dana Ruiz`, `Ruiz, Dana`, `Mary Ann Smith Jr.` (last: `Smith Jr.`). */
export function splitName(raw: string): { firstName: string; lastName: string } {
  const s = raw.trim().replace(/\s+/g, ' ');
  const comma = /^([^,]+),\s*([^,]+)$/.exec(s);
  if (comma && !SUFFIXES.test(comma[2].trim()))
    return { firstName: comma[2].trim(), lastName: comma[1].trim() };
  const words = s.split(' ').filter(Boolean);
  if (words.length <= 1) return { firstName: words[0] ?? '', lastName: '' };
  // "Mary Ann Smith": the last word (with a suffix such as Jr.) is the last name, the rest the first name.
  let lastStart = words.length - 1;
  if (SUFFIXES.test(words[lastStart].replace(/,$/, '')) && lastStart > 1) lastStart -= 1;
  return {
    firstName: words.slice(0, lastStart).join(' ').replace(/,$/, ''),
    lastName: words.slice(lastStart).join(' ').replace(/,\s*/g, ' '),
  };
}

/** An email as stored: trimmed, lower-cased, a `mailto:` or `<…>` around it removed; '' stays ''. */
export function normaliseEmail(raw: string): string {
  let s = raw.trim();
  const angled = /<([^<>]+)>\s*$/.exec(s);
  if (angled) s = angled[1];
  return s
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
}

/** The API's rule for an email (class-validator's isEmail, at most 254 characters). */
export function isValidEmail(email: string): boolean {
  return email.length <= 254 && isEmail(email);
}

/**
 * The key two names are compared by when linking records: case, accents, spacing and punctuation ignored
 * ("Pacific Capital Partners, L.P." = "pacific capital partners LP").
 */
export function nameKey(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * An enum value from a label: `Family Office` → `family_office`, `Do-Not-Contact` → `do_not_contact`; or from
 * one of the field's `synonyms` (keyed by nameKey: `Closed Won` → `closedwon` → `funded`).
 */
export function parseEnum<T extends string>(
  raw: string,
  values: readonly T[],
  synonyms: Readonly<Record<string, string>> = {},
): T | undefined {
  const s = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const synonym = Object.hasOwn(synonyms, nameKey(raw)) ? synonyms[nameKey(raw)] : undefined;
  return values.find((v) => v === s || nameKey(v) === nameKey(raw)) ?? values.find((v) => v === synonym);
}

/** A number from `60`, `60%`, `1,440`, `30 min`, `45 minutes`, `-3`; undefined for anything else. */
export function parseNumber(raw: string): number | undefined {
  const s = raw
    .trim()
    .replace(/\s*(%|mins?|minutes?)$/i, '')
    .trim();
  if (!/^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(s)) return undefined;
  return Number(s.replace(/,/g, ''));
}
