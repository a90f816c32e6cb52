import type { ActionContext, ActionRequest, ActionResponse, RecordJSON, ResourceWithOptions } from 'adminjs';

import { Role } from '../../../common/auth/role.js';
import { AuditLog } from '../../audit/audit-log.entity.js';
import { ApiToken } from '../../auth/api-token.entity.js';
import type { ApiTokensService } from '../../auth/api-tokens.service.js';
import { User } from '../../users/user.entity.js';
import type { UsersService } from '../../users/users.service.js';
import { adminUser, isAdmin, isManager, nobody } from '../admin-access.js';
import { toAdminError } from './admin-errors.js';
import type { CrmResource, RecordWriter } from './crm-resource.js';
import { HISTORY } from './crm.resources.js';
import { crmResource, NAV, type ResourceContext } from './resource-kit.js';

export interface SettingsServices {
  users: UsersService;
  apiTokens: ApiTokensService;
}

const readOnlyActions = {
  new: { isAccessible: nobody },
  edit: { isAccessible: nobody },
  delete: { isAccessible: nobody },
  bulkDelete: { isAccessible: nobody },
};

/** Users are written through UsersService, like POST/PATCH /api/users: argon2 hashing, the password policy,
 * unique names, the last active admin kept, and deactivation ending sessions (tokenVersion). */
interface UserForm {
  username: string;
  email: string;
  fullName: string;
  role: Role;
  isActive?: boolean;
  password?: string;
}

function userWriter(users: UsersService): RecordWriter {
  return {
    async create(params) {
      const data = params as unknown as UserForm;
      return await users.create({
        username: data.username,
        email: data.email,
        fullName: data.fullName,
        role: data.role,
        password: data.password ?? '',
      });
    },
    async update(id, params, context) {
      const data = params as unknown as UserForm;
      const acting = context ? adminUser(context)?.id : undefined;
      const user = await users.update(
        id,
        {
          email: data.email,
          fullName: data.fullName,
          role: data.role,
          isActive: data.isActive,
        },
        acting,
      );
      if (typeof data.password === 'string' && data.password !== '')
        await users.setPassword(user, data.password);
      return user;
    },
  };
}

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

export function userResource(ctx: ResourceContext, services: SettingsServices): ResourceWithOptions {
  return crmResource(ctx, {
    model: User,
    config: {
      writer: userWriter(services.users),
      // Members pick owners and assignees: they see names, not colleagues' sign-in state.
      referenceParams: ['id', 'username', 'fullName'],
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
        delete: { isAccessible: nobody },
        bulkDelete: { isAccessible: nobody },
      },
    },
  });
}

export function apiTokenResource(ctx: ResourceContext, services: SettingsServices): ResourceWithOptions {
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
        revoke: {
          actionType: 'record',
          icon: 'Slash',
          guard: 'Revoke this API token? Integrations using it stop working at once.',
          component: false,
          isAccessible: isManager,
          isVisible: (c) => isManager(c) && !c.record?.params.revokedAt,
          handler: async (_request, _response, context) => {
            const user = adminUser(context)!;
            const id = context.record!.id();
            try {
              await services.apiTokens.revoke(
                {
                  id: user.id,
                  username: user.username,
                  role: user.role,
                  twoFactorEnabled: false,
                  via: 'jwt',
                },
                id,
              );
            } catch (err) {
              throw toAdminError(err, 'API token');
            }
            const record = await (context.resource as unknown as CrmResource).findOne(id, context);
            return {
              record: record!.toJSON(context.currentAdmin),
              notice: { message: 'The token is revoked', type: 'success' },
              redirectUrl: context.h.resourceUrl({ resourceId: 'ApiToken' }),
            };
          },
        },
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
