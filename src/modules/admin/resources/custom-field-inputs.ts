import type { Dictionary } from '@mikro-orm/core';
import type { Action, ActionResponse, PropertyOptions } from 'adminjs';

import {
  type CustomFieldEntityType,
  CustomFieldType,
} from '../../custom-fields/custom-field-definition.entity.js';
import { CustomFieldResponseDto } from '../../custom-fields/dto/custom-field.dto.js';
import type { AdminServices } from '../admin-services.js';
import type { ResourceContext } from './resource-kit.js';

/** The hidden resource action the CustomFields component loads the definitions from. */
export const DEFINITIONS_ACTION = 'customFieldDefinitions';

/**
 * Custom fields as real inputs: the `customFields` column is rendered by the CustomFields component, which
 * asks the resource's hidden action for the definitions each time a form or record page opens — so a field
 * defined through the API a minute ago is there without a restart (AdminJS fixes a resource's properties at
 * start, which is why they are not properties of their own).
 */
export function customFieldInputs(
  ctx: ResourceContext,
  entityType: CustomFieldEntityType,
): { property: PropertyOptions; action: Action<ActionResponse> } {
  return {
    property: {
      components: { edit: ctx.components.CustomFields, show: ctx.components.CustomFields },
      isVisible: { list: false, filter: false, show: true, edit: true },
    },
    action: {
      name: DEFINITIONS_ACTION,
      actionType: 'resource',
      component: false,
      isVisible: false,
      // Anyone who may open a form or a record page; the answer holds definitions only, never values.
      isAccessible: true,
      handler: async () => {
        const definitions = await ctx.services.customFields.definitions(entityType);
        // As GET /api/custom-fields answers them (anyone signed in may read definitions).
        return { definitions: definitions.map(CustomFieldResponseDto.from) };
      },
    },
  };
}

const isBlank = (value: unknown): boolean => value === '' || value === null || value === undefined;

/** One form value (text from the browser) as the JSON value of its field type; the validator judges it. */
export function decodeCustomFieldValue(fieldType: CustomFieldType | undefined, value: unknown): unknown {
  if (fieldType === CustomFieldType.MultiSelect)
    return Array.isArray(value) ? value : isBlank(value) ? [] : [value];
  if (isBlank(value) || typeof value !== 'string') return isBlank(value) ? null : value;
  switch (fieldType) {
    case CustomFieldType.Number:
    case CustomFieldType.Currency: {
      const n = Number(value.replace(/,/g, '').trim());
      return value.trim() !== '' && Number.isFinite(n) ? n : value;
    }
    case CustomFieldType.Boolean:
      return value === 'true' ? true : value === 'false' ? false : value;
    case CustomFieldType.Date:
      return /^\d{4}-\d{2}-\d{2}T/.test(value) ? value.slice(0, 10) : value;
    default:
      return value;
  }
}

/**
 * The form's `customFields.<key>` values typed by their definitions (numbers, booleans, arrays; blanks as
 * null, i.e. "no value"), for CustomFieldsService.validate, which the module's service then calls in its
 * create or patch mode. Keys without a definition are kept: the validator names them. Also answers the
 * definitions' labels by error field (`customFields.<key>`).
 */
export async function decodeCustomFields(
  services: AdminServices,
  entityType: CustomFieldEntityType,
  raw: unknown,
): Promise<{ values: unknown; labels: Map<string, string> }> {
  const definitions = await services.customFields.definitions(entityType);
  const labels = new Map(definitions.map((d) => [`customFields.${d.key}`, d.label]));
  // Not an object: the DTO's @IsObject refuses it.
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return { values: raw, labels };
  const types = new Map(definitions.map((d) => [d.key, d.fieldType]));
  const values = Object.fromEntries(
    Object.entries(raw as Dictionary).map(([key, value]) => [
      key,
      decodeCustomFieldValue(types.get(key), value),
    ]),
  );
  return { values, labels };
}
