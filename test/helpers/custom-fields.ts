import {
  CustomFieldDefinition,
  type CustomFieldEntityType,
  CustomFieldType,
} from '../../src/modules/custom-fields/custom-field-definition.entity.js';
import type { TestApp } from './test-app.js';

/** Text custom fields written straight to the database (the definitions API is tested in custom-fields.e2e-spec.ts). */
export async function defineTextFields(
  t: TestApp,
  entityType: `${CustomFieldEntityType}`,
  keys: string[],
): Promise<void> {
  const em = t.orm.em.fork();
  for (const key of keys) {
    em.create(CustomFieldDefinition, {
      entityType: entityType as CustomFieldEntityType,
      key,
      label: key,
      fieldType: CustomFieldType.Text,
    });
  }
  await em.flush();
}
