import { Migration } from '@mikro-orm/migrations';

/** A contact's list search text, from its own columns (as a BEFORE trigger sees them: generated ones are not yet). */
const CONTACT_TEXT = 'contact_list_search_text(first_name, last_name, email, organization_id)';

/** The rebuild of every search text (bench loads, tests), as migration 20261207200000 made it, plus the contacts'. */
const REBUILD = {
  before: `
        update opportunities set search_text = search_text_of_opportunity(name, contact_id, organization_id)
         where search_text is distinct from search_text_of_opportunity(name, contact_id, organization_id);
        update lp_profiles set search_text = search_text_of_lp_profile(contact_id)
         where search_text is distinct from search_text_of_lp_profile(contact_id);`,
  contacts: `
        update contacts set list_search_text = ${CONTACT_TEXT}
         where list_search_text is distinct from ${CONTACT_TEXT};`,
};

const rebuild = (body: string) =>
  `create or replace function search_texts_rebuild() returns void language sql as $$${body}
      $$;`;

/**
 * What the contact list's `search=` matches, kept on the contact in one trigram-indexed column
 * (`list_search_text`), as a deal's is (migration 20261207200000): its names and email (its `search_text`), then
 * on a line of its own the name of its organization while that organization is live.
 *
 * The search used to ask for the matching organizations first (one more round trip for every search) and then
 * match `search_text like … or organization_id in (…)`: two indexes combined for a rare term, the organizations
 * passed as a list of up to 500 ids or else as a subquery. With the organization's name on the row, every contact
 * search is one condition on one index, and the name order's index carries that column so that a common term is
 * filtered from the index alone, as before.
 *
 * `search_text` stays as it was: the global search ranks contacts by their own names and reaches them through
 * their organization separately, and the deals' and LP profiles' texts include it.
 *
 * PostgreSQL keeps the column: the contact's own trigger computes it when the contact is written, and an
 * organization's trigger rewrites its contacts' texts when it is renamed, deleted or restored. The rewrite
 * touches only `list_search_text`: no version, no `updated_at`, no audit row.
 */
export class Migration20261207300000_contact_list_search_text extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function contact_list_search_text(p_first text, p_last text, p_email text, p_organization uuid)
      returns text language sql stable as $$
        select lower(p_first || ' ' || p_last || ' ' || coalesce(p_email, ''))
          || E'\\n' || coalesce((select lower(g.name) from organizations g
                                  where g.id = p_organization and g.deleted_at is null), '')
      $$;`);
    this.addSql(`
      create function contacts_list_search_text() returns trigger language plpgsql as $$
        begin
          new.list_search_text := contact_list_search_text(new.first_name, new.last_name, new.email, new.organization_id);
          return new;
        end $$;`);
    this.addSql(`
      create function organizations_contact_search_follow() returns trigger language plpgsql as $$
        begin
          update contacts set list_search_text = ${CONTACT_TEXT} where organization_id = new.id;
          return null;
        end $$;`);

    this.addSql(`alter table "contacts" add column "list_search_text" text not null default '';`);
    this.addSql(`update contacts set list_search_text = ${CONTACT_TEXT};`);
    this.addSql(rebuild(REBUILD.before + REBUILD.contacts));
    this.addSql(
      `create index "contacts_list_search_trgm_index" on "contacts" using gin ("list_search_text" gin_trgm_ops);`,
    );
    this.addSql(`drop index "contacts_name_sort_index";`);
    this.addSql(
      `create index "contacts_name_sort_index" on "contacts" ("last_name", "first_name", "id") include ("deleted_at", "list_search_text");`,
    );
    this.addSql(`analyze "contacts";`);

    this.addSql(`
      create trigger "contacts_list_search_text" before insert or update of first_name, last_name, email, organization_id
      on "contacts" for each row execute function contacts_list_search_text();`);
    this.addSql(`
      create trigger "organizations_contact_search_follow" after update of name, deleted_at on "organizations"
      for each row when (old.name is distinct from new.name or old.deleted_at is distinct from new.deleted_at)
      execute function organizations_contact_search_follow();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "organizations_contact_search_follow" on "organizations";`);
    this.addSql(`drop trigger "contacts_list_search_text" on "contacts";`);
    this.addSql(`drop index "contacts_name_sort_index";`);
    this.addSql(
      `create index "contacts_name_sort_index" on "contacts" ("last_name", "first_name", "id") include ("deleted_at", "search_text");`,
    );
    this.addSql(rebuild(REBUILD.before));
    this.addSql(`alter table "contacts" drop column "list_search_text";`);
    this.addSql(`drop function organizations_contact_search_follow();`);
    this.addSql(`drop function contacts_list_search_text();`);
    this.addSql(`drop function contact_list_search_text(text, text, text, uuid);`);
  }
}
