import type { Configuration, Dictionary, Transaction } from '@mikro-orm/core';
import {
  type AbstractSqlConnection,
  AbstractSqlDriver,
  PostgreSqlConnection,
  PostgreSqlPlatform,
  PostgreSqlSchemaHelper,
} from '@mikro-orm/postgresql';

import { CUSTOM_FIELD_INDEX_PREFIX } from '../modules/custom-fields/custom-field-indexes.js';

type IndexDefs = Dictionary<Awaited<ReturnType<PostgreSqlSchemaHelper['getIndexes']>>>;
type Tables = Parameters<PostgreSqlSchemaHelper['getAllIndexes']>[1];

/**
 * Reads the database's schema for diffs (`migration:create`) without the custom fields' expression indexes:
 * they follow the definitions at run time (CustomFieldIndexes), so no migration may propose dropping them.
 */
class CrmSchemaHelper extends PostgreSqlSchemaHelper {
  override async getAllIndexes(
    connection: AbstractSqlConnection,
    tables: Tables,
    ctx?: Transaction,
  ): Promise<IndexDefs> {
    const all = await super.getAllIndexes(connection, tables, ctx);
    return Object.fromEntries(
      Object.entries(all).map(([table, indexes]) => [
        table,
        indexes.filter((index) => !index.keyName.startsWith(CUSTOM_FIELD_INDEX_PREFIX)),
      ]),
    );
  }
}

class CrmPlatform extends PostgreSqlPlatform {
  protected override readonly schemaHelper: PostgreSqlSchemaHelper = new CrmSchemaHelper(this);
}

/**
 * MikroORM's PostgreSQL driver (as @mikro-orm/postgresql builds it) with the schema reading above. Named
 * PostgreSqlDriver on purpose: @mikro-orm/nestjs finds the driver's package — and so provides its MikroORM and
 * EntityManager for injection — by the driver class's name.
 */
export class PostgreSqlDriver extends AbstractSqlDriver<PostgreSqlConnection, CrmPlatform> {
  constructor(config: Configuration) {
    super(config, new CrmPlatform(), PostgreSqlConnection, ['knex', 'pg']);
  }
}
