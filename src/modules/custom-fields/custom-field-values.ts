import { isEmail, isURL } from 'class-validator';

import { isDateOnly } from '../../common/dto/validators.js';
import { CustomFieldType } from './custom-field-definition.entity.js';

export interface FieldRule {
  key: string;
  fieldType: CustomFieldType;
  options: string[];
  required: boolean;
}

/** The outcome of checking one value: the normalised value to store, or why it is refused. */
export type Checked = { ok: true; value: unknown } | { ok: false; reason: string };

const MAX_TEXT = 1000;
const MAX_LONG_TEXT = 20000;
const MAX_NUMBER = 1e15;

const ok = (value: unknown): Checked => ({ ok: true, value });
const no = (reason: string): Checked => ({ ok: false, reason });

/**
 * Checks a value against its field type. Strict mode is the API's: JSON types as documented ("1,500,000" is
 * not a number). Lenient mode is for imports of messy spreadsheets: "$5,000,000.00", "3/15/2024",
 * "checked", "a, b" are understood. Both normalise (trimmed text, 2-decimal currency, ISO dates).
 * `null` (or "" in lenient mode) means "no value".
 */
export function checkValue(rule: FieldRule, raw: unknown, lenient = false): Checked {
  if (raw === null || raw === undefined || (lenient && typeof raw === 'string' && raw.trim() === ''))
    return ok(null);
  switch (rule.fieldType) {
    case CustomFieldType.Text:
    case CustomFieldType.LongText: {
      if (typeof raw !== 'string')
        return lenient && typeof raw === 'number' ? ok(String(raw)) : no('must be text');
      const max = rule.fieldType === CustomFieldType.Text ? MAX_TEXT : MAX_LONG_TEXT;
      const value = raw.trim();
      if (value.length > max) return no(`must be at most ${max} characters`);
      return ok(value === '' ? null : value);
    }
    case CustomFieldType.Number:
    case CustomFieldType.Currency: {
      const n = toNumber(raw, lenient);
      if (n === undefined)
        return no(lenient ? 'must be a number' : 'must be a JSON number (not text such as "1,500,000")');
      if (Math.abs(n) >= MAX_NUMBER) return no('is too large');
      if (rule.fieldType === CustomFieldType.Currency) {
        const cents = Math.round(n * 100);
        if (!lenient && Math.abs(cents - n * 100) > 1e-6) return no('must have at most 2 decimals');
        return ok(cents / 100);
      }
      return ok(n);
    }
    case CustomFieldType.Date: {
      const value = typeof raw === 'string' ? (lenient ? toIsoDate(raw) : raw.trim()) : undefined;
      return value && isDateOnly(value) ? ok(value) : no('must be a date as YYYY-MM-DD');
    }
    case CustomFieldType.Boolean: {
      if (typeof raw === 'boolean') return ok(raw);
      if (lenient) {
        const value = toBoolean(raw);
        if (value !== undefined) return ok(value);
      }
      return no('must be true or false');
    }
    case CustomFieldType.Select: {
      if (typeof raw !== 'string') return no(`must be one of: ${rule.options.join(', ')}`);
      const option = matchOption(rule.options, raw, lenient);
      return option !== undefined ? ok(option) : no(`must be one of: ${rule.options.join(', ')}`);
    }
    case CustomFieldType.MultiSelect: {
      const items = Array.isArray(raw)
        ? raw
        : lenient && typeof raw === 'string'
          ? raw.split(/[,;\n]/)
          : undefined;
      if (!items || items.some((i) => typeof i !== 'string')) return no('must be an array of options');
      const chosen: string[] = [];
      for (const item of items as string[]) {
        if (lenient && item.trim() === '') continue;
        const option = matchOption(rule.options, item, lenient);
        if (option === undefined) return no(`"${item}" is not one of: ${rule.options.join(', ')}`);
        if (!chosen.includes(option)) chosen.push(option);
      }
      return ok(chosen.length > 0 ? chosen : lenient ? null : []);
    }
    case CustomFieldType.Url: {
      if (typeof raw !== 'string') return no('must be a web address');
      const value = raw.trim();
      return isURL(value, { protocols: ['http', 'https'], require_protocol: false }) && value.length <= 2000
        ? ok(value)
        : no('must be a web address such as https://example.com');
    }
    case CustomFieldType.Email: {
      if (typeof raw !== 'string') return no('must be an email address');
      const value = raw.trim();
      return isEmail(value) && value.length <= 254 ? ok(value) : no('must be a valid email address');
    }
  }
}

/** True when a stored value has no content (so a required field counts as missing). */
export function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || (Array.isArray(value) && value.length === 0);
}

function toNumber(raw: unknown, lenient: boolean): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (!lenient || typeof raw !== 'string') return undefined;
  let s = raw.trim();
  const negative = /^\(.*\)$/.test(s) || s.startsWith('-');
  s = s
    .replace(/^\(|\)$/g, '')
    .replace(/^-/, '')
    .replace(/^[$€£¥]|\s*(USD|EUR|GBP)$/i, '')
    .replace(/[$,\s]/g, '');
  const multiplier = /[kmb]$/i.test(s)
    ? { k: 1e3, m: 1e6, b: 1e9 }[s.slice(-1).toLowerCase() as 'k' | 'm' | 'b']
    : 1;
  if (multiplier !== 1) s = s.slice(0, -1);
  if (!/^\d+(\.\d+)?$/.test(s)) return undefined;
  const n = Number(s) * multiplier;
  return negative ? -n : n;
}

/** ISO as is; US-style M/D/YYYY (Airtable's export) and M/D/YY. */
function toIsoDate(raw: string): string | undefined {
  const s = raw.trim();
  if (/^\d{4}-\d{2}-\d{2}/.test(s)) return s.slice(0, 10);
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4})$/.exec(s);
  if (!m) return undefined;
  const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  return `${year}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`;
}

function toBoolean(raw: unknown): boolean | undefined {
  if (typeof raw === 'number') return raw === 1 ? true : raw === 0 ? false : undefined;
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim().toLowerCase();
  if (['true', 'yes', 'y', '1', 'checked', 'x', '✓', '✔'].includes(s)) return true;
  if (['false', 'no', 'n', '0', 'unchecked', ''].includes(s)) return false;
  return undefined;
}

function matchOption(options: string[], raw: string, lenient: boolean): string | undefined {
  const value = raw.trim();
  if (options.includes(value)) return value;
  return lenient ? options.find((o) => o.toLowerCase() === value.toLowerCase()) : undefined;
}
