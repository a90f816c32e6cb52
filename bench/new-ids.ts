import { randomUUID } from 'node:crypto';

import type { Statement } from './query-counter.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * The ids a captured write made up: the UUIDs in its statements (their text, where the driver inlined the values,
 * and their text values) that it was not sent (`sent`: its path, its body and the caller's id), such as a new
 * record's and its audit row's. The write is replayed with new ones each time (withNewIds): repeating them
 * would fail on the primary key instead of writing.
 */
export function madeUpIds(statements: Statement[], sent: string): string[] {
  const known = new Set(sent.toLowerCase().match(UUID));
  const ids = new Set<string>();
  for (const { text, values } of statements) {
    for (const value of [text, ...(values ?? [])]) {
      if (typeof value !== 'string') continue;
      for (const id of value.toLowerCase().match(UUID) ?? []) if (!known.has(id)) ids.add(id);
    }
  }
  return [...ids];
}

/** `statements` with each of `ids` replaced by a new UUID, the same one wherever it appears: one more request's. */
export function withNewIds(statements: Statement[], ids: string[]): Statement[] {
  if (ids.length === 0) return statements;
  const renamed = new Map(ids.map((id) => [id, randomUUID()]));
  const pattern = new RegExp(ids.join('|'), 'gi');
  const renew = (value: string): string => value.replace(pattern, (id) => renamed.get(id.toLowerCase())!);
  return statements.map(({ text, values, name }) => ({
    text: renew(text),
    ...(values && { values: values.map((v) => (typeof v === 'string' ? renew(v) : v)) }),
    ...(name && { name }),
  }));
}
