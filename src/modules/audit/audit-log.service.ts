import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import type { Readable } from 'node:stream';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { Role, roleAtLeast } from '../../common/auth/role.js';
import { listResponse, type ListResponse, type PagingQueryDto } from '../../common/dto/paging.dto.js';
import { AppError, NotFoundError, ValidationError } from '../../common/errors/index.js';
import { AuditLog } from './audit-log.entity.js';
import { AuditService } from './audit.service.js';
import { AuditEntryDto, type AuditLogQueryDto } from './dto/audit-log.dto.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';
import { csvWriter } from '../../common/utils/csv.js';

/** `GET /api/<resource>/:id/history`: the audit entity type, its table, and whether it is soft-deleted. */
export const HISTORY_RESOURCES: Record<string, { entityType: string; table: string; softDelete: boolean }> = {
  contacts: { entityType: 'contact', table: 'contacts', softDelete: true },
  organizations: { entityType: 'organization', table: 'organizations', softDelete: true },
  opportunities: { entityType: 'opportunity', table: 'opportunities', softDelete: true },
  'lp-profiles': { entityType: 'lp_profile', table: 'lp_profiles', softDelete: false },
  communications: { entityType: 'communication', table: 'communications', softDelete: false },
  tasks: { entityType: 'task', table: 'tasks', softDelete: false },
  funds: { entityType: 'fund', table: 'funds', softDelete: false },
  tags: { entityType: 'tag', table: 'tags', softDelete: false },
};

const CSV_COLUMNS = [
  'created_at',
  'actor_label',
  'actor_user_id',
  'actor_token_id',
  'source',
  'action',
  'entity_type',
  'entity_id',
  'changes',
  'request_id',
  'ip',
  'meta',
];

@Injectable()
export class AuditLogService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
  ) {}

  async list(query: AuditLogQueryDto): Promise<ListResponse<AuditEntryDto>> {
    const [rows, total] = await findAndCountTotal(this.em, AuditLog, () => this.where(query), query, {
      orderBy: { createdAt: 'desc', id: 'desc' },
    });
    return listResponse(rows.map(AuditEntryDto.from), total, query);
  }

  /** Every matching row as CSV, streamed from a database cursor (constant memory), newest first. */
  async csv(query: AuditLogQueryDto): Promise<Readable> {
    this.assertRange(query);
    await this.audit.record({
      action: 'export',
      entityType: 'audit_log',
      meta: { format: 'csv', filters: filtersOf(query) },
    });
    const knex = this.em.getKnex();
    const q = knex('audit_log')
      .select(CSV_COLUMNS)
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    if (query.entityType) void q.where('entity_type', query.entityType);
    if (query.entityId) void q.where('entity_id', query.entityId);
    if (query.userId) void q.where('actor_user_id', query.userId);
    if (query.action) void q.where('action', query.action);
    if (query.source) void q.where('source', query.source);
    if (query.from) void q.where('created_at', '>=', query.from);
    if (query.to) void q.where('created_at', '<', query.to);
    const csv = csvWriter(CSV_COLUMNS.map((key) => ({ key })));
    const rows = q.stream();
    rows.on('error', (err) => csv.destroy(err));
    return rows.pipe(csv);
  }

  /** The audit rows of one record, for anyone who may read it. */
  async history(
    resource: string,
    id: string,
    caller: AuthUser,
    paging: PagingQueryDto,
  ): Promise<ListResponse<AuditEntryDto>> {
    const target = HISTORY_RESOURCES[resource];
    if (!target) throw new AppError(404, 'NOT_FOUND', `No route GET /api/${resource}/${id}/history`);
    const { entityType } = target;
    const where = () => ({ entityType, entityId: id });
    const [rows, total] = await findAndCountTotal(this.em, AuditLog, where, paging, {
      orderBy: { createdAt: 'desc', id: 'desc' },
    });
    const [record] = await this.em
      .getConnection()
      .execute<{ deleted: boolean }[]>(
        `select ${target.softDelete ? 'deleted_at is not null' : 'false'} as deleted from "${target.table}" where id = ?`,
        [id],
      );
    // A record deleted for good still has its history (with count=none, only as far as the page shows it).
    const mayRead = record
      ? !record.deleted || roleAtLeast(caller.role, Role.Manager)
      : rows.length > 0 || Boolean(total);
    if (!mayRead) throw new NotFoundError(entityType.replace('_', ' '), id);
    return listResponse(rows.map(AuditEntryDto.from), total, paging);
  }

  private where(query: AuditLogQueryDto): FilterQuery<AuditLog> {
    this.assertRange(query);
    const where: FilterQuery<AuditLog> = {};
    if (query.entityType) where.entityType = query.entityType;
    if (query.entityId) where.entityId = query.entityId;
    if (query.userId) where.actorUserId = query.userId;
    if (query.action) where.action = query.action;
    if (query.source) where.source = query.source;
    if (query.from || query.to) {
      where.createdAt = {};
      if (query.from) where.createdAt.$gte = query.from;
      if (query.to) where.createdAt.$lt = query.to;
    }
    return where;
  }

  private assertRange(query: AuditLogQueryDto): void {
    if (query.from && query.to && query.from >= query.to)
      throw ValidationError.field('from', 'must be before to');
  }
}

function filtersOf(query: AuditLogQueryDto): Record<string, unknown> {
  const { entityType, entityId, userId, action, source, from, to } = query;
  return Object.fromEntries(
    Object.entries({ entityType, entityId, userId, action, source, from, to }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}
