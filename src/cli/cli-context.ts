import { userInfo } from 'node:os';

import { type MikroORM, RequestContext as OrmRequestContext } from '@mikro-orm/core';

import { RequestContext } from '../common/context/request-context.js';
import { AuditSource } from '../common/context/audit-source.js';

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Runs CLI work as the audit source `cli`, with its own unit of work. */
export function inCliContext<T>(orm: MikroORM, fn: () => Promise<T>): Promise<T> {
  return RequestContext.run({ source: AuditSource.Cli, actor: { label: `cli (${osUser()})` } }, () =>
    OrmRequestContext.create(orm.em, fn),
  );
}
