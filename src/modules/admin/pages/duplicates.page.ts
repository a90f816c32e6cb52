import { Role } from '../../../common/auth/role.js';
import { PagingQueryDto } from '../../../common/dto/paging.dto.js';
import { BodyUuid, QueryUuid } from '../../../common/dto/validators.js';
import { ValidationError } from '../../../common/errors/index.js';
import { MergeContactDto } from '../../contacts/dto/contact-actions.dto.js';
import type { AdminServices } from '../admin-services.js';
import { assertRole, pageHandler, pageInput } from './page-kit.js';

/** The groups (paged like GET /api/contacts/duplicates), or two contacts side by side (`left` and `right`). */
class DuplicatesQueryDto extends PagingQueryDto {
  @QueryUuid('a contact')
  left?: string;

  @QueryUuid('a contact')
  right?: string;
}

/** POST /api/contacts/:id/merge's body, with the id of the contact kept. */
class MergeFromPageDto extends MergeContactDto {
  @BodyUuid('a contact')
  keptId!: string;
}

/**
 * Duplicates and merge (components/Duplicates.jsx). The groups come from ContactMergeService.duplicates (GET
 * /api/contacts/duplicates), the side-by-side view from ContactsService.get (GET /api/contacts/:id); `merge`
 * is POST /api/contacts/:id/merge: managers and admins only, the same transaction, rules and audit rows.
 */
export const duplicatesPage = (s: AdminServices) =>
  pageHandler({
    read: async (query, caller) => {
      const { left, right, ...paging } = await pageInput(DuplicatesQueryDto, query, 'query');
      if (left || right) {
        if (!left) throw ValidationError.field('left', 'is required with right: the two contacts to compare');
        if (!right)
          throw ValidationError.field('right', 'is required with left: the two contacts to compare');
        return { pair: await Promise.all([s.contacts.get(left, caller), s.contacts.get(right, caller)]) };
      }
      return { groups: await s.contactMerge.duplicates(paging) };
    },
    actions: {
      merge: async (fields, caller) => {
        assertRole(caller, Role.Manager);
        const { keptId, sourceId } = await pageInput(MergeFromPageDto, fields, 'body');
        return { data: await s.contactMerge.merge(keptId.toLowerCase(), sourceId.toLowerCase(), caller) };
      },
    },
  });
