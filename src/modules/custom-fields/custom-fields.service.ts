import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, type Knex, raw } from '@mikro-orm/postgresql';

import { type ErrorDetail, ValidationError } from '../../common/errors/index.js';
import {
  CustomFieldDefinition,
  CustomFieldEntityType,
  CustomFieldType,
} from './custom-field-definition.entity.js';
import { checkValue, isEmpty } from './custom-field-values.js';

/** Where each entity type keeps its values. */
export const CUSTOM_FIELD_TABLES: Record<CustomFieldEntityType, string> = {
  [CustomFieldEntityType.Contact]: 'contacts',
  [CustomFieldEntityType.Organization]: 'organizations',
  [CustomFieldEntityType.Opportunity]: 'opportunities',
  [CustomFieldEntityType.LpProfile]: 'lp_profiles',
};

const RANGE_TYPES = new Set([CustomFieldType.Number, CustomFieldType.Currency, CustomFieldType.Date]);

export type WriteMode = 'create' | 'replace' | 'patch';

export interface ValidateOptions {
  mode: WriteMode;
  /** The record's stored values (for a patch, or to keep what a replace does not mention). */
  current?: Record<string, unknown>;
  /** Import parsing: "$5,000,000", "3/15/2024", "checked", "a, b". */
  lenient?: boolean;
}

/** `cf.<key>=value` or `cf.<key>[gte]=…&cf.<key>[lte]=…` as parsed from the query string. */
export type CustomFieldFilter = Record<string, unknown>;

/**
 * The one place custom field values are checked, for every write path (API, /admin, import, CLI): unknown
 * keys, wrong types, options not in the list, malformed dates/urls/emails and missing required values are
 * 400s naming `customFields.<key>` and the reason.
 */
@Injectable()
export class CustomFieldsService {
  constructor(private readonly em: EntityManager) {}

  definitions(entityType: CustomFieldEntityType): Promise<CustomFieldDefinition[]> {
    return this.em.find(
      CustomFieldDefinition,
      { entityType },
      { orderBy: { displayOrder: 'asc', label: 'asc' } },
    );
  }

  /** The values to store for a write: checked, normalised, nulls dropped. Throws a 400 listing every problem. */
  async validate(
    entityType: CustomFieldEntityType,
    input: Record<string, unknown> | undefined,
    options: ValidateOptions,
  ): Promise<Record<string, unknown>> {
    if (input === undefined && options.mode === 'patch') return options.current ?? {};
    return this.validateWith(await this.definitions(entityType), entityType, input, options);
  }

  /** `validate` with definitions already read: an import checks thousands of rows against one read. */
  validateWith(
    definitions: readonly CustomFieldDefinition[],
    entityType: CustomFieldEntityType,
    input: Record<string, unknown> | undefined,
    options: ValidateOptions,
  ): Record<string, unknown> {
    const current = options.current ?? {};
    if (input === undefined && options.mode === 'patch') return current;
    const byKey = new Map(definitions.map((d) => [d.key, d]));
    const errors: ErrorDetail[] = [];
    const normalised: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(input ?? {})) {
      const definition = byKey.get(key);
      if (!definition) {
        errors.push({
          field: `customFields.${key}`,
          message: `is not a custom field of ${entityType.replace('_', ' ')}s`,
        });
        continue;
      }
      const checked = checkValue(definition, raw, options.lenient);
      if (!checked.ok) errors.push({ field: `customFields.${key}`, message: checked.reason });
      else normalised[key] = checked.value;
    }
    const result: Record<string, unknown> =
      options.mode === 'patch' ? { ...current, ...normalised } : normalised;
    for (const definition of definitions) {
      const touched = options.mode !== 'patch' || definition.key in normalised;
      if (
        definition.required &&
        touched &&
        isEmpty(result[definition.key]) &&
        !errors.some((e) => e.field === `customFields.${definition.key}`)
      ) {
        errors.push({ field: `customFields.${definition.key}`, message: 'is required' });
      }
    }
    if (errors.length > 0)
      throw new ValidationError(errors.map((e) => `${e.field} ${e.message}`).join('; '), errors);
    return Object.fromEntries(Object.entries(result).filter(([, value]) => !isEmpty(value)));
  }

  /**
   * `cf.<key>` filters as SQL conditions on `alias`'s custom_fields (for list queries written in SQL).
   * Equality uses JSONB containment (the GIN index); ranges on number, currency and date fields use the
   * per-field expression index. An unknown key or a malformed value is a 400 naming the parameter.
   */
  async sqlConditions(
    entityType: CustomFieldEntityType,
    cf: CustomFieldFilter | undefined,
    alias?: string,
  ): Promise<SqlCondition[]> {
    if (!cf || Object.keys(cf).length === 0) return [];
    const byKey = new Map((await this.definitions(entityType)).map((d) => [d.key, d]));
    return Object.entries(cf).flatMap(([key, spec]) => {
      const definition = byKey.get(key);
      if (!definition) {
        throw ValidationError.field(`cf.${key}`, `is not a custom field of ${entityType.replace('_', ' ')}s`);
      }
      return isRange(spec)
        ? rangeConditions(definition, spec, alias)
        : [equalityCondition(definition, spec, alias)];
    });
  }

  /** The same conditions for a MikroORM FilterQuery (add them with `$and`); MikroORM chooses the alias. */
  async filter<T extends object>(
    entityType: CustomFieldEntityType,
    cf: CustomFieldFilter | undefined,
  ): Promise<FilterQuery<T>[]> {
    const conditions = await this.sqlConditions(entityType, cf, ALIAS);
    return conditions.map(({ sql, params }) => {
      const key = raw<object, string>((alias: string) => sql.replaceAll(ALIAS, alias), params);
      return { [key]: [] } as FilterQuery<T>;
    });
  }
}

/** Stands for the table alias until MikroORM gives it. */
const ALIAS = '__cf_alias__';

/** A condition for a knex builder's `whereRaw(sql, params)`. */
export interface SqlCondition {
  sql: string;
  params: Knex.Value[];
}

function column(alias?: string): string {
  return alias ? `${alias}."custom_fields"` : `"custom_fields"`;
}

function equalityCondition(definition: CustomFieldDefinition, spec: unknown, alias?: string): SqlCondition {
  const field = `cf.${definition.key}`;
  const values = (Array.isArray(spec) ? (spec as unknown[]) : [spec]).flatMap((v) =>
    definition.fieldType === CustomFieldType.MultiSelect && typeof v === 'string' ? v.split(',') : [v],
  );
  if (values.some((v) => typeof v !== 'string'))
    throw ValidationError.field(field, 'must be a value or a [gte]/[lte] range');
  const rule =
    definition.fieldType === CustomFieldType.MultiSelect
      ? { ...definition, fieldType: CustomFieldType.Select }
      : definition;
  const documents = (values as string[]).map((v) => {
    const checked = checkValue(rule, v, true);
    if (!checked.ok || checked.value === null)
      throw ValidationError.field(field, checked.ok ? 'must not be empty' : checked.reason);
    const value = definition.fieldType === CustomFieldType.MultiSelect ? [checked.value] : checked.value;
    return JSON.stringify({ [definition.key]: value });
  });
  // Any of the values (several for multi_select: "cf.sectors=Fintech,Health" matches either).
  const sql = documents.map(() => `${column(alias)} @> ?::jsonb`).join(' or ');
  return { sql: documents.length > 1 ? `(${sql})` : sql, params: documents };
}

function rangeConditions(
  definition: CustomFieldDefinition,
  spec: Record<string, unknown>,
  alias?: string,
): SqlCondition[] {
  const field = `cf.${definition.key}`;
  if (!RANGE_TYPES.has(definition.fieldType)) {
    throw ValidationError.field(field, '[gte]/[lte] only work on number, currency and date fields');
  }
  const unknown = Object.keys(spec).filter((k) => k !== 'gte' && k !== 'lte');
  if (unknown.length > 0)
    throw ValidationError.field(`${field}[${unknown[0]}]`, 'only [gte] and [lte] are supported');
  return (['gte', 'lte'] as const)
    .filter((op) => spec[op] !== undefined)
    .map((op) => {
      const checked = checkValue(definition, spec[op], true);
      if (!checked.ok || checked.value === null || typeof spec[op] !== 'string') {
        throw ValidationError.field(`${field}[${op}]`, checked.ok ? 'must not be empty' : checked.reason);
      }
      return {
        sql: `${valueExpression(definition, alias)} ${op === 'gte' ? '>=' : '<='} ?`,
        // A number (number and currency fields) or a date's text, as checked.
        params: [checked.value as number | string],
      };
    });
}

/**
 * The indexed expression of a range-filterable field (see CustomFieldIndexes). Numbers are cast only when the
 * stored value is a JSON number: CREATE INDEX also reads row versions a forced type change has just replaced
 * (still visible to open transactions), and a bare cast of their old text ("Paris") would fail it.
 */
export function valueExpression(
  definition: { key: string; fieldType: CustomFieldType },
  alias?: string,
): string {
  const text = `(${column(alias)} ->> '${definition.key}')`;
  if (definition.fieldType === CustomFieldType.Date) return text;
  return `(case when jsonb_typeof(${column(alias)} -> '${definition.key}') = 'number' then ${text}::numeric end)`;
}

function isRange(spec: unknown): spec is Record<string, unknown> {
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec);
}
