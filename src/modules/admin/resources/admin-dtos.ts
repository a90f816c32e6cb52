import type { ClassConstructor } from 'class-transformer';

import {
  CreateCommunicationDto,
  UpdateCommunicationDto,
} from '../../communications/dto/communication.dto.js';
import { CreateContactDto, UpdateContactDto } from '../../contacts/dto/contact-request.dto.js';
import { CreateCustomFieldDto, UpdateCustomFieldDto } from '../../custom-fields/dto/custom-field.dto.js';
import { CreateFundDto, UpdateFundDto } from '../../funds/dto/fund.dto.js';
import { CreateLpProfileDto, UpdateLpProfileDto } from '../../lp-profiles/dto/lp-profile.dto.js';
import { CreateOpportunityDto, UpdateOpportunityDto } from '../../opportunities/dto/opportunity.dto.js';
import { CreateOrganizationDto, UpdateOrganizationDto } from '../../organizations/dto/organization.dto.js';
import { CreateTagDto, UpdateTagDto } from '../../tags/dto/tag.dto.js';
import { CreateTaskDto, UpdateTaskDto } from '../../tasks/dto/task.dto.js';
import { CreateUserDto, UpdateUserDto } from '../../users/dto/user.dto.js';

export interface ResourceDtos<C extends object = object, U extends object = object> {
  create: ClassConstructor<C>;
  update: ClassConstructor<U>;
}

const dtos = <C extends object, U extends object>(
  create: ClassConstructor<C>,
  update: ClassConstructor<U>,
): ResourceDtos<C, U> => ({ create, update });

/**
 * THE place where each back-office resource names the API's request DTOs that validate its writes: the POST
 * body's class for "new", the PATCH body's class for "edit" (the form sends every field, so a PATCH of all
 * of them). The form's fields become the DTO's by convention (admin-validation.ts): a relation `organization`
 * is `organizationId`, a collection `tags` is `tagIds`, other fields keep their names. The validated DTO then
 * goes to the module's service (writers.ts), exactly as the API's controller hands it over.
 */
export const RESOURCE_DTOS = {
  Organization: dtos(CreateOrganizationDto, UpdateOrganizationDto),
  Contact: dtos(CreateContactDto, UpdateContactDto),
  Tag: dtos(CreateTagDto, UpdateTagDto),
  Fund: dtos(CreateFundDto, UpdateFundDto),
  Opportunity: dtos(CreateOpportunityDto, UpdateOpportunityDto),
  LpProfile: dtos(CreateLpProfileDto, UpdateLpProfileDto),
  Communication: dtos(CreateCommunicationDto, UpdateCommunicationDto),
  Task: dtos(CreateTaskDto, UpdateTaskDto),
  User: dtos(CreateUserDto, UpdateUserDto),
  CustomFieldDefinition: dtos(CreateCustomFieldDto, UpdateCustomFieldDto),
} as const;
