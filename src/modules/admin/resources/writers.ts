import type { Dictionary } from '@mikro-orm/core';
import type { ActionContext } from 'adminjs';

import type { AuthUser } from '../../../common/auth/auth-user.js';
import { AppError, ConflictError } from '../../../common/errors/index.js';
import { CustomFieldEntityType } from '../../custom-fields/custom-field-definition.entity.js';
import { OpportunityStage, STAGE_ORDER } from '../../opportunities/opportunity.entity.js';
import { adminCaller } from '../admin-access.js';
import type { AdminServices } from '../admin-services.js';
import { RESOURCE_DTOS, type ResourceDtos } from './admin-dtos.js';
import { validatedDto } from './admin-validation.js';
import type { RecordWriter } from './crm-config.js';
import { decodeCustomFields } from './custom-field-inputs.js';

/** Who saves, and the body as sent (a user's new password and a definition's `force` are not DTO fields). */
interface Write {
  caller: AuthUser;
  body: Dictionary;
}

interface Prepared extends Write {
  /** The custom fields' labels by error field (`customFields.<key>`), for the form's notice. */
  labels: Map<string, string>;
}

/** A service call whose errors name custom fields by their labels (the validator names their keys). */
async function labelled<T>(call: Promise<T>, labels: Map<string, string>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof AppError && Array.isArray(err.details)) {
      for (const d of err.details) if (d.field && labels.has(d.field)) d.label = labels.get(d.field);
    }
    throw err;
  }
}

/** The service calls of one resource, given the validated DTO, as its API controller makes them. */
interface ServiceCalls<C, U> {
  create: (dto: C, write: Write) => Promise<{ id: string }>;
  update: (id: string, dto: U, write: Write) => Promise<unknown>;
  delete?: (id: string, write: Write) => Promise<unknown>;
  restore?: (id: string, write: Write) => Promise<unknown>;
}

/**
 * A resource written through its module's service: the body is checked by the API's request DTO (custom
 * field values typed by their definitions first), then handed to the same service method as the API's.
 */
function serviceWriter<C extends object, U extends object>(
  dtos: ResourceDtos<C, U>,
  calls: ServiceCalls<C, U>,
  customFields?: { services: AdminServices; entityType: CustomFieldEntityType },
): RecordWriter {
  const prepare = async (body: Dictionary, context: ActionContext): Promise<Prepared> => {
    const caller = adminCaller(context);
    if (!customFields) return { caller, body, labels: new Map() };
    const { values, labels } = await decodeCustomFields(
      customFields.services,
      customFields.entityType,
      body.customFields,
    );
    return {
      caller,
      body: body.customFields === undefined ? body : { ...body, customFields: values },
      labels,
    };
  };
  const { delete: remove, restore } = calls;
  return {
    async create(body, context) {
      const write = await prepare(body, context);
      const dto = await validatedDto(dtos.create, write.body);
      return (await labelled(calls.create(dto, write), write.labels)).id;
    },
    async update(id, body, context) {
      const write = await prepare(body, context);
      const dto = await validatedDto(dtos.update, write.body);
      await labelled(calls.update(id, dto, write), write.labels);
    },
    delete:
      remove && (async (id, context) => void (await remove(id, { caller: adminCaller(context), body: {} }))),
    restore:
      restore &&
      (async (id, context) => void (await restore(id, { caller: adminCaller(context), body: {} }))),
  };
}

const custom = (services: AdminServices, entityType: CustomFieldEntityType) => ({ services, entityType });

// The CRM records, each through the service its API endpoints use.

/** What a soft-deletable CRM record's service offers, as its API endpoints call it. */
interface CrmRecordService<C, U> {
  create(dto: C): Promise<{ id: string }>;
  update(id: string, dto: U, version?: number): Promise<unknown>;
  softDelete(id: string, caller: Write['caller']): Promise<void>;
  restore(id: string): Promise<unknown>;
}

/** A soft-deletable CRM record with custom fields, written through `service`. */
const crmRecordWriter = <C extends object, U extends { version?: number }>(
  s: AdminServices,
  dtos: ResourceDtos<C, U>,
  service: CrmRecordService<C, U>,
  entityType: CustomFieldEntityType,
): RecordWriter =>
  serviceWriter(
    dtos,
    {
      create: (dto) => service.create(dto),
      update: (id, dto) => service.update(id, dto, dto.version),
      delete: (id, { caller }) => service.softDelete(id, caller),
      restore: (id) => service.restore(id),
    },
    custom(s, entityType),
  );

export const organizationWriter = (s: AdminServices): RecordWriter =>
  crmRecordWriter(s, RESOURCE_DTOS.Organization, s.organizations, CustomFieldEntityType.Organization);

/** The email unique among live contacts (409 on the field), also when a deleted contact is restored. */
export const contactWriter = (s: AdminServices): RecordWriter =>
  crmRecordWriter(s, RESOURCE_DTOS.Contact, s.contacts, CustomFieldEntityType.Contact);

export const tagWriter = (s: AdminServices): RecordWriter =>
  serviceWriter(RESOURCE_DTOS.Tag, {
    create: (dto) => s.tags.create(dto),
    update: (id, dto) => s.tags.update(id, dto),
    delete: (id) => s.tags.remove(id),
  });

/** Names unique ignoring case; only a fund without opportunities or LP profiles can be deleted. */
export const fundWriter = (s: AdminServices): RecordWriter =>
  serviceWriter(RESOURCE_DTOS.Fund, {
    create: (dto) => s.funds.create(dto),
    update: (id, dto) => s.funds.update(id, dto),
    delete: (id) => s.funds.remove(id),
  });

/**
 * Stage moves write the stage history; lost needs a reason. The form shows the new stage's default probability
 * as soon as the stage changes (components/StageProbability.jsx), so the probability sent is the one saved.
 */
export const opportunityWriter = (s: AdminServices): RecordWriter =>
  serviceWriter(
    RESOURCE_DTOS.Opportunity,
    {
      create: (dto, { caller }) => s.opportunities.create(dto, caller),
      update: (id, dto, { caller }) => s.opportunities.update(id, dto, caller, dto.version),
      delete: (id, { caller }) => s.opportunities.softDelete(id, caller),
      restore: (id) => s.opportunities.restore(id),
    },
    custom(s, CustomFieldEntityType.Opportunity),
  );

/** One profile per contact and fund; the contact becomes an investor; funded at most committed. */
export const lpProfileWriter = (s: AdminServices): RecordWriter =>
  serviceWriter(
    RESOURCE_DTOS.LpProfile,
    {
      create: (dto) => s.lpProfiles.create(dto),
      update: (id, dto) => s.lpProfiles.update(id, dto, dto.version),
      delete: (id) => s.lpProfiles.remove(id),
    },
    custom(s, CustomFieldEntityType.LpProfile),
  );

/** Logged by the signed-in user; given only an opportunity, its contact becomes the contact. */
export const communicationWriter = (s: AdminServices): RecordWriter =>
  serviceWriter(RESOURCE_DTOS.Communication, {
    create: (dto, { caller }) => s.communications.create(dto, caller),
    update: (id, dto) => s.communications.update(id, dto),
    delete: (id) => s.communications.remove(id),
  });

/** Done stamps completedAt and reopening clears it; created by (and, left out, assigned to) the signed-in user. */
export const taskWriter = (s: AdminServices): RecordWriter =>
  serviceWriter(RESOURCE_DTOS.Task, {
    create: (dto, { caller }) => s.tasks.create(dto, caller),
    update: (id, dto) => s.tasks.update(id, dto),
    delete: (id) => s.tasks.remove(id),
  });

/**
 * A communication's next action as a task in one step: assigned to the signed-in user, due on the next-action
 * date, linked to the communication's contact and opportunity — through the API's DTO and the tasks service.
 */
export async function taskFromNextAction(
  s: AdminServices,
  communication: Dictionary,
  context: ActionContext,
): Promise<string> {
  const caller = adminCaller(context);
  const subject = typeof communication.subject === 'string' ? communication.subject : '';
  const dto = await validatedDto(RESOURCE_DTOS.Task.create, {
    title: communication.nextAction,
    dueDate: communication.nextActionDate ?? null,
    assigneeId: caller.id,
    contactId: communication.contact ?? null,
    opportunityId: communication.opportunity ?? null,
    description: subject ? `Next action from the communication “${subject}”.` : null,
  });
  return (await s.tasks.create(dto, caller)).id;
}

/**
 * "Move to next stage" on an opportunity's page: the stage after the current one in pipeline order (lead →
 * outreach → … → funded), or lost with the reason the user typed; through the API's DTO and service, so the
 * stage history, the stage's default probability and the audit entry follow. `version` is the one the page
 * showed: a move made meanwhile by someone else is refused as stale.
 */
export async function moveOpportunityStage(
  s: AdminServices,
  id: string,
  input: { to?: unknown; lostReason?: unknown; version?: unknown },
  context: ActionContext,
): Promise<string> {
  const caller = adminCaller(context);
  const current = await s.opportunities.find(id);
  let stage: OpportunityStage;
  if (input.to === 'lost') stage = OpportunityStage.Lost;
  else {
    const next = nextStage(current.stage);
    if (!next) throw new AppError(409, 'NO_NEXT_STAGE', `A ${current.stage} opportunity has no next stage`);
    stage = next;
  }
  const dto = await validatedDto(RESOURCE_DTOS.Opportunity.update, {
    stage,
    ...(stage === OpportunityStage.Lost ? { lostReason: input.lostReason ?? null } : {}),
    version: input.version,
  });
  await s.opportunities.update(id, dto, caller, dto.version);
  return stage;
}

/** The stage after `stage` in pipeline order; none after funded, nor out of lost. */
export function nextStage(stage: OpportunityStage): OpportunityStage | undefined {
  if (stage === OpportunityStage.Lost || stage === OpportunityStage.Funded) return undefined;
  return STAGE_ORDER[STAGE_ORDER.indexOf(stage) + 1];
}

/**
 * Users, like POST/PATCH /api/users: argon2 hashing, the password policy, unique names, the last active admin
 * kept, and deactivation ending sessions (tokenVersion). On edit, a new password (if typed) is set after.
 */
export function userWriter(s: AdminServices): RecordWriter {
  return serviceWriter(RESOURCE_DTOS.User, {
    create: (dto) => s.users.create(dto),
    update: async (id, dto, { caller, body }) => {
      const user = await s.users.update(id, dto, caller.id);
      if (typeof body.password === 'string' && body.password !== '')
        await s.users.setPassword(user, body.password);
    },
  });
}

/**
 * Custom field definitions, like /api/custom-fields: key, type and option rules, and a type or option change
 * that would leave stored values invalid refused unless "Clear values that do not fit" (`force`) is ticked.
 */
export function customFieldDefinitionWriter(s: AdminServices): RecordWriter {
  return serviceWriter(RESOURCE_DTOS.CustomFieldDefinition, {
    create: (dto) => s.customFieldDefinitions.create(dto),
    update: async (id, dto, { body }) => {
      try {
        return await s.customFieldDefinitions.update(id, dto, body.force === true || body.force === 'true');
      } catch (err) {
        // The API's 409, told where the form can act on it (a refusal without a field would reset the form).
        if (
          err instanceof ConflictError &&
          err.code === 'CUSTOM_FIELD_IN_USE' &&
          !Array.isArray(err.details)
        ) {
          const message = err.message.replace(
            'repeat with ?force=true',
            'tick “Clear values that do not fit”',
          );
          throw new ConflictError(err.code, message, [
            { field: 'force', message: 'tick to clear the values that do not fit' },
          ]);
        }
        throw err;
      }
    },
    delete: (id) => s.customFieldDefinitions.remove(id),
  });
}
