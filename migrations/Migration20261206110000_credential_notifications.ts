import { Migration } from '@mikro-orm/migrations';

/**
 * Each instance caches who a session or an API token is (credential-cache.ts). These triggers tell every
 * instance, through NOTIFY on `vcrm_credentials` in the very transaction, that a user's sign-in facts changed:
 * deactivated, role, password or 2FA (token_version), username; or one of their tokens was revoked, changed or
 * deleted. Sign-ins (last_login_at, failed counts) and token use (last_used_at) do not notify.
 */
export class Migration20261206110000_credential_notifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function "notify_credentials_changed"() returns trigger language plpgsql as $$
begin
  -- One statement per table: PL/pgSQL resolves a record's fields when a statement first runs.
  if tg_table_name = 'users' then
    perform pg_notify('vcrm_credentials', coalesce(new."id", old."id")::text);
  else
    perform pg_notify('vcrm_credentials', coalesce(new."user_id", old."user_id")::text);
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "users_credentials_changed"
  after update of "username", "role", "is_active", "token_version", "two_factor_enabled" or delete on "users"
  for each row execute function "notify_credentials_changed"();`);
    this.addSql(`create trigger "api_tokens_credentials_changed"
  after update of "revoked_at", "expires_at", "role", "name", "user_id" or delete on "api_tokens"
  for each row execute function "notify_credentials_changed"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "api_tokens_credentials_changed" on "api_tokens";`);
    this.addSql(`drop trigger "users_credentials_changed" on "users";`);
    this.addSql(`drop function "notify_credentials_changed"();`);
  }
}
