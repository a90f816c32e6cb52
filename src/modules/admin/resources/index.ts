import type { ResourceWithOptions } from 'adminjs';

import { communicationResource, taskResource } from './activity.resources.js';
import { contactResource, organizationResource, tagResource } from './crm.resources.js';
import {
  fundResource,
  lpProfileResource,
  opportunityResource,
  stageChangeResource,
} from './fundraising.resources.js';
import type { ResourceContext } from './resource-kit.js';
import {
  apiTokenResource,
  auditLogResource,
  customFieldResource,
  userResource,
} from './settings.resources.js';

/** Every entity the team works with, in sidebar order (pivot tables are edited through their owners). */
export function adminResources(ctx: ResourceContext): ResourceWithOptions[] {
  return [
    organizationResource(ctx),
    contactResource(ctx),
    tagResource(ctx),
    fundResource(ctx),
    opportunityResource(ctx),
    lpProfileResource(ctx),
    stageChangeResource(ctx),
    communicationResource(ctx),
    taskResource(ctx),
    userResource(ctx),
    customFieldResource(ctx),
    apiTokenResource(ctx),
    auditLogResource(ctx),
  ];
}
