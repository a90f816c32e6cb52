import { type Collection, Reference } from '@mikro-orm/core';

import type { RowValues } from './import-context.js';
import type { SkipReason } from './import-types.js';

export type RowOutcome =
  | { kind: 'created'; recordId: string }
  | { kind: 'updated'; recordId: string }
  | { kind: 'skipped'; reason: SkipReason; recordId?: string };

/** One entity type's rows: dedupe indexes, then one row at a time inside the run's transaction. */
export interface EntityImporter {
  /** 400 naming `mapping` when a required field has no column. */
  validateMapping(targets: Set<string>): void;
  prepare(): Promise<void>;
  importRow(row: number, values: RowValues): Promise<RowOutcome>;
}

/** Comparable values of `fields`: references as ids, tags as sorted ids, JSON as is. */
export function snapshotOf(entity: object, fields: readonly string[]): Record<string, unknown> {
  const record = entity as Record<string, unknown>;
  const snapshot: Record<string, unknown> = {};
  for (const field of fields) {
    const value = record[field];
    if (field === 'tags') {
      snapshot.tags = (value as Collection<{ id: string }>)
        .getItems()
        .map((t) => t.id)
        .sort();
    } else if (
      value instanceof Reference ||
      (value && typeof value === 'object' && 'id' in value && field !== 'customFields')
    ) {
      snapshot[field] = (value as { id: string }).id;
    } else {
      snapshot[field] = value ?? null;
    }
  }
  return snapshot;
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` compare equal. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

export const same = (a: unknown, b: unknown): boolean => stable(a) === stable(b);

export function sameSnapshot(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return Object.keys(a).every((k) => same(a[k], b[k]));
}

/** The `before` values of the fields that differ in `after`: what undo writes back. */
export function changedFields(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(before)
      .filter((k) => !same(before[k], after[k]))
      .map((k) => [k, before[k]]),
  );
}

/** The fields `names` the row maps (undefined = not mapped, so a PATCH leaves them alone). */
export function mappedFields(values: RowValues, names: readonly string[]): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const name of names) {
    const value = values.fields.get(name);
    if (value !== undefined) plain[name] = value;
  }
  return plain;
}
