import type { EntityManager } from '@mikro-orm/core';

import { AuditLog } from '../../audit/audit-log.entity.js';

/** At most this many saves are described; older ones are summed up. */
const SHOWN = 5;
const MAX_VALUE = 60;

const show = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return 'empty';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `“${text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text}”`;
};

const words = (field: string): string =>
  field
    .replace(/Id$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();

/**
 * What others saved on a record since the version the user started from, newest first, from the audit log:
 * "Bea Chen changed city from “Palo Alto” to “Boston” (2026-12-06 09:31 UTC)". `count` is how many saves
 * happened meanwhile (current version − sent version); without it, the latest save.
 */
export async function changesSince(em: EntityManager, entityId: string, count = 1): Promise<string[]> {
  const rows = await em.find(
    AuditLog,
    { entityId, action: { $in: ['update', 'stage_change'] } },
    { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: Math.min(Math.max(count, 1), SHOWN) },
  );
  return rows.map((row) => {
    const fields = Object.entries(row.changes ?? {})
      .filter(([field]) => field !== 'version' && field !== 'updatedAt')
      .map(([field, change]) => `${words(field)} from ${show(change.from)} to ${show(change.to)}`);
    const at = `${row.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    return `${row.actorLabel} changed ${fields.length > 0 ? fields.join(', ') : 'it'} (${at})`;
  });
}
