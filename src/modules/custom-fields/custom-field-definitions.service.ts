import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';

import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/errors/index.js';
import { runQuery } from '../../common/utils/sql.js';
import { AuditService } from '../audit/audit.service.js';
import {
  CustomFieldDefinition,
  CustomFieldIndexStatus,
  CustomFieldType,
} from './custom-field-definition.entity.js';
import { CustomFieldIndexes, type IndexedField } from './custom-field-indexes.js';
import { checkValue } from './custom-field-values.js';
import { CUSTOM_FIELD_TABLES } from './custom-fields.service.js';
import {
  type CreateCustomFieldDto,
  CustomFieldResponseDto,
  type ListCustomFieldsQueryDto,
  type UpdateCustomFieldDto,
} from './dto/custom-field.dto.js';

const SELECT_TYPES = new Set([CustomFieldType.Select, CustomFieldType.MultiSelect]);
const RANGE_TYPES = new Set([CustomFieldType.Number, CustomFieldType.Currency, CustomFieldType.Date]);

interface StoredValue {
  id: string;
  value: unknown;
}

/** Managing definitions: keys stay stable while values exist; a change never leaves invalid values behind. */
@Injectable()
export class CustomFieldDefinitionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly indexes: CustomFieldIndexes,
  ) {}

  async list(query: ListCustomFieldsQueryDto): Promise<ListResponse<CustomFieldResponseDto>> {
    const where: FilterQuery<CustomFieldDefinition> = query.entityType
      ? { entityType: query.entityType }
      : {};
    const [rows, total] = await findAndCountTotal(this.em, CustomFieldDefinition, () => where, query, {
      orderBy: { entityType: 'asc', displayOrder: 'asc', label: 'asc', id: 'asc' },
    });
    return listResponse(rows.map(CustomFieldResponseDto.from), total, query);
  }

  async get(id: string): Promise<CustomFieldResponseDto> {
    return CustomFieldResponseDto.from(await this.find(id));
  }

  async create(dto: CreateCustomFieldDto): Promise<CustomFieldResponseDto> {
    const options = checkOptions(dto.fieldType, dto.options);
    if (await this.em.count(CustomFieldDefinition, { entityType: dto.entityType, key: dto.key })) {
      throw new ConflictError(
        'CUSTOM_FIELD_EXISTS',
        `${dto.entityType} already has a custom field "${dto.key}"`,
        [{ field: 'key', message: 'already exists for this entity type' }],
      );
    }
    const definition = await this.em.transactional(async (em) => {
      const created = em.create(CustomFieldDefinition, {
        entityType: dto.entityType,
        key: dto.key,
        label: dto.label,
        fieldType: dto.fieldType,
        options,
        required: dto.required ?? false,
        displayOrder: dto.displayOrder ?? 0,
        helpText: dto.helpText ?? null,
        indexStatus: RANGE_TYPES.has(dto.fieldType) ? CustomFieldIndexStatus.Building : null,
      });
      await em.flush();
      // Values left by an earlier definition with this key would not match this one: start clean.
      await this.clear(
        em,
        created,
        await this.storedValues(em, created),
        'custom_field.stale_values_cleared',
      );
      return created;
    });
    this.syncIndex(undefined, definition);
    return CustomFieldResponseDto.from(definition);
  }

  /**
   * A key cannot be renamed once values exist. A new type or fewer options that would make stored values
   * invalid is refused (409 with how many), unless `force`: those values are then cleared and audited.
   */
  async update(id: string, dto: UpdateCustomFieldDto, force = false): Promise<CustomFieldResponseDto> {
    let before: IndexedField | undefined;
    const definition = await this.em.transactional(async (em) => {
      const definition = await this.find(id, em);
      before = indexedField(definition);
      const fieldType = dto.fieldType ?? definition.fieldType;
      const options = checkOptions(
        fieldType,
        dto.options ?? (dto.fieldType && !SELECT_TYPES.has(dto.fieldType) ? [] : definition.options),
      );
      const values = await this.storedValues(em, definition);
      if (dto.key !== undefined && dto.key !== definition.key) {
        if (values.length > 0) {
          throw new ConflictError(
            'CUSTOM_FIELD_IN_USE',
            `The key cannot change: ${values.length} record(s) have a value for "${definition.key}"`,
            [{ field: 'key', message: 'cannot change while records have values' }],
          );
        }
        if (
          await em.count(CustomFieldDefinition, {
            entityType: definition.entityType,
            key: dto.key,
            id: { $ne: id },
          })
        ) {
          throw new ConflictError(
            'CUSTOM_FIELD_EXISTS',
            `${definition.entityType} already has a custom field "${dto.key}"`,
            [{ field: 'key', message: 'already exists for this entity type' }],
          );
        }
        definition.key = dto.key;
      }
      const rule = { key: definition.key, fieldType, options, required: false };
      const invalid = values.filter((v) => !checkValue(rule, v.value).ok);
      if (invalid.length > 0 && !force) {
        throw new ConflictError(
          'CUSTOM_FIELD_IN_USE',
          `${invalid.length} stored value(s) would not fit the new definition; change them first, or repeat with ?force=true to clear them`,
          { invalidCount: invalid.length, examples: invalid.slice(0, 5) },
        );
      }
      definition.fieldType = fieldType;
      definition.options = options;
      if (dto.label !== undefined) definition.label = dto.label;
      if (dto.required !== undefined) definition.required = dto.required;
      if (dto.displayOrder !== undefined) definition.displayOrder = dto.displayOrder;
      if (dto.helpText !== undefined) definition.helpText = dto.helpText;
      if (indexChanges(before, definition)) {
        definition.indexStatus = RANGE_TYPES.has(fieldType) ? CustomFieldIndexStatus.Building : null;
      }
      await em.flush();
      await this.clear(em, definition, invalid, 'custom_field.values_cleared');
      return definition;
    });
    this.syncIndex(before, definition);
    return CustomFieldResponseDto.from(definition);
  }

  /** Removes the definition and its values from every record; the values stay in the audit log. */
  async remove(id: string): Promise<void> {
    const removed = await this.em.transactional(async (em) => {
      const definition = await this.find(id, em);
      await this.clear(
        em,
        definition,
        await this.storedValues(em, definition),
        'custom_field.values_removed',
      );
      em.remove(definition);
      await em.flush();
      return indexedField(definition);
    });
    this.syncIndex(removed, undefined);
  }

  private async find(id: string, em: EntityManager = this.em): Promise<CustomFieldDefinition> {
    const definition = await em.findOne(CustomFieldDefinition, id);
    if (!definition) throw new NotFoundError('Custom field', id);
    return definition;
  }

  private storedValues(em: EntityManager, definition: CustomFieldDefinition): Promise<StoredValue[]> {
    const knex = em.getKnex();
    return runQuery<StoredValue>(
      em,
      knex(CUSTOM_FIELD_TABLES[definition.entityType])
        .select('id', knex.raw('custom_fields -> ? as value', [definition.key]))
        .whereRaw('jsonb_exists(custom_fields, ?)', [definition.key]),
    );
  }

  /** Strips values from records (bumping their version) and writes one audit row holding what was removed. */
  private async clear(
    em: EntityManager,
    definition: CustomFieldDefinition,
    values: StoredValue[],
    action: string,
  ): Promise<void> {
    if (values.length === 0) return;
    const table = CUSTOM_FIELD_TABLES[definition.entityType];
    const ids = values.map((v) => v.id);
    const knex = em.getKnex();
    await runQuery(
      em,
      knex(table)
        .whereIn('id', ids)
        .update({
          custom_fields: knex.raw('custom_fields - ?', [definition.key]),
          version: knex.raw('version + 1'),
          updated_at: knex.raw('now()'),
        }),
    );
    this.audit.persist(em, {
      action,
      entityType: 'custom_field',
      entityId: definition.id,
      meta: { entityType: definition.entityType, key: definition.key, count: values.length, values },
    });
  }

  /**
   * Range filters on number, currency and date fields are served by one expression index per field, built or
   * dropped CONCURRENTLY once the change has committed (CustomFieldIndexes): the request does not wait. A
   * change that keeps the key and type rebuilds only an index that is not ready (how a failed build is retried).
   */
  private syncIndex(before: IndexedField | undefined, after: CustomFieldDefinition | undefined): void {
    if (!indexChanges(before, after)) return;
    const drop = before && RANGE_TYPES.has(before.fieldType) ? before : undefined;
    const build =
      after && RANGE_TYPES.has(after.fieldType) ? { ...indexedField(after), id: after.id } : undefined;
    const same = before && after && before.key === after.key && before.fieldType === after.fieldType;
    this.indexes.apply(same ? undefined : drop, build);
  }
}

function indexedField(definition: CustomFieldDefinition): IndexedField {
  return { entityType: definition.entityType, key: definition.key, fieldType: definition.fieldType };
}

/** Whether a change to a definition moves, removes, creates or (not ready yet) rebuilds its index. */
function indexChanges(before: IndexedField | undefined, after: CustomFieldDefinition | undefined): boolean {
  if (!before || !after) return true;
  if (before.key !== after.key || before.fieldType !== after.fieldType) return true;
  return RANGE_TYPES.has(after.fieldType) && after.indexStatus !== CustomFieldIndexStatus.Ready;
}

function checkOptions(fieldType: CustomFieldType, options: string[] | undefined): string[] {
  const list = (options ?? []).map((o) => o.trim());
  if (SELECT_TYPES.has(fieldType)) {
    if (list.length === 0) throw ValidationError.field('options', `are required for a ${fieldType} field`);
    if (new Set(list).size !== list.length) throw ValidationError.field('options', 'must not repeat');
    return list;
  }
  if (list.length > 0) throw ValidationError.field('options', `only apply to select and multi_select fields`);
  return [];
}
