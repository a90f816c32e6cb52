import { Injectable } from '@nestjs/common';
import { EntityManager, type FilterQuery, raw } from '@mikro-orm/postgresql';

import { listResponse, type ListResponse } from '../../common/dto/paging.dto.js';
import { findAndCountTotal } from '../../common/utils/find-and-count.js';
import { ConflictError, NotFoundError, ValidationError } from '../../common/errors/index.js';
import { escapeLike, runQuery } from '../../common/utils/sql.js';
import {
  type CreateTagDto,
  type ListTagsQueryDto,
  TagResponseDto,
  type UpdateTagDto,
} from './dto/tag.dto.js';
import { Tag } from './tag.entity.js';

@Injectable()
export class TagsService {
  constructor(private readonly em: EntityManager) {}

  async list(query: ListTagsQueryDto): Promise<ListResponse<TagResponseDto>> {
    const where: FilterQuery<Tag> = query.search ? { name: { $ilike: `%${escapeLike(query.search)}%` } } : {};
    const [tags, total] = await findAndCountTotal(this.em, Tag, () => where, query, {
      orderBy: { [raw('lower(name)')]: 'asc', id: 'asc' },
    });
    const counts = await this.usage(tags.map((t) => t.id));
    return listResponse(
      tags.map((t) => TagResponseDto.from(t, counts.get(t.id) ?? { contacts: 0, organizations: 0 })),
      total,
      query,
    );
  }

  async get(id: string): Promise<TagResponseDto> {
    const tag = await this.find(id);
    return TagResponseDto.from(tag, (await this.usage([id])).get(id) ?? { contacts: 0, organizations: 0 });
  }

  async create(dto: CreateTagDto): Promise<TagResponseDto> {
    await this.assertNameFree(dto.name);
    const tag = this.em.create(Tag, { name: dto.name, color: dto.color ?? '#64748b' });
    await this.em.flush();
    return TagResponseDto.from(tag, { contacts: 0, organizations: 0 });
  }

  async update(id: string, dto: UpdateTagDto): Promise<TagResponseDto> {
    const tag = await this.find(id);
    if (dto.name !== undefined && dto.name.toLowerCase() !== tag.name.toLowerCase())
      await this.assertNameFree(dto.name);
    if (dto.name !== undefined) tag.name = dto.name;
    if (dto.color !== undefined) tag.color = dto.color;
    await this.em.flush();
    return this.get(id);
  }

  /** Removes the tag and its assignments (the records themselves stay). */
  async remove(id: string): Promise<void> {
    const tag = await this.find(id);
    this.em.remove(tag);
    await this.em.flush();
  }

  /** Tags by id for assignment; a missing id is a 400 naming the field. */
  async resolve(ids: string[], field = 'tagIds'): Promise<Tag[]> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return [];
    const tags = await this.em.find(Tag, { id: { $in: unique } });
    const missing = unique.filter((id) => !tags.some((t) => t.id === id));
    if (missing.length > 0) throw ValidationError.field(field, `unknown tag id(s): ${missing.join(', ')}`);
    return tags;
  }

  private async find(id: string): Promise<Tag> {
    const tag = await this.em.findOne(Tag, id);
    if (!tag) throw new NotFoundError('Tag', id);
    return tag;
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.em.findOne(Tag, { [raw('lower(name)')]: name.toLowerCase() })) {
      throw new ConflictError('TAG_EXISTS', 'a tag with this name already exists', [
        { field: 'name', message: 'already exists' },
      ]);
    }
  }

  /** Live contacts and organizations per tag, in two grouped queries. */
  private async usage(ids: string[]): Promise<Map<string, { contacts: number; organizations: number }>> {
    const result = new Map<string, { contacts: number; organizations: number }>();
    if (ids.length === 0) return result;
    const knex = this.em.getKnex();
    /** Live records of `table` per tag, through the pivot table `pivot` keyed by `key`. */
    const live = (pivot: string, key: string, table: string) =>
      runQuery<{ tag_id: string; n: string }>(
        this.em,
        knex({ pt: pivot })
          .select('pt.tag_id', knex.raw('count(*) as n'))
          .join({ r: table }, 'r.id', `pt.${key}`)
          .whereIn('pt.tag_id', ids)
          .whereNull('r.deleted_at')
          .groupBy('pt.tag_id'),
      );
    const [contacts, organizations] = await Promise.all([
      live('contact_tags', 'contact_id', 'contacts'),
      live('organization_tags', 'organization_id', 'organizations'),
    ]);
    for (const id of ids) result.set(id, { contacts: 0, organizations: 0 });
    for (const row of contacts) result.get(row.tag_id)!.contacts = Number(row.n);
    for (const row of organizations) result.get(row.tag_id)!.organizations = Number(row.n);
    return result;
  }
}
