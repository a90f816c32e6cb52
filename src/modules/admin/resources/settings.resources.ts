import type { ActionContext, ActionRequest, ActionResponse, RecordJSON, ResourceWithOptions } from 'adminjs';

import { Role } from '../../../common/auth/role.js';
import { AuditLog } from '../../audit/audit-log.entity.js';
import { ApiToken } from '../../auth/api-token.entity.js';
import { CustomFieldDefinition } from '../../custom-fields/custom-field-definition.entity.js';
import { User } from '../../users/user.entity.js';
import { adminCaller, adminUser, isAdmin, isManager, nobody } from '../admin-access.js';
import { toAdminError } from './admin-errors.js';
import type { CrmResource } from './crm-resource.js';
import { HISTORY } from './crm.resources.js';
import {
  crmResource,
  formLayout,
  NAV,
  type ResourceContext,
  type Rows,
  textarea,
  writeAction,
} from './resource-kit.js';
import { customFieldDefinitionWriter, userWriter } from './writers.js';

const readOnlyActions = {
  new: { isAccessible: nobody },
  edit: { isAccessible: nobody },
  delete: { isAccessible: nobody },
  bulkDelete: { isAccessible: nobody },
};

/** The user picker (search) of forms answers names only, except to admins. */
function namesOnlyForNonAdmins(
  response: ActionResponse,
  _request: ActionRequest,
  context: ActionContext,
): Promise<ActionResponse> {
  const records = response.records as RecordJSON[] | undefined;
  if (isAdmin(context) || !records) return Promise.resolve(response);
  const keep = ['id', 'username', 'fullName'];
  response.records = records.map((r) => ({
    ...r,
    params: Object.fromEntries(keep.map((k) => [k, r.params[k]])),
  }));
  return Promise.resolve(response);
}

/** The typed password never comes back in the answer to a save (AdminJS merges the form into the record). */
function withoutPassword(response: ActionResponse): Promise<ActionResponse> {
  const params = (response.record as RecordJSON | undefined)?.params;
  if (params) delete params.password;
  return Promise.resolve(response);
}

export function userResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: User,
    config: {
      writer: userWriter(ctx.services),
      // Members pick owners and assignees: they see names, not colleagues' sign-in state.
      referenceParams: ['id', 'username', 'fullName'],
      restrict: { below: Role.Admin, paths: ['id', 'username', 'fullName'] },
      defaultOrder: { username: 'asc' },
      virtual: [{ path: 'password', type: 'password' }],
    },
    crm: { writeRole: Role.Admin, related: [HISTORY] },
    options: {
      navigation: NAV.settings,
      titleProperty: 'fullName',
      sort: { sortBy: 'username', direction: 'asc' },
      listProperties: [
        'username',
        'fullName',
        'email',
        'role',
        'isActive',
        'twoFactorEnabled',
        'lastLoginAt',
      ],
      filterProperties: ['username', 'fullName', 'email', 'role', 'isActive', 'twoFactorEnabled'],
      showProperties: [
        'username',
        'fullName',
        'email',
        'role',
        'isActive',
        'twoFactorEnabled',
        'lastLoginAt',
        'failedLoginCount',
        'lockedUntil',
        'related',
        'createdAt',
        'updatedAt',
      ],
      editProperties: ['username', 'fullName', 'email', 'role', 'isActive', 'password'],
      properties: {
        username: { description: 'Letters, digits, dot, dash, underscore. Cannot be changed once created.' },
        isActive: {
          description: 'Off: the user can no longer sign in; their sessions and API tokens stop at once.',
        },
        password: {
          type: 'password',
          isVisible: { list: false, filter: false, show: false, edit: true },
          description:
            'New users: their first password. Existing users: a new password (leave empty to keep it); it ends their sessions. At least 12 characters, not a common password.',
        },
      },
      actions: {
        list: { isAccessible: isAdmin },
        show: { isAccessible: isAdmin },
        search: { after: [namesOnlyForNonAdmins] },
        new: { after: [withoutPassword] },
        edit: { after: [withoutPassword] },
        delete: { isAccessible: nobody },
        bulkDelete: { isAccessible: nobody },
      },
    },
  });
}

export function apiTokenResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: ApiToken,
    config: {
      defaultOrder: { createdAt: 'desc' },
      // Managers see their own tokens; admins see everyone's (as GET /api/auth/tokens).
      scope: (context) => {
        const user = context ? adminUser(context) : undefined;
        return user?.role === Role.Admin ? undefined : { user: user?.id ?? null };
      },
    },
    options: {
      navigation: NAV.settings,
      titleProperty: 'name',
      listProperties: ['name', 'tokenPrefix', 'role', 'user', 'expiresAt', 'lastUsedAt', 'revokedAt'],
      filterProperties: ['name', 'role', 'user', 'revokedAt'],
      showProperties: [
        'name',
        'tokenPrefix',
        'role',
        'user',
        'expiresAt',
        'lastUsedAt',
        'revokedAt',
        'createdAt',
      ],
      properties: { tokenPrefix: {} },
      actions: {
        ...readOnlyActions,
        list: { isAccessible: isManager },
        show: { isAccessible: isManager },
        search: { isAccessible: isManager },
        revoke: writeAction(ctx, {
          icon: 'Slash',
          guard: 'Revoke this API token? Integrations using it stop working at once.',
          isAccessible: isManager,
          isVisible: (c) => isManager(c) && !c.record?.params.revokedAt,
          run: async (context) => {
            const id = context.record!.id();
            try {
              await ctx.services.apiTokens.revoke(adminCaller(context), id);
            } catch (err) {
              throw toAdminError(err, 'ApiToken');
            }
            const record = await (context.resource as unknown as CrmResource).findOne(id, context);
            return {
              record: record!.toJSON(context.currentAdmin),
              notice: { message: 'The token is revoked', type: 'success' },
              redirectUrl: context.h.resourceUrl({ resourceId: 'ApiToken' }),
            };
          },
        }),
      },
    },
  });
}

const CUSTOM_FIELD_ROWS: Rows = [['label', 'fieldType'], 'options', ['required', 'displayOrder'], 'helpText'];

/**
 * Custom field definitions, in the Settings group: everyone reads them (the forms are built from them);
 * managers and admins define, change and delete them through CustomFieldDefinitionsService, with its rules
 * on keys, types and options and its `force` (refused changes show the API's 409 message).
 */
export function customFieldResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: CustomFieldDefinition,
    page: [
      ['entityType', 'key'],
      ...CUSTOM_FIELD_ROWS,
      ['indexStatus'],
      ['createdAt', 'updatedAt'],
      'related',
    ],
    config: {
      writer: customFieldDefinitionWriter(ctx.services),
      defaultOrder: { entityType: 'asc', displayOrder: 'asc' },
      virtual: [{ path: 'force', type: 'boolean' }],
    },
    crm: { writeRole: Role.Manager, related: [HISTORY] },
    options: {
      navigation: NAV.settings,
      titleProperty: 'label',
      sort: { sortBy: 'entityType', direction: 'asc' },
      listProperties: ['entityType', 'displayOrder', 'label', 'key', 'fieldType', 'required'],
      filterProperties: ['entityType', 'fieldType', 'label', 'key'],
      editProperties: ['entityType', 'key', ...CUSTOM_FIELD_ROWS.flat(), 'force'],
      properties: {
        key: {
          description:
            'snake_case (lowercase letters, digits, _), as the API names the field: customFields.<key>, cf.<key>=. It cannot change once records have a value.',
        },
        options: {
          type: 'string',
          isArray: true,
          components: { edit: ctx.components.OptionsList, show: ctx.components.OptionsList },
        },
        displayOrder: { description: 'Fields appear in this order on the forms (smallest first)' },
        indexStatus: {
          description:
            'Number, currency and date fields: the index behind range filters, built in the background after a save (building, then ready; failed: save again to retry).',
        },
        helpText: { ...textarea, description: 'Shown under the input on the forms' },
        force: {
          type: 'boolean',
          isVisible: { list: false, filter: false, show: false, edit: true },
          description:
            'Only when a new type or fewer options would make stored values invalid: clear those values (the audit log keeps them). Otherwise such a change is refused.',
        },
      },
      actions: {
        // Settings are for managers and admins (members' forms load the definitions through each record
        // type's own hidden `customFieldDefinitions` action, not through this resource).
        list: { isAccessible: isManager },
        show: { isAccessible: isManager },
        search: { isAccessible: isManager },
        new: { layout: formLayout([['entityType', 'key'], ...CUSTOM_FIELD_ROWS]) },
        // The entity type never changes; the key only while no record has a value (the service says so).
        edit: { layout: formLayout(['key', ...CUSTOM_FIELD_ROWS, 'force']) },
      },
    },
  });
}

export function auditLogResource(ctx: ResourceContext): ResourceWithOptions {
  const pretty = (value: unknown) => (value ? JSON.stringify(value, null, 2) : '');
  return crmResource(ctx, {
    model: AuditLog,
    config: {
      defaultOrder: { createdAt: 'desc' },
      virtual: [
        { path: 'changeList', type: 'textarea', value: (row) => pretty(row.changes) },
        { path: 'details', type: 'textarea', value: (row) => pretty(row.meta) },
      ],
    },
    options: {
      navigation: NAV.audit,
      sort: { sortBy: 'createdAt', direction: 'desc' },
      listProperties: ['createdAt', 'actorLabel', 'source', 'action', 'entityType', 'entityId'],
      filterProperties: [
        'createdAt',
        'actorLabel',
        'actorUserId',
        'source',
        'action',
        'entityType',
        'entityId',
      ],
      showProperties: [
        'createdAt',
        'actorLabel',
        'actorUserId',
        'actorTokenId',
        'source',
        'action',
        'entityType',
        'entityId',
        'changeList',
        'details',
        'requestId',
        'ip',
      ],
      properties: {
        actorLabel: {},
        actorUserId: {},
        changeList: {},
        details: {},
      },
      actions: {
        ...readOnlyActions,
        list: { isAccessible: isAdmin },
        show: { isAccessible: isAdmin },
        search: { isAccessible: isAdmin },
      },
    },
  });
}
