import { Injectable } from '@nestjs/common';
import { EntityManager, Reference } from '@mikro-orm/postgresql';

import type { AuthUser } from '../../common/auth/auth-user.js';
import {
  listResponse,
  type ListResponse,
  type PagingQueryDto,
  totalOf,
} from '../../common/dto/paging.dto.js';
import { ref } from '../../common/dto/refs.dto.js';
import { NotFoundError, ValidationError } from '../../common/errors/index.js';
import { AuditService } from '../audit/audit.service.js';
import { LpProfile } from '../lp-profiles/lp-profile.entity.js';
import { Organization } from '../organizations/organization.entity.js';
import { User } from '../users/user.entity.js';
import { markDeleted } from '../../database/crm-base.entity.js';
import { Contact, ContactType } from './contact.entity.js';
import { setContactTags } from './contact-tags.js';
import { ContactsRepository } from './contacts.repository.js';
import { MergeConflictError } from './contacts.errors.js';
import { ContactsService } from './contacts.service.js';
import type { DuplicateGroupDto } from './dto/contact-actions.dto.js';
import { ContactResponseDto } from './dto/contact-response.dto.js';
import { duplicateGroupDto, duplicateGroups } from './duplicate-groups.js';

/** What the merge reads of both contacts: tags to unite, organization and owner to check before copying. */
const MERGE_POPULATE = ['organization', 'owner', 'tags'] as const;

/** Fields the merge copies from the source when the kept contact has no value (never overwriting one). */
const FILLABLE = [
  'email',
  'phone',
  'mobile',
  'title',
  'source',
  'notes',
  'linkedinUrl',
  'preferredContact',
] as const;

/** Ids of the rows a merge re-pointed to the kept contact, by audit entity type. */
type Moved = Record<'communication' | 'opportunity' | 'task' | 'lp_profile', string[]>;

/** Finding likely duplicate contacts, and merging two into one. */
@Injectable()
export class ContactMergeService {
  constructor(
    private readonly em: EntityManager,
    private readonly contacts: ContactsRepository,
    private readonly contactsService: ContactsService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Groups of likely duplicates among live contacts, paged (`limit`/`offset` over groups, `total` groups):
   * same email ignoring case, and similar full names within one organization (pg_trgm similarity above
   * 0.6; pairs chain into one group). Email groups first, then name groups by organization name.
   */
  async duplicates(paging: PagingQueryDto): Promise<ListResponse<DuplicateGroupDto>> {
    const [emailGroups, pairs] = await Promise.all([
      this.contacts.sameEmailGroups(),
      this.contacts.similarNamePairs(),
    ]);
    const groups = duplicateGroups(emailGroups, pairs);
    const page = groups.slice(paging.offset, paging.offset + paging.limit);
    const ids = page.flatMap((g) => g.ids);
    const rows = ids.length
      ? await this.em.find(Contact, { id: { $in: ids } }, { populate: ['organization'] })
      : [];
    const byId = new Map(rows.map((c) => [c.id, c]));
    return listResponse(
      page.map((g) => duplicateGroupDto(g, byId)),
      totalOf(groups.length, paging.count),
      paging,
    );
  }

  /**
   * Merges `sourceId` into `keptId` in one transaction: moves the source's communications, opportunities,
   * tasks and LP profiles, unites tags, fills the kept contact's empty fields (custom fields: missing keys),
   * and deletes the source (softly). Refused when both have an LP profile for the same fund.
   */
  async merge(keptId: string, sourceId: string, caller: AuthUser): Promise<ContactResponseDto> {
    if (keptId === sourceId)
      throw ValidationError.field('sourceId', 'must be another contact than the one kept');
    await this.em.transactional(async (em) => {
      // Lock both rows (in id order, so two merges of the same pair cannot deadlock) before reading them.
      await em.execute('select id from contacts where id in (?, ?) order by id for update', [
        keptId,
        sourceId,
      ]);
      // One connection in a transaction: queries run one after the other.
      const kept = await em.findOne(Contact, keptId, { populate: MERGE_POPULATE });
      const source = await em.findOne(Contact, sourceId, { populate: MERGE_POPULATE });
      if (!kept) throw new NotFoundError('Contact', keptId);
      if (kept.deletedAt)
        throw ValidationError.field('id', 'the contact to keep is deleted: restore it first');
      if (!source) throw ValidationError.field('sourceId', `no contact with id ${sourceId}`);
      if (source.deletedAt) throw ValidationError.field('sourceId', 'that contact is deleted');
      await this.assertNoSharedFund(em, keptId, sourceId);

      const moved = await this.moveRelated(em, sourceId, keptId);
      this.audit.persist(em, {
        action: 'merge',
        entityType: 'contact',
        entityId: keptId,
        meta: { sourceId, moved },
      });
      // Soft-delete the source first: its email is then free for the kept contact (unique among live ones).
      markDeleted(em, source, caller.id);
      await em.flush();

      setContactTags(kept, [
        ...kept.tags.getItems(),
        ...source.tags.getItems().filter((t) => !kept.tags.contains(t)),
      ]);
      fillEmptyFields(kept, source);
      if (moved.lp_profile.length > 0) kept.contactType = ContactType.Investor;
      await em.flush();
    });
    return this.contactsService.response(keptId);
  }

  private async assertNoSharedFund(em: EntityManager, keptId: string, sourceId: string): Promise<void> {
    const profiles = await em.find(
      LpProfile,
      { contact: { $in: [keptId, sourceId] } },
      { populate: ['fund'] },
    );
    const keptFunds = new Set(profiles.filter((p) => p.contact.id === keptId).map((p) => p.fund.id));
    const shared = profiles
      .filter((p) => p.contact.id === sourceId && keptFunds.has(p.fund.id))
      .map((p) => ref(p.fund)!);
    if (shared.length > 0) throw new MergeConflictError(shared);
  }

  /**
   * Re-points the source's rows in four set-based updates (a contact can have thousands of communications).
   * Versioned rows get a new version, so an edit based on the old owner contact is refused as stale.
   */
  private async moveRelated(em: EntityManager, from: string, to: string): Promise<Moved> {
    const move = async (table: string, versioned: boolean): Promise<string[]> => {
      const rows = await em.execute<{ id: string }[]>(
        `update "${table}" set contact_id = ?, updated_at = now()${versioned ? ', version = version + 1' : ''}
          where contact_id = ? returning id`,
        [to, from],
      );
      return rows.map((r) => r.id);
    };
    const moved: Moved = {
      communication: await move('communications', false),
      opportunity: await move('opportunities', true),
      task: await move('tasks', false),
      lp_profile: await move('lp_profiles', true),
    };
    // Set-based moves bypass the ORM, so each moved record gets its audit row here, in the same transaction.
    for (const [entityType, ids] of Object.entries(moved)) {
      for (const entityId of ids) {
        this.audit.persist(em, {
          action: 'update',
          entityType,
          entityId,
          changes: { contact: { from, to } },
        });
      }
    }
    return moved;
  }
}

/** Copies what the kept contact lacks from the source; live organizations and active owners only. */
function fillEmptyFields(kept: Contact, source: Contact): void {
  if (!kept.lastName && source.lastName) kept.lastName = source.lastName;
  for (const field of FILLABLE) {
    if ((kept[field] ?? null) === null && (source[field] ?? null) !== null) {
      (kept as unknown as Record<string, unknown>)[field] = source[field];
    }
  }
  const org = source.organization?.getEntity();
  if (!kept.organization && org && !org.deletedAt) kept.organization = Reference.create<Organization>(org);
  const owner = source.owner?.getEntity();
  if (!kept.owner && owner?.isActive) kept.owner = Reference.create<User>(owner);
  const missing = Object.entries(source.customFields ?? {}).filter(
    ([key]) => !(key in (kept.customFields ?? {})),
  );
  if (missing.length > 0) kept.customFields = { ...kept.customFields, ...Object.fromEntries(missing) };
}
