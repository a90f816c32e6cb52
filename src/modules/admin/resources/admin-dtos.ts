import type { ClassConstructor } from 'class-transformer';

import { CreateOrganizationDto, UpdateOrganizationDto } from '../../organizations/dto/organization.dto.js';
import { CreateTagDto, UpdateTagDto } from '../../tags/dto/tag.dto.js';
import { CreateUserDto, UpdateUserDto } from '../../users/dto/user.dto.js';

export interface ResourceDtos {
  create?: ClassConstructor<object>;
  update?: ClassConstructor<object>;
}

/**
 * THE place where each back-office resource names the API's request DTOs that validate its writes
 * (see admin-validation.ts). Form fields map to DTO fields by convention: a relation `organization` is
 * `organizationId`, a collection `tags` is `tagIds`, other fields keep their names.
 *
 * The modules marked "pending" are being built on other branches; once merged, import their DTOs here:
 *   Contact:       CreateContactDto / UpdateContactDto            (src/modules/contacts/dto/)
 *   Fund:          CreateFundDto / UpdateFundDto                  (src/modules/funds/dto/)
 *   Opportunity:   CreateOpportunityDto / UpdateOpportunityDto    (src/modules/opportunities/dto/)
 *   LpProfile:     CreateLpProfileDto / UpdateLpProfileDto        (src/modules/lp-profiles/dto/)
 *   Communication: CreateCommunicationDto / UpdateCommunicationDto (src/modules/communications/dto/)
 *   Task:          CreateTaskDto / UpdateTaskDto                  (src/modules/tasks/dto/)
 * Until then those resources are checked by the form (required fields, enums as selects) and by the
 * database's constraints, whose refusals are shown as field errors.
 */
const RESOURCE_DTOS: Record<string, ResourceDtos> = {
  Organization: { create: CreateOrganizationDto, update: UpdateOrganizationDto },
  Tag: { create: CreateTagDto, update: UpdateTagDto },
  User: { create: CreateUserDto, update: UpdateUserDto },
  Contact: {}, // pending
  Fund: {}, // pending
  Opportunity: {}, // pending
  LpProfile: {}, // pending
  Communication: {}, // pending
  Task: {}, // pending
};

export function resourceDtos(resourceId: string): ResourceDtos {
  return RESOURCE_DTOS[resourceId] ?? {};
}
