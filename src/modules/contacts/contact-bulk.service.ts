import { Injectable } from '@nestjs/common';
import { EntityManager, Reference } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import { ValidationError } from '../../common/errors/index.js';
import { runQuery } from '../../common/utils/sql.js';
import { activeUser } from '../communications/linked-records.js';
import { TagsService } from '../tags/tags.service.js';
import { markDeleted } from '../../database/crm-base.entity.js';
import { Contact } from './contact.entity.js';
import { setContactTags } from './contact-tags.js';
import type { BulkContactsDto, BulkResultDto } from './dto/contact-actions.dto.js';

/** One action on up to 500 contacts, all or nothing. */
@Injectable()
export class ContactBulkService {
  constructor(
    private readonly em: EntityManager,
    private readonly tags: TagsService,
  ) {}

  /**
   * Applies `action` to every contact in `ids` in one transaction. The contacts are locked first; if any id
   * is unknown or deleted nothing changes and the answer is a 400 listing those ids.
   */
  async apply(dto: BulkContactsDto, caller: AuthUser): Promise<BulkResultDto> {
    assertFieldsFitAction(dto);
    const ids = [...new Set(dto.ids.map((id) => id.toLowerCase()))];
    return this.em.transactional(async (em) => {
      const locked = await runQuery<{ id: string }>(
        em,
        em
          .getKnex()('contacts')
          .select('id')
          .whereIn('id', ids)
          .whereNull('deleted_at')
          .orderBy('id')
          .forUpdate(),
      );
      const live = new Set(locked.map((r) => r.id));
      const bad = ids.filter((id) => !live.has(id));
      if (bad.length > 0) {
        throw new ValidationError(`ids: unknown or deleted contact id(s): ${bad.join(', ')}`, [
          { field: 'ids', message: 'unknown or deleted contact id(s); nothing was changed', ids: bad },
        ]);
      }
      const tags = dto.tagIds ? await this.tags.resolve(dto.tagIds) : [];
      const owner = dto.ownerId ? await activeUser(em, dto.ownerId, 'ownerId') : null;
      const rows = await em.find(
        Contact,
        { id: { $in: ids } },
        { populate: dto.action === 'tag' || dto.action === 'untag' ? ['tags'] : [] },
      );
      for (const contact of rows) {
        switch (dto.action) {
          case 'tag':
            setContactTags(contact, [
              ...contact.tags.getItems(),
              ...tags.filter((t) => !contact.tags.contains(t)),
            ]);
            break;
          case 'untag':
            setContactTags(
              contact,
              contact.tags.getItems().filter((t) => !tags.includes(t)),
            );
            break;
          case 'assign':
            contact.owner = owner && Reference.create(owner);
            break;
          case 'delete':
            markDeleted(em, contact, caller.id);
            break;
        }
      }
      await em.flush();
      return { action: dto.action, affected: rows.length };
    });
  }
}

/** tagIds belong to tag/untag, ownerId to assign (where it is required; null unassigns). */
function assertFieldsFitAction(dto: BulkContactsDto): void {
  const tagging = dto.action === 'tag' || dto.action === 'untag';
  if (!tagging && dto.tagIds !== undefined) {
    throw ValidationError.field('tagIds', 'only goes with the actions tag and untag');
  }
  if (dto.action !== 'assign' && dto.ownerId !== undefined) {
    throw ValidationError.field('ownerId', 'only goes with the action assign');
  }
  if (dto.action === 'assign' && dto.ownerId === undefined) {
    throw ValidationError.field('ownerId', 'is required for assign (null unassigns)');
  }
}
