import { Migration } from '@mikro-orm/migrations';

/** Per trigger: its table, its name (its function's too), its events, and the condition it fires on. */
const TRIGGERS: [table: string, name: string, events: string, when?: string][] = [
  [
    'opportunities',
    'opportunities_search_text',
    'before insert or update of name, contact_id, organization_id',
  ],
  ['lp_profiles', 'lp_profiles_search_text', 'before insert or update of contact_id'],
  [
    'contacts',
    'contacts_search_text_follow',
    'after update of first_name, last_name, email, organization_id',
    'old.search_text is distinct from new.search_text or old.organization_id is distinct from new.organization_id',
  ],
  [
    'organizations',
    'organizations_search_text_follow',
    'after update of name',
    'old.name is distinct from new.name',
  ],
];

/** A row's search text, from its own columns. */
const OPPORTUNITY_TEXT = 'search_text_of_opportunity(name, contact_id, organization_id)';
const LP_PROFILE_TEXT = 'search_text_of_lp_profile(contact_id)';

/** Statements writing the search texts again, for a `where` to follow. */
const REWRITE = {
  opportunities: `update opportunities set search_text = ${OPPORTUNITY_TEXT}`,
  lpProfiles: `update lp_profiles set search_text = ${LP_PROFILE_TEXT}`,
};

/** A deal's or LP profile's trigger function: the row's text, computed as it is written. */
function own(name: string, text: string): string {
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      new.search_text := ${text};
      return new;
    end $$;`;
}

/** A contact's or organization's trigger function: rewrites the texts of the deals and LP profiles selected. */
function follow(name: string, opportunities: string, lpProfiles: string): string {
  return `create function ${name}() returns trigger language plpgsql as $$
    begin
      ${REWRITE.opportunities} where ${opportunities};
      ${REWRITE.lpProfiles} where ${lpProfiles};
      return null;
    end $$;`;
}

/**
 * What an opportunity's and an LP profile's `search=` match, kept in one trigram-indexed column of their own
 * (`search_text`), as a contact's is: lower-cased, one line per part.
 * - An opportunity: its name, its contact's search text (names and email), its organization's name.
 * - An LP profile: its contact's search text and the name of the contact's organization.
 *
 * The search used to ask the contacts and organizations for their matches and join them back; a broad term
 * ("son": 27% of contacts) read every matching contact before a page could be cut (250 ms on 50k deals, 550 ms
 * for "a"). With the text on the row, a search is one trigram index, paged like the organization search.
 *
 * PostgreSQL keeps the column: a row's own trigger computes it when the row is written, and a contact's or an
 * organization's trigger rewrites the rows that show its text when that text changes (a rename, a new email,
 * a contact moved to another organization). The rewrite touches only `search_text`: no version, no
 * `updated_at`, no audit row; it is not an edit of the deal.
 */
export class Migration20261207200000_related_search_text extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function search_text_of_opportunity(p_name text, p_contact uuid, p_organization uuid) returns text
      language sql stable as $$
        select lower(p_name)
          || E'\\n' || coalesce((select c.search_text from contacts c where c.id = p_contact), '')
          || E'\\n' || coalesce((select lower(g.name) from organizations g where g.id = p_organization), '')
      $$;`);
    this.addSql(`
      create function search_text_of_lp_profile(p_contact uuid) returns text language sql stable as $$
        select coalesce((select c.search_text || E'\\n' || coalesce(lower(g.name), '')
                           from contacts c left join organizations g on g.id = c.organization_id
                          where c.id = p_contact), '')
      $$;`);
    this.addSql(
      own(
        'opportunities_search_text',
        'search_text_of_opportunity(new.name, new.contact_id, new.organization_id)',
      ),
    );
    this.addSql(own('lp_profiles_search_text', 'search_text_of_lp_profile(new.contact_id)'));
    this.addSql(follow('contacts_search_text_follow', 'contact_id = new.id', 'contact_id = new.id'));
    this.addSql(
      follow(
        'organizations_search_text_follow',
        'organization_id = new.id',
        'contact_id in (select c.id from contacts c where c.organization_id = new.id)',
      ),
    );

    this.addSql(`alter table "opportunities" add column "search_text" text not null default '';`);
    this.addSql(`alter table "lp_profiles" add column "search_text" text not null default '';`);
    // Every search text written again where it differs: here, and after a load with triggers off (the bench's).
    this.addSql(`
      create function search_texts_rebuild() returns void language sql as $$
        ${REWRITE.opportunities} where search_text is distinct from ${OPPORTUNITY_TEXT};
        ${REWRITE.lpProfiles} where search_text is distinct from ${LP_PROFILE_TEXT};
      $$;`);
    this.addSql(`select search_texts_rebuild();`);
    this.addSql(
      `create index "opportunities_search_trgm_index" on "opportunities" using gin ("search_text" gin_trgm_ops);`,
    );
    this.addSql(
      `create index "lp_profiles_search_trgm_index" on "lp_profiles" using gin ("search_text" gin_trgm_ops);`,
    );

    // The planner needs the new column's statistics before the first search (without them a broad term took 1 s).
    this.addSql(`analyze "opportunities", "lp_profiles";`);

    for (const [table, name, events, when] of TRIGGERS) {
      this.addSql(
        `create trigger "${name}" ${events} on "${table}" for each row ${when ? `when (${when})` : ''}
         execute function ${name}();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const [table, name] of TRIGGERS) this.addSql(`drop trigger "${name}" on "${table}";`);
    this.addSql(`alter table "lp_profiles" drop column "search_text";`);
    this.addSql(`alter table "opportunities" drop column "search_text";`);
    this.addSql(`drop function search_texts_rebuild();`);
    this.addSql(`drop function organizations_search_text_follow();`);
    this.addSql(`drop function contacts_search_text_follow();`);
    this.addSql(`drop function lp_profiles_search_text();`);
    this.addSql(`drop function opportunities_search_text();`);
    this.addSql(`drop function search_text_of_lp_profile(uuid);`);
    this.addSql(`drop function search_text_of_opportunity(text, uuid, uuid);`);
  }
}
