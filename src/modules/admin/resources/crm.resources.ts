import { raw } from '@mikro-orm/core';
import type { ResourceWithOptions } from 'adminjs';

import { Role } from '../../../common/auth/role.js';
import { AuditLog } from '../../audit/audit-log.entity.js';
import { Communication } from '../../communications/communication.entity.js';
import { CONTACT_SEARCH_TEXT, Contact } from '../../contacts/contact.entity.js';
import { CustomFieldEntityType } from '../../custom-fields/custom-field-definition.entity.js';
import { LpProfile } from '../../lp-profiles/lp-profile.entity.js';
import { Opportunity } from '../../opportunities/opportunity.entity.js';
import { Organization } from '../../organizations/organization.entity.js';
import { Tag } from '../../tags/tag.entity.js';
import { Task } from '../../tasks/task.entity.js';
import { escapeLike } from '../../../common/utils/sql.js';
import {
  crmResource,
  META_ROWS,
  NAV,
  type RelatedLink,
  type ResourceContext,
  type Rows,
  textarea,
} from './resource-kit.js';
import { contactWriter, organizationWriter, tagWriter } from './writers.js';

const tagsProperty = (ctx: ResourceContext) =>
  ({
    type: 'reference',
    reference: 'Tag',
    isArray: true,
    components: {
      list: ctx.components.TagList,
      show: ctx.components.TagList,
      edit: ctx.components.TagPicker,
    },
  }) as const;

/** The record's audit rows (admins only: the audit log is theirs). */
export const HISTORY: RelatedLink = {
  label: 'History',
  resource: 'AuditLog',
  entity: AuditLog,
  via: 'entityId',
  minimumRole: Role.Admin,
};

const ORGANIZATION_FORM: Rows = [
  ['name', 'type'],
  ['industry', 'website'],
  ['email', 'phone'],
  'address',
  ['city', 'state', 'country'],
  'description',
  'tags',
  'customFields',
];

const CONTACT_FORM: Rows = [
  ['firstName', 'lastName'],
  ['title', 'organization'],
  ['email', 'phone', 'mobile'],
  ['contactType', 'status', 'source'],
  ['preferredContact', 'owner', 'linkedinUrl'],
  'tags',
  'notes',
  'customFields',
];

const ORGANIZATION_PAGE: Rows = [
  ['name', 'type', 'industry'],
  ['website', 'email', 'phone'],
  ['address', 'city', 'state', 'country'],
  'tags',
  'customFields',
  'related',
  'description',
  ...META_ROWS,
];

const CONTACT_PAGE: Rows = [
  ['name', 'title', 'organization'],
  ['email', 'phone', 'mobile'],
  ['contactType', 'status', 'source'],
  ['preferredContact', 'owner', 'linkedinUrl'],
  'tags',
  'customFields',
  'related',
  'notes',
  ...META_ROWS,
];

export function organizationResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Organization,
    form: ORGANIZATION_FORM,
    page: ORGANIZATION_PAGE,
    customFields: CustomFieldEntityType.Organization,
    config: { populate: ['tags'], defaultOrder: { name: 'asc' }, writer: organizationWriter(ctx.services) },
    crm: {
      softDelete: true,
      related: [
        { resource: 'Contact', entity: Contact, via: 'organization', softDelete: true },
        { resource: 'Opportunity', entity: Opportunity, via: 'organization', softDelete: true },
        { resource: 'Task', entity: Task, via: 'organization' },
        HISTORY,
      ],
    },
    options: {
      navigation: NAV.crm,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'type', 'city', 'country', 'tags', 'updatedAt'],
      filterProperties: ['name', 'type', 'city', 'country', 'tags', 'deletedRecords'],
      properties: {
        name: { isTitle: true },
        description: textarea,
        tags: tagsProperty(ctx),
        updatedAt: { isVisible: { list: true, filter: false, show: true, edit: false } },
      },
    },
  });
}

export function contactResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Contact,
    form: CONTACT_FORM,
    page: CONTACT_PAGE,
    customFields: CustomFieldEntityType.Contact,
    config: {
      populate: ['tags'],
      defaultOrder: { lastName: 'asc' },
      writer: contactWriter(ctx.services),
      virtual: [
        {
          path: 'name',
          type: 'string',
          value: (c) => `${String(c.firstName)} ${String(c.lastName ?? '')}`.trim(),
          // The trigram-indexed expression, verbatim (names and email, anywhere in the word).
          where: (value) => ({
            [raw(CONTACT_SEARCH_TEXT)]: { $like: `%${escapeLike(value.trim().toLowerCase())}%` },
          }),
          orderBy: (direction) => [{ lastName: direction }, { firstName: direction }],
        },
      ],
    },
    crm: {
      softDelete: true,
      related: [
        { resource: 'Opportunity', entity: Opportunity, via: 'contact', softDelete: true },
        { resource: 'LpProfile', entity: LpProfile, via: 'contact' },
        { resource: 'Communication', entity: Communication, via: 'contact' },
        { resource: 'Task', entity: Task, via: 'contact' },
        HISTORY,
      ],
    },
    options: {
      navigation: NAV.crm,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'email', 'organization', 'contactType', 'status', 'owner', 'tags'],
      filterProperties: [
        'name',
        'email',
        'organization',
        'contactType',
        'status',
        'owner',
        'tags',
        'source',
        'deletedRecords',
      ],
      properties: {
        name: { isSortable: true },
        linkedinUrl: {},
        notes: textarea,
        tags: tagsProperty(ctx),
      },
    },
  });
}

export function tagResource(ctx: ResourceContext): ResourceWithOptions {
  return crmResource(ctx, {
    model: Tag,
    config: { defaultOrder: { name: 'asc' }, writer: tagWriter(ctx.services) },
    crm: { writeRole: Role.Manager },
    options: {
      navigation: NAV.crm,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'color', 'updatedAt'],
      filterProperties: ['name'],
      showProperties: ['name', 'color', 'createdAt', 'updatedAt'],
      editProperties: ['name', 'color'],
      properties: {
        color: { description: 'A colour as #rrggbb, e.g. #2563eb' },
        updatedAt: { isVisible: { list: true, filter: false, show: true, edit: false } },
      },
    },
  });
}
