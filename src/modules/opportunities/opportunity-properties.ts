import { type AuditedChange, linkedAfter } from '../audit/audited-writes.js';
import type { OpportunityView } from './opportunities.repository.js';

/** The properties of an opportunity a write may change (links as ids), as its view has them. */
export type OpportunityProperties = Omit<
  OpportunityView,
  | 'id'
  | 'contact'
  | 'organization'
  | 'fund'
  | 'owner'
  | 'stageChangedAt'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
  | 'deletedAt'
> & {
  contact: string | null;
  organization: string | null;
  fund: string | null;
  owner: string | null;
  stageChangedAt: Date;
};

export function opportunityProperties(view: OpportunityView): OpportunityProperties {
  const { id: _id, version: _v, createdAt: _c, updatedAt: _u, deletedAt: _d, ...fields } = view;
  return {
    ...fields,
    contact: view.contact?.id ?? null,
    organization: view.organization?.id ?? null,
    fund: view.fund?.id ?? null,
    owner: view.owner?.id ?? null,
    stageChangedAt: new Date(view.stageChangedAt),
  };
}

/** The view of an opportunity after a change to `after` (the view read, when nothing was written). */
export function viewAfter(
  view: OpportunityView,
  after: OpportunityProperties,
  written: AuditedChange | undefined,
): OpportunityView {
  if (!written) return view;
  const updated = { ...view, version: view.version + 1, updatedAt: written.updatedAt.toISOString() };
  return viewOf(updated, after, written.refs, view);
}

/**
 * The view of an opportunity written with `props` (`record`: its id, version and timestamps), each link as the write's
 * statement read it (`refs`), or, for a link an update kept, as `current` had it.
 */
export function viewOf(
  record: Pick<OpportunityView, 'id' | 'version' | 'createdAt' | 'updatedAt' | 'deletedAt'>,
  props: OpportunityProperties,
  refs: AuditedChange['refs'],
  current?: OpportunityView,
): OpportunityView {
  const linked = <T>(name: 'contact' | 'organization' | 'fund' | 'owner') =>
    linkedAfter(refs, name, props[name], current?.[name] ?? undefined) as T | null;
  return {
    ...props,
    id: record.id,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    deletedAt: record.deletedAt,
    contact: linked<OpportunityView['contact']>('contact'),
    organization: linked<OpportunityView['organization']>('organization'),
    fund: linked<OpportunityView['fund']>('fund'),
    owner: linked<OpportunityView['owner']>('owner'),
    stageChangedAt: props.stageChangedAt.toISOString(),
  };
}
