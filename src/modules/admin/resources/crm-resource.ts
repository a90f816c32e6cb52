import { Resource as OrmAdapterResource } from '@adminjs/mikroorm';
import {
  type Dictionary,
  type EntityClass,
  type EntityMetadata,
  type EntityProperty,
  type EntityManager,
  type MikroORM,
  ReferenceKind,
  RequestContext as OrmRequestContext,
  wrap,
} from '@mikro-orm/core';
import {
  type ActionContext,
  type ActionRequest,
  type BaseProperty,
  BaseRecord,
  BaseResource,
  type Filter,
  NotFoundError,
  type ParamsType,
} from 'adminjs';
import { isUUID } from 'class-validator';

import { ADMIN_LIMITS } from '../admin-http.js';
import { refusal, staleVersionError, staleVersions, toAdminError } from './admin-errors.js';
import { apiBody } from './admin-validation.js';
import type { CrmResourceConfig, RecordWriter } from './crm-config.js';
import { type AdapterProperty, ColumnProperty, VirtualAdminProperty } from './crm-properties.js';
import { CrmListQuery } from './crm-list-query.js';
import { flatParams } from './flat-params.js';
import { changesSince } from './stale-edit.js';

/** The form as the browser sent it, kept by `rememberForm` before AdminJS converts it by property type. */
const FORM = 'submittedForm';

/**
 * Before `new` and `edit`: keeps the submitted form on the action's context. AdminJS's own conversion of the
 * params by property type (Number("5,000,000"), new Date("2024-03-15")) would spoil money and dates before
 * they reach the resource; the resource reads the form from here instead.
 */
export function rememberForm(request: ActionRequest, context: ActionContext): ActionRequest {
  if (request.method === 'post') context[FORM] = flatParams.unflatten(request.payload ?? {});
  return request;
}

type Row = Dictionary;

/**
 * The MikroORM adapter of @adminjs/mikroorm, made fit for this app:
 * - every call works on a fork of the request's EntityManager (the admin router opens a RequestContext);
 * - credential columns (`hidden: true` in the entity) are not properties at all, so no action can show or set them;
 * - text filters are case-insensitive `ILIKE` with escaped input; bad ids find nothing instead of erroring;
 * - soft-deletable records are hidden from lists unless a manager asks;
 * - writes go through the resource's writer, i.e. the API's DTO and service (a stale `version` is refused
 *   there), each in its own MikroORM request context; refusals become field errors in the form instead of
 *   being logged and ignored.
 */
export class CrmResource extends BaseResource {
  private readonly adapter: OrmAdapterResource;
  private readonly metadata: EntityMetadata;
  private readonly columns = new Map<string, ColumnProperty>();
  private readonly virtuals = new Map<string, VirtualAdminProperty>();
  private readonly query: CrmListQuery;

  constructor(
    private readonly orm: MikroORM,
    readonly model: EntityClass<unknown>,
    private readonly config: CrmResourceConfig = {},
  ) {
    super(model);
    this.adapter = new OrmAdapterResource({ orm, model: model });
    this.metadata = orm.getMetadata().get(model.name);
    for (const prop of this.adapter.properties() as unknown as AdapterProperty[]) {
      if (!prop.getColumnMetadata().hidden) this.columns.set(prop.path(), new ColumnProperty(prop));
    }
    for (const v of config.virtual ?? []) this.virtuals.set(v.path, new VirtualAdminProperty(v));
    this.query = new CrmListQuery(this.id(), config, this.columns, this.virtuals);
  }

  override databaseName(): string {
    return this.adapter.databaseName();
  }

  override databaseType(): string {
    return this.adapter.databaseType();
  }

  override id(): string {
    return this.metadata.className;
  }

  override properties(): BaseProperty[] {
    return [...this.columns.values(), ...this.virtuals.values()];
  }

  override property(path: string): BaseProperty | null {
    return this.virtuals.get(path) ?? this.columns.get(path) ?? null;
  }

  override build(params: ParamsType): BaseRecord {
    return new BaseRecord(flatParams.unflatten(params), this);
  }

  /** The ORM metadata of a visible column, or undefined (hidden credential columns are never returned). */
  column(path: string): EntityProperty | undefined {
    return this.columns.get(path)?.getColumnMetadata();
  }

  get isSoftDeletable(): boolean {
    return !!this.config.softDelete;
  }

  override async count(filter: Filter, context?: ActionContext): Promise<number> {
    return this.em().count(this.model, this.query.where(filter, context));
  }

  override async find(
    filter: Filter,
    params: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } },
    context?: ActionContext,
  ): Promise<BaseRecord[]> {
    const { offset = 0, sort = {} } = params;
    // The router refuses perPage above ADMIN_LIMITS.perPage; this holds for callers inside the app too.
    const limit = Math.min(Number(params.limit) || 10, ADMIN_LIMITS.perPage);
    this.query.assertMayUse(sort.sortBy, context, 'sort');
    const rows = await this.em().find(this.model, this.query.where(filter, context), {
      populate: (this.config.populate ?? []) as never[],
      orderBy: this.query.orderBy(sort.sortBy, sort.direction === 'desc' ? 'desc' : 'asc'),
      limit,
      offset,
    });
    return rows.map((row) => this.record(row as Row));
  }

  override async findOne(id: string, context?: ActionContext): Promise<BaseRecord | null> {
    if (!isUUID(String(id))) return null;
    const row = await this.em().findOne(this.model, this.query.one(id, context), {
      populate: (this.config.populate ?? []) as never[],
    });
    return row ? this.record(row) : null;
  }

  /** Records shown as references (an opportunity's contact): deleted ones too, so the link still names them. */
  override async findMany(ids: (string | number)[]): Promise<BaseRecord[]> {
    const valid = ids.map(String).filter((id) => isUUID(id));
    if (valid.length === 0) return [];
    const rows = await this.em().find(this.model, { id: { $in: valid } });
    return rows.map((row) => this.reference(row as Row));
  }

  /** A record as a reference: only `referenceParams` when the resource names them. */
  reference(row: Row): BaseRecord {
    const keep = this.config.referenceParams;
    if (!keep) return this.record(row);
    const params = this.params(row);
    return new BaseRecord(Object.fromEntries(keep.map((k) => [k, params[k]])), this);
  }

  override async create(params: ParamsType, context?: ActionContext): Promise<ParamsType> {
    return this.write(context, (writer, ctx) => writer.create(this.body(params, ctx), ctx));
  }

  override async update(id: string, params: ParamsType = {}, context?: ActionContext): Promise<ParamsType> {
    return this.write(
      context,
      async (writer, ctx) => {
        await writer.update(id, this.body(params, ctx), ctx);
        return id;
      },
      id,
    );
  }

  /** Through the service: the soft delete where the entity has one, with the module's rules (a fund in use stays). */
  override async delete(id: string, context?: ActionContext): Promise<void> {
    await this.write(context, async (writer, ctx) => {
      if (!writer.delete) throw refusal('These records cannot be deleted');
      await writer.delete(id, ctx);
      return undefined;
    });
  }

  async restore(id: string, context: ActionContext): Promise<BaseRecord> {
    await this.write(context, async (writer, ctx) => {
      if (!writer.restore) throw refusal('These records cannot be restored');
      await writer.restore(id, ctx);
      return undefined;
    });
    return this.record(await this.load(this.em(), id, 'restore'));
  }

  /**
   * Runs a write in a MikroORM request context of its own (the services use the context's EntityManager;
   * bulk delete runs several at once) and answers the record as stored afterwards.
   */
  private async write(
    context: ActionContext | undefined,
    run: (writer: RecordWriter, context: ActionContext) => Promise<string | undefined>,
    editedId?: string,
  ): Promise<ParamsType> {
    const writer = this.config.writer;
    try {
      if (!writer || !context) throw refusal('These records are read-only here');
      const id = await OrmRequestContext.create(this.orm.em, () => run(writer, context));
      return id === undefined ? {} : this.params(await this.load(this.em(), id, 'show'));
    } catch (err) {
      // A stale edit says who saved what meanwhile (from the audit log); the form keeps what was typed.
      const stale = editedId ? staleVersions(err) : undefined;
      if (stale) {
        const count = stale.sent ? stale.current - stale.sent : 1;
        const changes = await changesSince(this.em(), editedId!, count);
        throw staleVersionError(this.id(), stale.current, stale.sent, changes);
      }
      throw toAdminError(err, this.id());
    }
  }

  /** A custom write action's work (a task from a next action), like a save: its own request context, refusals as AdminJS errors. */
  async runWrite<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await OrmRequestContext.create(this.orm.em, run);
    } catch (err) {
      throw toAdminError(err, this.id());
    }
  }

  /** The submitted form (see rememberForm) as the API's JSON body. */
  private body(params: ParamsType, context: ActionContext): Dictionary {
    const form = (context[FORM] as Dictionary | undefined) ?? flatParams.unflatten(params);
    return apiBody(this, form);
  }

  /** One row by id, with the resource's collections, for a write; AdminJS's 404 otherwise. */
  private async load(em: EntityManager, id: string, action: string): Promise<Row> {
    const populate = (this.config.populate ?? []) as never[];
    const row = (await em.findOne(this.model, { id }, { populate })) as Row | null;
    if (!row) throw new NotFoundError(`${this.id()} ${id} not found`, action);
    return row;
  }

  /** A fresh fork of the request's EntityManager (MikroORM's RequestContext, opened by the admin router). */
  em(): EntityManager {
    return this.orm.em.fork();
  }

  private record(row: Row): BaseRecord {
    return new BaseRecord(this.params(row), this);
  }

  /** The params AdminJS sees: columns (never hidden ones), relations as ids, virtual values. */
  params(row: Row): Dictionary {
    const out: Dictionary = {};
    for (const prop of this.columns.values()) {
      const column = prop.getColumnMetadata();
      const value = row[column.name] as unknown;
      if (column.kind === ReferenceKind.MANY_TO_ONE || column.kind === ReferenceKind.ONE_TO_ONE) {
        out[column.name] = value ? (wrap(value, true).getPrimaryKey() as string) : null;
      } else if (column.kind === ReferenceKind.MANY_TO_MANY) {
        const items = value as { isInitialized(): boolean; getItems(): Row[] } | undefined;
        if (items?.isInitialized()) out[column.name] = items.getItems().map((i) => i.id as string);
      } else if (value !== undefined && !(column.lazy && !wrap(row, true).isInitialized())) {
        out[column.name] = value;
      }
    }
    for (const { virtual } of this.virtuals.values()) {
      if (virtual.value) out[virtual.path] = virtual.value(row);
    }
    return out;
  }
}
