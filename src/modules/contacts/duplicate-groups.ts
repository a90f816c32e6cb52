import { ref } from '../../common/dto/refs.dto.js';
import type { Contact } from './contact.entity.js';
import type { SimilarNamePair } from './contacts.repository.js';
import type { DuplicateContactDto, DuplicateGroupDto, DuplicateReason } from './dto/contact-actions.dto.js';

/** One group of likely duplicates, before its contacts are read. */
export interface DuplicateGroup {
  reason: DuplicateReason;
  ids: string[];
  /** Orders the groups: the email, or the organization name. */
  key: string;
  score?: number;
}

/**
 * The duplicates report's groups: one per shared email (ignoring case), one per chain of similar names
 * within an organization; email groups first, then name groups by organization name, then by their
 * smallest id — a total order, so pages neither repeat nor skip a group.
 */
export function duplicateGroups(
  emailGroups: { email: string; ids: string[] }[],
  pairs: SimilarNamePair[],
): DuplicateGroup[] {
  const groups: DuplicateGroup[] = [
    ...emailGroups.map((g) => ({ reason: 'same_email' as const, ids: g.ids, key: g.email })),
    ...nameGroups(pairs),
  ];
  const first = (g: DuplicateGroup): string => g.ids.reduce((min, id) => (id < min ? id : min));
  return groups.sort(
    (a, b) =>
      a.reason.localeCompare(b.reason) ||
      a.key.localeCompare(b.key) ||
      (first(a) < first(b) ? -1 : first(a) > first(b) ? 1 : 0),
  );
}

/** Connected components of the similar-name pairs: A~B and B~C make one group {A, B, C}. */
function nameGroups(pairs: SimilarNamePair[]): DuplicateGroup[] {
  const parent = new Map<string, string>();
  const root = (id: string): string => {
    let r = id;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  for (const { a, b } of pairs) {
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent.set(ra, rb);
  }
  const groups = new Map<string, DuplicateGroup>();
  for (const { a, b, organizationName, score } of pairs) {
    const r = root(a);
    const group = groups.get(r) ?? { reason: 'similar_name' as const, ids: [], key: organizationName, score };
    for (const id of [a, b]) if (!group.ids.includes(id)) group.ids.push(id);
    group.score = Math.max(group.score ?? 0, score);
    groups.set(r, group);
  }
  return [...groups.values()];
}

/** A group as the report shows it: its contacts oldest first, and why they were grouped, in words. */
export function duplicateGroupDto(group: DuplicateGroup, byId: Map<string, Contact>): DuplicateGroupDto {
  const contacts: DuplicateContactDto[] = group.ids
    .flatMap((id) => {
      const c = byId.get(id);
      return c ? [c] : [];
    })
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id))
    .map((c) => ({
      id: c.id,
      firstName: c.firstName,
      lastName: c.lastName,
      email: c.email ?? null,
      organization: ref(c.organization),
      createdAt: c.createdAt,
    }));
  const score = group.score === undefined ? null : Math.round(group.score * 100) / 100;
  return {
    reason: group.reason,
    explanation:
      group.reason === 'same_email'
        ? `same email ignoring case: ${group.key}`
        : `similar names at ${contacts[0]?.organization?.name ?? 'one organization'} (similarity ${score})`,
    similarity: score,
    contacts,
  };
}
