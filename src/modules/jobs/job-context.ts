import { type MikroORM, RequestContext as OrmRequestContext } from '@mikro-orm/core';

import { RequestContext } from '../../common/context/request-context.js';
import { AuditSource } from '../../common/context/audit-source.js';

/** Runs a scheduled job as the audit source `system`, with its own unit of work. */
export function inSystemContext<T>(orm: MikroORM, fn: () => Promise<T>): Promise<T> {
  return RequestContext.run({ source: AuditSource.System, actor: { label: 'system' } }, () =>
    OrmRequestContext.create(orm.em, fn),
  );
}
