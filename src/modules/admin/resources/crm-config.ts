import type { Dictionary, FilterQuery } from '@mikro-orm/core';
import type { ActionContext } from 'adminjs';

import type { Role } from '../../../common/auth/role.js';
import type { VirtualProperty } from './crm-properties.js';

/** The list filter that shows soft-deleted records (managers and admins only). */
export const DELETED_FILTER = 'deletedRecords';

/**
 * How a resource's records are written: through the module's service, with the API's request DTO (writers.ts).
 * `body` is the form as the JSON body the API would receive (admin-validation.ts `apiBody`).
 */
export interface RecordWriter {
  /** Answers the new record's id. */
  create(body: Dictionary, context: ActionContext): Promise<string>;
  update(id: string, body: Dictionary, context: ActionContext): Promise<void>;
  delete?(id: string, context: ActionContext): Promise<void>;
  restore?(id: string, context: ActionContext): Promise<void>;
}

export interface CrmResourceConfig {
  /** deletedAt/deletedBy: delete is a soft delete; lists hide deleted rows unless the filter asks. */
  softDelete?: boolean;
  /** Many-to-many collections loaded with every record (tags). */
  populate?: string[];
  virtual?: VirtualProperty[];
  /** Extra scope by user (managers see only their own API tokens). */
  scope?: (context?: ActionContext) => FilterQuery<Dictionary> | undefined;
  /** What other resources' pages learn about a record they refer to (a contact's owner): these params only. */
  referenceParams?: string[];
  /** Without one, the resource is read-only. */
  writer?: RecordWriter;
  /** Default order when the list does not ask for one. */
  defaultOrder?: Dictionary<'asc' | 'desc'>;
  /**
   * Users below `below` may filter, search and sort only on `paths` (what they may see of these records):
   * a filter or sort on another column would tell them its values row by row.
   */
  restrict?: { below: Role; paths: string[] };
  /**
   * The API's visibility rule for records that are not deleted themselves but hidden with a deleted record
   * they belong to (a communication of a deleted contact), as SQL on the row's alias. Lists, counts and
   * detail pages apply it; a manager's "include deleted" filter lifts it as the API's includeDeleted does.
   */
  visible?: (alias: string) => string;
  /**
   * Records lists leave out unless the filter names one of `unless` (done tasks: shown when the status filter
   * or the "done tasks" filter asks for them).
   */
  hiddenByDefault?: { where: FilterQuery<Dictionary>; unless: string[] };
}
