import { raw } from '@mikro-orm/core';
import type { ResourceWithOptions } from 'adminjs';

import { Role } from '../../../common/auth/role.js';
import { CONTACT_SEARCH_TEXT, Contact } from '../../contacts/contact.entity.js';
import { CustomFieldEntityType } from '../../custom-fields/custom-field-definition.entity.js';
import { Organization } from '../../organizations/organization.entity.js';
import { Tag } from '../../tags/tag.entity.js';
import { escapeLike } from '../../../common/utils/sql.js';
import { CONTACT_ACTIVITY, choiceProperty, choiceVirtual, ORGANIZATION_ACTIVITY } from './list-filters.js';
import { contactHub, organizationHub } from './record-hub.js';
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

/** The hub at the top of contact and organization pages (components/RecordHub.jsx), from its after-hook. */
const hubProperty = (ctx: ResourceContext) =>
  ({
    isVisible: { list: false, filter: false, show: true, edit: false },
    components: { show: ctx.components.RecordHub },
  }) as const;

/** Email, phone, website and LinkedIn as links on record pages (mailto:, tel:, http(s) only). */
const link = (ctx: ResourceContext, kind: 'email' | 'phone' | 'url') =>
  ({ components: { show: ctx.components.LinkValue }, props: { linkKind: kind } }) as const;

/** The record's audit rows (admins only: the audit log is theirs). */
export const HISTORY: RelatedLink = {
  label: 'History',
  resource: 'AuditLog',
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

// The hub first: the name as the page's title, the actions, then open tasks, communications, deals and LPs.
const ORGANIZATION_PAGE: Rows = [
  'hub',
  ['type', 'industry'],
  ['website', 'email', 'phone'],
  ['address', 'city', 'state', 'country'],
  'tags',
  'customFields',
  'related',
  'description',
  ...META_ROWS,
];

const CONTACT_PAGE: Rows = [
  'hub',
  ['email', 'phone', 'mobile', 'linkedinUrl'],
  ['title', 'organization', 'owner'],
  ['contactType', 'status', 'source', 'preferredContact'],
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
    config: {
      populate: ['tags'],
      defaultOrder: { name: 'asc' },
      writer: organizationWriter(ctx.services),
      virtual: [{ path: 'hub', type: 'string' }, choiceVirtual(ORGANIZATION_ACTIVITY)],
    },
    crm: {
      softDelete: true,
      related: [
        { resource: 'Contact', via: 'organization' },
        { resource: 'Opportunity', via: 'organization' },
        { resource: 'Task', via: 'organization' },
        HISTORY,
      ],
    },
    options: {
      navigation: NAV.crm,
      titleProperty: 'name',
      sort: { sortBy: 'name', direction: 'asc' },
      listProperties: ['name', 'type', 'city', 'country', 'tags', 'updatedAt'],
      filterProperties: ['name', 'type', 'city', 'country', 'tags', 'activity', 'deletedRecords'],
      properties: {
        name: { isTitle: true },
        description: textarea,
        tags: tagsProperty(ctx),
        updatedAt: { isVisible: { list: true, filter: false, show: true, edit: false } },
        hub: hubProperty(ctx),
        activity: choiceProperty(ORGANIZATION_ACTIVITY),
        website: link(ctx, 'url'),
        email: link(ctx, 'email'),
        phone: link(ctx, 'phone'),
      },
      actions: { show: { after: [organizationHub(ctx)] } },
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
        { path: 'hub', type: 'string' },
        choiceVirtual(CONTACT_ACTIVITY),
      ],
    },
    crm: {
      softDelete: true,
      related: [
        { resource: 'Opportunity', via: 'contact' },
        { resource: 'LpProfile', via: 'contact' },
        { resource: 'Communication', via: 'contact' },
        { resource: 'Task', via: 'contact' },
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
        'activity',
        'deletedRecords',
      ],
      properties: {
        name: { isSortable: true },
        // "+ New organization" under the input: created without leaving the contact's form.
        organization: { props: { createNew: 'organization' } },
        linkedinUrl: link(ctx, 'url'),
        email: link(ctx, 'email'),
        phone: link(ctx, 'phone'),
        mobile: link(ctx, 'phone'),
        notes: textarea,
        tags: tagsProperty(ctx),
        hub: hubProperty(ctx),
        activity: choiceProperty(CONTACT_ACTIVITY),
      },
      actions: { show: { after: [contactHub(ctx)] } },
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
