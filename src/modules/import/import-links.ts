import type { EntityManager } from '@mikro-orm/postgresql';

import { RowRejected } from './import-context.js';
import { nameKey, normaliseEmail, splitName } from './import-values.js';

/** Ids by key; more than one id under a key is a name several records share. */
type Index = Map<string, string[]>;

function add(index: Index, key: string, id: string): void {
  if (key === '') return;
  const ids = index.get(key) ?? [];
  if (!ids.includes(id)) index.set(key, [...ids, id]);
}

/**
 * The records a row names by text: contacts (by email, else by full name), funds and opportunities (by name) —
 * case, spacing and punctuation ignored. A name that is not found, or that several live records share, rejects
 * the row naming the column: an import never guesses which record was meant.
 */
export class RecordLinks {
  private contacts?: { byEmail: Index; byName: Index };
  private funds?: Index;
  private opportunities?: Index;

  constructor(private readonly em: EntityManager) {}

  /** A live contact's id: by email when the cell is one, else by full name ("Dana Ruiz" or "Ruiz, Dana"). */
  async contact(cell: string, column: string, field = 'contact'): Promise<string> {
    if (!this.contacts) {
      const rows = await this.em.execute<{ id: string; email: string | null; name: string }[]>(
        `select id, lower(email) as email, first_name || ' ' || last_name as name
           from contacts where deleted_at is null order by created_at, id`,
      );
      this.contacts = { byEmail: new Map(), byName: new Map() };
      for (const r of rows) {
        if (r.email) add(this.contacts.byEmail, r.email, r.id);
        add(this.contacts.byName, nameKey(r.name), r.id);
      }
    }
    if (cell.includes('@')) {
      const email = normaliseEmail(cell);
      return this.one(this.contacts.byEmail.get(email), column, field, 'live contact', `with email ${email}`);
    }
    const split = splitName(cell);
    const ids =
      this.contacts.byName.get(nameKey(cell)) ??
      this.contacts.byName.get(nameKey(`${split.firstName} ${split.lastName}`));
    return this.one(
      ids,
      column,
      field,
      'live contact',
      `named "${cell}"`,
      'give the email to tell them apart',
    );
  }

  /** A fund's id by name. */
  async fund(cell: string, column: string): Promise<string> {
    this.funds ??= await this.index('select id, name from funds order by created_at, id');
    return this.one(this.funds.get(nameKey(cell)), column, 'fund', 'fund', `named "${cell}"`);
  }

  /** A live opportunity's id by name. */
  async opportunity(cell: string, column: string): Promise<string> {
    this.opportunities ??= await this.index(
      'select id, name from opportunities where deleted_at is null order by created_at, id',
    );
    return this.one(
      this.opportunities.get(nameKey(cell)),
      column,
      'opportunity',
      'live opportunity',
      `named "${cell}"`,
    );
  }

  private async index(sql: string): Promise<Index> {
    const index: Index = new Map();
    for (const r of await this.em.execute<{ id: string; name: string }[]>(sql))
      add(index, nameKey(r.name), r.id);
    return index;
  }

  private one(
    ids: string[] | undefined,
    column: string,
    field: string,
    noun: string,
    by: string,
    hint = 'rename all but one',
  ): string {
    if (ids?.length === 1) return ids[0];
    const message = ids?.length ? `${ids.length} ${noun}s are ${by}; ${hint}` : `no ${noun} ${by}`;
    throw new RowRejected([{ column, field, message }]);
  }
}
