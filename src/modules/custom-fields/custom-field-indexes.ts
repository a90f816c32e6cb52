import { createHash } from 'node:crypto';

import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';

import { CustomFieldIndexStatus, type CustomFieldType } from './custom-field-definition.entity.js';
import { CUSTOM_FIELD_TABLES, valueExpression } from './custom-fields.service.js';

/** What names and shapes a custom field's expression index. */
export interface IndexedField {
  entityType: keyof typeof CUSTOM_FIELD_TABLES;
  key: string;
  fieldType: CustomFieldType;
}

/** A definition whose index is to be built, and whose `index_status` reports how that went. */
export interface IndexTarget extends IndexedField {
  id: string;
}

/** Every custom field index is named with it; schema diffs skip such indexes (src/database/crm-driver.ts). */
export const CUSTOM_FIELD_INDEX_PREFIX = 'cf_';

/** Tries per build: an interrupted or failed build leaves an invalid index, which is dropped before a retry. */
const ATTEMPTS = 2;

/**
 * The expression indexes of number, currency and date custom fields (`cf_<table>_<key>`), built and dropped
 * CONCURRENTLY after the definition's change has committed, outside any request, on a pool connection — so
 * defining a field never holds a lock that blocks writes to a large table. One change at a time per instance,
 * in the order they were made. Schema diffs ignore these indexes (CrmSchemaHelper).
 */
@Injectable()
export class CustomFieldIndexes implements BeforeApplicationShutdown {
  private readonly logger = new Logger('CustomFieldIndexes');
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly em: EntityManager) {}

  /** Queues dropping the index of `drop` and building that of `build` (either may be absent); returns at once. */
  apply(drop: IndexedField | undefined, build: IndexTarget | undefined): void {
    this.queue = this.queue.then(async () => {
      try {
        if (drop) await this.execute(`drop index concurrently if exists "${nameOf(drop)}"`);
      } catch (err) {
        this.logger.error({ err, index: nameOf(drop!) }, 'Dropping a custom field index failed');
      }
      if (build) await this.build(build);
    });
  }

  /** Resolves once every queued change is done (the app waits for it before closing its connections). */
  idle(): Promise<void> {
    return this.queue;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.idle();
  }

  private async build(field: IndexTarget): Promise<void> {
    const name = nameOf(field);
    const table = CUSTOM_FIELD_TABLES[field.entityType];
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await this.dropIfInvalid(name);
        await this.execute(
          `create index concurrently if not exists "${name}" on "${table}" (${valueExpression(field)})`,
        );
        if (await this.isValid(name)) return await this.report(field, CustomFieldIndexStatus.Ready);
      } catch (err) {
        this.logger.warn({ err, index: name, attempt }, 'Building a custom field index failed');
      }
    }
    try {
      await this.dropIfInvalid(name);
      await this.report(field, CustomFieldIndexStatus.Failed);
    } catch (err) {
      this.logger.error({ err, index: name }, 'Reporting a failed custom field index failed');
    }
    this.logger.error({ index: name }, `Custom field index ${name} could not be built`);
  }

  /** An interrupted CONCURRENTLY build leaves an invalid index behind: it serves no query and must go. */
  private async dropIfInvalid(name: string): Promise<void> {
    if ((await this.isValid(name)) === false)
      await this.execute(`drop index concurrently if exists "${name}"`);
  }

  /** true or false for an existing index, undefined when there is none. */
  private async isValid(name: string): Promise<boolean | undefined> {
    const rows = await this.em
      .getConnection()
      .execute<{ valid: boolean }[]>(
        `select indisvalid as valid from pg_index where indexrelid = to_regclass(quote_ident(?))`,
        [name],
      );
    return rows[0]?.valid;
  }

  /** Only while the definition still has this key and type: a later change reports its own build. */
  private async report(field: IndexTarget, status: CustomFieldIndexStatus): Promise<void> {
    await this.execute(
      `update "custom_field_definitions" set "index_status" = ? where "id" = ? and "key" = ? and "field_type" = ?`,
      [status, field.id, field.key, field.fieldType],
    );
  }

  private async execute(sql: string, params: unknown[] = []): Promise<void> {
    await this.em.getConnection().execute(sql, params, 'run');
  }
}

export function indexName(table: string, key: string): string {
  const name = `${CUSTOM_FIELD_INDEX_PREFIX}${table}_${key}`;
  return name.length <= 63
    ? name
    : `${name.slice(0, 54)}_${createHash('sha1').update(name).digest('hex').slice(0, 8)}`;
}

function nameOf(field: IndexedField): string {
  return indexName(CUSTOM_FIELD_TABLES[field.entityType], field.key);
}
