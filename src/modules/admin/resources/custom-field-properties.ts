import type { VirtualProperty } from './crm-resource.js';

export type CustomFieldEntity = 'contact' | 'organization' | 'opportunity' | 'lp_profile';

/**
 * Custom fields as form inputs — the one function to fill in once custom field definitions exist.
 * Return one VirtualProperty per definition, in display order, e.g. for a `currency` field `aum`:
 *
 *   { path: 'customFields.aum', type: 'currency', on: ['show', 'edit', 'filter'],
 *     value: (row) => row.customFields?.aum,
 *     where: (v) => ({ customFields: { $contains: { aum: Number(v) } } }) }
 *
 * (labels: a `resources.<Resource>.properties['customFields.aum']` entry in the locale, admin-locale.ts).
 * The resources append these paths to their show/edit/list/filter pages (resource-kit.ts), and the form's
 * `customFields.<key>` params are saved into the JSONB column (CrmResource.entityData), validated by the
 * create/update DTO's `customFields` (and the custom field validator once it exists).
 */
export function customFieldProperties(_entityType: CustomFieldEntity): VirtualProperty[] {
  return [];
}
