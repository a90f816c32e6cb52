import type { EntityClass, MikroORM } from '@mikro-orm/core';
import {
  type Action,
  type ActionContext,
  type ActionRequest,
  type ActionResponse,
  Filter,
  type PropertyOptions,
  type ResourceOptions,
  type ResourceWithOptions,
} from 'adminjs';

import { Role, roleAtLeast } from '../../../common/auth/role.js';
import type { CustomFieldEntityType } from '../../custom-fields/custom-field-definition.entity.js';
import { adminUser, atLeast, isManager } from '../admin-access.js';
import { ADMIN_ROOT } from '../admin.constants.js';
import { type AdminComponents, COMPONENTS } from '../admin-components.js';
import { RESOURCE_LABELS } from '../admin-locale.js';
import type { AdminServices } from '../admin-services.js';
import { safeReturnPath } from '../return-path.js';
import type { VirtualProperty } from './crm-properties.js';
import { type CrmResourceConfig, DELETED_FILTER } from './crm-config.js';
import { CrmResource, rememberForm } from './crm-resource.js';
import { customFieldInputs, DEFINITIONS_ACTION } from './custom-field-inputs.js';

/** Sidebar groups, in the order the team works: CRM · Fundraising · Activity · Settings · Audit Log. */
export const NAV = {
  crm: { name: 'CRM', icon: 'Users' },
  fundraising: { name: 'Fundraising', icon: 'TrendingUp' },
  activity: { name: 'Activity', icon: 'MessageSquare' },
  settings: { name: 'Settings', icon: 'Settings' },
  audit: { name: null, icon: 'Shield' },
} as const;

export interface ResourceContext {
  orm: MikroORM;
  components: AdminComponents;
  /** The API's services: every write goes through them (writers.ts). */
  services: AdminServices;
}

/** A link on a show page to the records that point at this one (a contact's opportunities). */
export interface RelatedLink {
  /** Defaults to the resource's name (Contacts, Opportunities, …). */
  label?: string;
  resource: string;
  /** The property of `resource` that refers to the shown record. */
  via: string;
  minimumRole?: Role;
}

/** Property options shorthand. */
export const show = { isVisible: { list: false, filter: false, show: true, edit: false } };
export const readOnly = { isVisible: { list: true, filter: true, show: true, edit: false } };
export const hidden = { isVisible: false };
export const textarea: PropertyOptions = {
  type: 'textarea',
  isVisible: { list: false, filter: false, show: true, edit: true },
};
/** Amounts: typed as 5,000,000.50 in forms; shown as $5,000,000.50 in the record's currency. */
export const money: PropertyOptions = {
  type: 'currency',
  props: { decimalScale: 2, decimalSeparator: '.', groupSeparator: ',', allowNegativeValue: false },
  components: { list: COMPONENTS.Money, show: COMPONENTS.Money },
};

/** The "related records" block of show pages and the "deleted" list filter, as virtual properties. */
export function crmVirtuals(related: RelatedLink[], softDelete: boolean): VirtualProperty[] {
  const virtuals: VirtualProperty[] = [];
  if (related.length > 0) virtuals.push({ path: 'related', type: 'string' });
  if (softDelete) virtuals.push({ path: DELETED_FILTER, type: 'string' });
  return virtuals;
}

function relatedProperties(ctx: ResourceContext, related: RelatedLink[], softDelete: boolean) {
  const properties: Record<string, PropertyOptions> = {};
  if (related.length > 0) {
    properties.related = {
      ...show,
      position: 1000,
      components: { show: ctx.components.Related },
    };
  }
  if (softDelete) {
    properties[DELETED_FILTER] = {
      isVisible: { list: false, show: false, edit: false, filter: true },
      availableValues: [
        { value: 'include', label: 'Show deleted too' },
        { value: 'only', label: 'Only deleted' },
      ],
      components: { filter: ctx.components.DeletedFilter },
    };
    for (const path of ['deletedAt', 'deletedBy']) {
      properties[path] = {
        isVisible: { list: false, filter: false, show: true, edit: false },
        components: { show: ctx.components.WhenSet },
      };
    }
  }
  return properties;
}

/** After `show`: counts of related records, as links to their lists filtered on this record. */
function relatedCounts(related: RelatedLink[]) {
  return async (response: ActionResponse, _request: ActionRequest, context: ActionContext) => {
    const id = context.record?.id();
    const user = adminUser(context);
    if (!id || !user || !response.record) return response;
    const visible = related.filter((r) => roleAtLeast(user.role, r.minimumRole ?? Role.Member));
    // Counted by the linked list itself, so the number is what the link opens: its soft-delete, visibility
    // and hidden-by-default rules (done tasks) included.
    const counts = await Promise.all(
      visible.map((r) => {
        const resource = context._admin.findResource(r.resource);
        return resource.count(new Filter({ [r.via]: id }, resource), context);
      }),
    );
    const links = visible.map((r, i) => ({
      label: r.label ?? RESOURCE_LABELS[r.resource] ?? r.resource,
      count: counts[i],
      href: `${ADMIN_ROOT}/resources/${r.resource}?filters.${r.via}=${id}`,
    }));
    (response.record as { params: Record<string, unknown> }).params.related = JSON.stringify(links);
    return response;
  };
}

/**
 * After a successful save (new or edit): back to the page the form was opened from — its `redirectUrl`
 * (set by the link that opened it, or by components/FormReturn.jsx), when that is a back-office path —
 * else to the saved record. AdminJS would go to the resource's list, away from the contact one started on.
 */
export function backToOrigin(response: ActionResponse, request: ActionRequest, context: ActionContext) {
  const recordId = (response.record as { id?: string } | undefined)?.id;
  if (request.method !== 'post' || !response.redirectUrl || !recordId) return response;
  const query = request.query as Record<string, unknown> | undefined;
  response.redirectUrl =
    safeReturnPath(query?.redirectUrl) ??
    context.h.recordActionUrl({ resourceId: context.resource.id(), recordId, actionName: 'show' });
  return response;
}

export interface CrmOptions {
  related?: RelatedLink[];
  softDelete?: boolean;
  /** Who may create and edit (members for CRM data; managers for tags and funds). */
  writeRole?: Role;
  /** Who may delete (managers by default). */
  deleteRole?: Role;
}

/**
 * The actions every CRM resource shares, per the SPEC.md role table: everyone reads; members (or
 * `writeRole`) create and edit, through the API's DTOs and services; managers delete — a soft delete where
 * the entity has one, with a restore action — and bulk-delete.
 */
export function crmActions(ctx: ResourceContext, opts: CrmOptions = {}): ResourceOptions['actions'] {
  const write = atLeast(opts.writeRole ?? Role.Member);
  const remove = atLeast(opts.deleteRole ?? Role.Manager);
  const notDeleted = (context: ActionContext) => !context.record?.params.deletedAt;
  const actions: ResourceOptions['actions'] = {
    new: { isAccessible: write, before: [rememberForm], after: [backToOrigin] },
    edit: {
      isAccessible: write,
      isVisible: (c) => write(c) && notDeleted(c),
      before: [rememberForm],
      after: [backToOrigin],
    },
    delete: {
      isAccessible: remove,
      isVisible: (c) => remove(c) && notDeleted(c),
      guard: opts.softDelete
        ? 'Delete this record? It disappears from lists; a manager can restore it.'
        : 'Delete this record for good?',
    },
    bulkDelete: { isAccessible: remove },
    show: { after: opts.related?.length ? [relatedCounts(opts.related)] : [] },
  };
  if (opts.softDelete) {
    actions.restore = writeAction(ctx, {
      icon: 'RotateCcw',
      guard: 'Restore this record? It comes back in lists and searches.',
      isAccessible: isManager,
      isVisible: (c) => isManager(c) && !notDeleted(c),
      run: async (context) => {
        const resource = context.resource as unknown as CrmResource;
        const record = await resource.restore(context.record!.id(), context);
        return {
          record: record.toJSON(context.currentAdmin),
          notice: { message: 'Restored', type: 'success' },
          redirectUrl: context.h.recordActionUrl({
            resourceId: resource.id(),
            recordId: record.id(),
            actionName: 'show',
          }),
        };
      },
    });
  }
  return actions;
}

export interface WriteActionSpec {
  icon: string;
  /** The question the action's page asks before the change. */
  guard: string;
  isAccessible: (context: ActionContext) => boolean;
  isVisible: (context: ActionContext) => boolean;
  /** Runs on the POST only; `request.payload` holds what the action's page sent (a lost reason). */
  run: (context: ActionContext, request: ActionRequest) => Promise<ActionResponse>;
  /** The action's page: ConfirmAction (asks, then POSTs) unless the action needs its own. */
  component?: string;
}

/**
 * A record action that changes data (restore, revoke). Its page (ConfirmAction) asks first and sends the
 * change as a POST; a GET — all AdminJS would send for a custom action, and all a cross-site link can send —
 * only answers the record, unchanged.
 */
export function writeAction(ctx: ResourceContext, spec: WriteActionSpec): Action<ActionResponse> {
  return {
    actionType: 'record',
    icon: spec.icon,
    guard: spec.guard,
    component: spec.component ?? ctx.components.ConfirmAction,
    showInDrawer: true,
    isAccessible: spec.isAccessible,
    isVisible: spec.isVisible,
    handler: async (request, _response, context) => {
      if (request.method !== 'post') return { record: context.record!.toJSON(context.currentAdmin) };
      return spec.run(context, request);
    },
  } as Action<ActionResponse>;
}

/** `family_office` → `Family office`. */
export const humanize = (value: string): string =>
  value.charAt(0).toUpperCase() + value.slice(1).replace(/_/g, ' ');

/** Enum columns as selects with readable labels (the stored value stays the API's). */
function enumOptions(resource: CrmResource): Record<string, PropertyOptions> {
  const out: Record<string, PropertyOptions> = {};
  for (const prop of resource.properties()) {
    const values = prop.availableValues();
    if (values)
      out[prop.path()] = { availableValues: values.map((value) => ({ value, label: humanize(value) })) };
  }
  return out;
}

/** Calendar-day columns edited with the DayPicker (AdminJS's picker shifts the day east of Greenwich). */
function dayInputs(ctx: ResourceContext, resource: CrmResource): Record<string, PropertyOptions> {
  const out: Record<string, PropertyOptions> = {};
  for (const prop of resource.properties()) {
    if (prop.type() === 'date') out[prop.path()] = { components: { edit: ctx.components.DayPicker } };
  }
  return out;
}

/**
 * A form in rows: each entry is a field on its own line, or a list of fields sharing a line. Long text and
 * tags go on their own lines; related short fields sit side by side.
 */
export function formLayout(rows: Rows): NonNullable<Action<ActionResponse>['layout']> {
  return rows.map((row) =>
    typeof row === 'string'
      ? row
      : [
          { flex: true, flexDirection: 'row', style: { gap: '24px' } },
          row.map((path) => [path, { flexGrow: 1, flexBasis: 0, minWidth: 0 }]),
        ],
  ) as NonNullable<Action<ActionResponse>['layout']>;
}

/** `form` and `page` rows as property lists and layouts (one declaration for both). */
function withRows(spec: CrmResourceSpec): ResourceOptions {
  const options: ResourceOptions = { ...spec.options, actions: { ...spec.options.actions } };
  const actions = options.actions as Record<string, object>;
  if (spec.form) {
    options.editProperties = spec.form.flat();
    const layout = formLayout(spec.form);
    actions.new = { ...actions.new, layout };
    actions.edit = { ...actions.edit, layout };
  }
  if (spec.page) {
    options.showProperties = spec.page.flat();
    actions.show = { ...actions.show, layout: formLayout(spec.page) };
  }
  return options;
}

/** Fields in rows: a field alone on its line, or fields sharing a line. */
export type Rows = (string | string[])[];

/** The bookkeeping at the bottom of record pages. */
export const META_ROWS: Rows = [
  ['createdAt', 'updatedAt', 'version'],
  ['deletedAt', 'deletedBy'],
];

export interface CrmResourceSpec {
  model: EntityClass<unknown>;
  options: ResourceOptions;
  /** The create/edit form, in rows: gives editProperties and the form's layout. */
  form?: Rows;
  /** The record page, in rows: gives showProperties and the page's layout. */
  page?: Rows;
  config?: CrmResourceConfig;
  crm?: CrmOptions;
  /** Records with custom fields: the `customFields` property becomes their inputs and values. */
  customFields?: CustomFieldEntityType;
}

type Hooks = { before?: unknown[]; after?: unknown[] };

/** One resource: the adapter around the entity, plus its options merged with the shared actions and blocks. */
export function crmResource(ctx: ResourceContext, spec: CrmResourceSpec): ResourceWithOptions {
  const related = spec.crm?.related ?? [];
  const softDelete = !!spec.crm?.softDelete;
  const config: CrmResourceConfig = {
    ...spec.config,
    softDelete,
    virtual: [...(spec.config?.virtual ?? []), ...crmVirtuals(related, softDelete)],
  };
  const resource = new CrmResource(ctx.orm, spec.model, config);
  const options = withRows(spec);
  const shared = (spec.crm ? crmActions(ctx, spec.crm) : {}) as Record<string, object>;
  const actions: Record<string, object> = { ...shared };
  for (const [name, action] of Object.entries(options.actions ?? {}) as [string, Hooks][]) {
    const base = (shared[name] ?? {}) as Hooks;
    // A resource's own before/after hooks run after the shared ones, never instead of them.
    actions[name] = {
      ...base,
      ...action,
      ...(base.before && action.before ? { before: [...base.before, ...action.before] } : {}),
      ...(base.after && action.after ? { after: [...base.after, ...action.after] } : {}),
    };
  }
  const properties: Record<string, PropertyOptions> = {};
  if (spec.customFields) {
    const inputs = customFieldInputs(ctx, spec.customFields);
    properties.customFields = inputs.property;
    actions[DEFINITIONS_ACTION] = inputs.action;
  }
  return {
    resource,
    options: {
      ...options,
      properties: {
        id: { isVisible: { list: false, filter: false, show: true, edit: false } },
        version: { isVisible: { list: false, filter: false, show: true, edit: false } },
        createdAt: { isVisible: { list: false, filter: true, show: true, edit: false } },
        updatedAt: { isVisible: { list: false, filter: false, show: true, edit: false } },
        ...enumOptions(resource),
        ...dayInputs(ctx, resource),
        ...relatedProperties(ctx, related, softDelete),
        ...properties,
        ...options.properties,
      },
      actions: actions,
    },
  };
}
