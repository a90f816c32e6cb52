const CUSTOM_FIELD_PARAM = /^cf\.([a-z][a-z0-9_]{0,62})(?:\[([a-z]+)\])?$/;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Query = Record<string, unknown>;

function add(target: Query, key: string, value: string): void {
  if (FORBIDDEN_KEYS.has(key)) return;
  const existing = target[key];
  if (existing === undefined) target[key] = value;
  else if (Array.isArray(existing)) existing.push(value);
  else if (typeof existing === 'string') target[key] = [existing, value];
}

/**
 * The API's query-string parser: plain `a=1&a=2` pairs (repeats become arrays), plus custom field filters
 * `cf.<key>=value` and `cf.<key>[gte]=value` gathered under `cf` as `{ key: value | { gte, lte } }`.
 * No other nesting: `a[b]=1` stays the literal key `a[b]` and is refused as an unknown parameter.
 */
export function parseQueryString(qs: string): Query {
  const query: Query = {};
  for (const [key, value] of new URLSearchParams(qs)) {
    const cf = CUSTOM_FIELD_PARAM.exec(key);
    if (!cf) {
      add(query, key, value);
      continue;
    }
    const filters = (query.cf ??= {}) as Query;
    const [, field, operator] = cf;
    if (!operator) {
      const current = filters[field];
      if (current !== undefined && typeof current === 'object' && !Array.isArray(current))
        add(current as Query, 'eq', value);
      else add(filters, field, value);
      continue;
    }
    let range = filters[field];
    if (range === undefined || typeof range !== 'object' || Array.isArray(range)) {
      range = range === undefined ? {} : { eq: range };
      filters[field] = range;
    }
    add(range as Query, operator, value);
  }
  return query;
}
