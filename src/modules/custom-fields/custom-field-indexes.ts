import { createHash } from 'node:crypto';

import { type BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import pg from 'pg';

import { AppConfig } from '../../config/app-config.js';
import { CustomFieldIndexStatus, CustomFieldType } from './custom-field-definition.entity.js';
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

/** First key of each index build's advisory lock (the second is the index name's hash): apart from other locks. */
const INDEX_LOCK_NAMESPACE = 730_196;

/** The field types that have a range-filter index. */
const INDEXED_TYPES = [CustomFieldType.Number, CustomFieldType.Currency, CustomFieldType.Date];

/**
 * The expression indexes of number, currency and date custom fields (`cf_<table>_<key>`), built and dropped
 * CONCURRENTLY after the definition's change has committed, outside any request, on a pool connection — so
 * defining a field never holds a lock that blocks writes to a large table. One change at a time per instance,
 * in the order they were made. Schema diffs ignore these indexes (CrmSchemaHelper).
 *
 * Each build runs on a connection of its own holding a PostgreSQL advisory lock on the index name, so one
 * instance at a time builds an index; the lock goes with the connection if the process dies. At start-up an
 * instance builds again what a dead one left: definitions still `building`, or `ready` with an invalid index.
 */
@Injectable()
export class CustomFieldIndexes implements BeforeApplicationShutdown {
  private readonly logger = new Logger('CustomFieldIndexes');
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly config: AppConfig) {}

  /**
   * Queues the builds a stopped instance left unfinished; returns at once. Called by the server at start-up
   * (createApp), not by CLI commands.
   */
  resumeUnfinished(): void {
    this.queue = this.queue.then(() =>
      this.unfinished().then(
        (fields) => fields.reduce((done, field) => done.then(() => this.build(field)), Promise.resolve()),
        (err: unknown) => this.logger.error({ err }, 'Looking for unfinished custom field indexes failed'),
      ),
    );
  }

  /** Queues dropping the index of `drop` and building that of `build` (either may be absent); returns at once. */
  apply(drop: IndexedField | undefined, build: IndexTarget | undefined): void {
    this.queue = this.queue.then(async () => {
      try {
        if (drop)
          await this.connected((db) => db.query(`drop index concurrently if exists "${nameOf(drop)}"`));
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

  /**
   * Definitions whose build a stopped instance left: `building` with no build in progress (none holds its
   * lock; build() checks that), or `ready` whose index is missing or invalid.
   */
  private async unfinished(): Promise<IndexTarget[]> {
    const fields = await this.connected(async (db) => {
      const rows = await db.query<IndexTarget & { status: CustomFieldIndexStatus }>(
        `select id, entity_type as "entityType", key, field_type as "fieldType", index_status as status
           from custom_field_definitions
          where field_type::text = any($1) and index_status in ('building', 'ready')
          order by created_at, id`,
        [INDEXED_TYPES],
      );
      // Every custom field index of this schema with its validity, in one query (not one per definition).
      const indexes = await db.query<{ name: string; valid: boolean }>(
        `select c.relname as name, i.indisvalid as valid
           from pg_index i join pg_class c on c.oid = i.indexrelid
          where c.relnamespace = current_schema()::regnamespace and starts_with(c.relname, $1)`,
        [CUSTOM_FIELD_INDEX_PREFIX],
      );
      const valid = new Map(indexes.rows.map((r) => [r.name, r.valid]));
      return rows.rows.flatMap(({ status, ...field }) =>
        status === CustomFieldIndexStatus.Building || !valid.get(nameOf(field)) ? [field] : [],
      );
    });
    if (fields.length > 0)
      this.logger.log(`Building ${fields.length} custom field index(es) left unfinished`);
    return fields;
  }

  /** Builds the index under its lock; when another connection holds it, that one is building it: skipped. */
  private async build(field: IndexTarget): Promise<void> {
    const name = nameOf(field);
    try {
      await this.connected(async (db) => {
        const lock = [INDEX_LOCK_NAMESPACE, name];
        const taken = await db.query<{ locked: boolean }>(
          'select pg_try_advisory_lock($1, hashtext($2)) as locked',
          lock,
        );
        if (!taken.rows[0].locked) return this.logger.log(`Custom field index ${name}: built elsewhere`);
        try {
          await this.buildLocked(db, field, name);
        } finally {
          await db.query('select pg_advisory_unlock($1, hashtext($2))', lock);
        }
      });
    } catch (err) {
      this.logger.error({ err, index: name }, 'Building a custom field index failed');
    }
  }

  private async buildLocked(db: pg.Client, field: IndexTarget, name: string): Promise<void> {
    const table = CUSTOM_FIELD_TABLES[field.entityType];
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        await dropIfInvalid(db, name);
        await db.query(
          `create index concurrently if not exists "${name}" on "${table}" (${valueExpression(field)})`,
        );
        if (await isValid(db, name)) return await report(db, field, CustomFieldIndexStatus.Ready);
      } catch (err) {
        this.logger.warn({ err, index: name, attempt }, 'Building a custom field index failed');
      }
    }
    try {
      await dropIfInvalid(db, name);
      await report(db, field, CustomFieldIndexStatus.Failed);
    } catch (err) {
      this.logger.error({ err, index: name }, 'Reporting a failed custom field index failed');
    }
    this.logger.error({ index: name }, `Custom field index ${name} could not be built`);
  }

  /** Runs `work` on a connection of its own (CONCURRENTLY needs one outside any transaction; so does the lock). */
  private async connected<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
    const db = new pg.Client({ connectionString: this.config.database.url });
    await db.connect();
    try {
      return await work(db);
    } finally {
      await db.end();
    }
  }
}

/** An interrupted CONCURRENTLY build leaves an invalid index behind: it serves no query and must go. */
async function dropIfInvalid(db: pg.Client, name: string): Promise<void> {
  if ((await isValid(db, name)) === false) await db.query(`drop index concurrently if exists "${name}"`);
}

/** true or false for an existing index, undefined when there is none. */
async function isValid(db: pg.Client, name: string): Promise<boolean | undefined> {
  const rows = await db.query<{ valid: boolean }>(
    'select indisvalid as valid from pg_index where indexrelid = to_regclass(quote_ident($1))',
    [name],
  );
  return rows.rows[0]?.valid;
}

/** Only while the definition still has this key and type: a later change reports its own build. */
async function report(db: pg.Client, field: IndexTarget, status: CustomFieldIndexStatus): Promise<void> {
  await db.query(
    `update "custom_field_definitions" set "index_status" = $1 where "id" = $2 and "key" = $3 and "field_type" = $4`,
    [status, field.id, field.key, field.fieldType],
  );
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
