import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, raw } from '@mikro-orm/postgresql';

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
    const current = options.current ?? {};
    if (input === undefined && options.mode === 'patch') return current;
    const definitions = await this.definitions(entityType);
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
   * Conditions for `cf.<key>` filters, to add to a list query with `$and`. Equality uses JSONB containment
   * (GIN index); ranges on number, currency and date fields use the per-field expression index.
   */
  async filter<T extends object>(
    entityType: CustomFieldEntityType,
    cf: CustomFieldFilter | undefined,
  ): Promise<FilterQuery<T>[]> {
    if (!cf || Object.keys(cf).length === 0) return [];
    const byKey = new Map((await this.definitions(entityType)).map((d) => [d.key, d]));
    const conditions: Condition[] = [];
    for (const [key, spec] of Object.entries(cf)) {
      const definition = byKey.get(key);
      if (!definition)
        throw ValidationError.field(`cf.${key}`, `is not a custom field of ${entityType.replace('_', ' ')}s`);
      if (isRange(spec)) {
        conditions.push(...this.rangeConditions(definition, spec));
      } else {
        conditions.push(this.equalityCondition(definition, spec));
      }
    }
    return conditions as unknown as FilterQuery<T>[];
  }

  private equalityCondition(definition: CustomFieldDefinition, spec: unknown): Condition {
    const field = `cf.${definition.key}`;
    const values = (Array.isArray(spec) ? (spec as unknown[]) : [spec]).flatMap((v) =>
      definition.fieldType === CustomFieldType.MultiSelect && typeof v === 'string' ? v.split(',') : [v],
    );
    if (values.some((v) => typeof v !== 'string'))
      throw ValidationError.field(field, 'must be a value or a [gte]/[lte] range');
    const parsed = (values as string[]).map((v) => {
      const rule =
        definition.fieldType === CustomFieldType.MultiSelect
          ? { ...definition, fieldType: CustomFieldType.Select }
          : definition;
      const checked = checkValue(rule, v, true);
      if (!checked.ok || checked.value === null)
        throw ValidationError.field(field, checked.ok ? 'must not be empty' : checked.reason);
      return definition.fieldType === CustomFieldType.MultiSelect ? [checked.value] : checked.value;
    });
    // Any of the values (several for multi_select: "cf.sectors=Fintech,Health" matches either).
    const any = parsed.map((value) => ({
      [raw((alias) => `${alias}.custom_fields @> ?::jsonb`, [JSON.stringify({ [definition.key]: value })])]:
        [],
    }));
    return any.length === 1 ? any[0] : { $or: any };
  }

  private rangeConditions(definition: CustomFieldDefinition, spec: Record<string, unknown>): Condition[] {
    const field = `cf.${definition.key}`;
    if (!RANGE_TYPES.has(definition.fieldType))
      throw ValidationError.field(field, '[gte]/[lte] only work on number, currency and date fields');
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
        const sqlOp = op === 'gte' ? '>=' : '<=';
        return rawCondition((alias) => `${valueExpression(definition, alias)} ${sqlOp} ?`, [checked.value]);
      });
  }
}

/** The indexed expression of a range-filterable field (see CustomFieldIndexes). */
export function valueExpression(
  definition: { key: string; fieldType: CustomFieldType },
  alias?: string,
): string {
  const column = alias ? `${alias}."custom_fields"` : `"custom_fields"`;
  const text = `(${column} ->> '${definition.key}')`;
  return definition.fieldType === CustomFieldType.Date ? text : `(${text}::numeric)`;
}

type Condition = Record<string, unknown>;

/** A boolean SQL condition usable in a MikroORM FilterQuery (`{ [raw(sql)]: [] }`). */
function rawCondition(sql: (alias: string) => string, params: unknown[]): Condition {
  const key = raw<object, string>(sql, params);
  return { [key]: [] };
}

function isRange(spec: unknown): spec is Record<string, unknown> {
  return typeof spec === 'object' && spec !== null && !Array.isArray(spec);
}
