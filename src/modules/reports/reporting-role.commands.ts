import { Command, CommandRunner, Option } from 'nest-commander';
import pg from 'pg';

import { fail, out } from '../../cli/cli-output.js';
import { AppConfig } from '../../config/app-config.js';

interface Options {
  password?: string;
  name?: string;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MIN_PASSWORD = 12;

/**
 * The statements that make `role` a login that reads the `reporting` views and nothing else: no right is
 * granted on the base tables (the views read them with their owner's rights), and every transaction of the
 * role is read-only. Idempotent: run again, it sets the password and re-grants.
 */
export function reportingRoleSql(
  database: string,
  role: string,
  password: string,
  exists: boolean,
): string[] {
  const name = pg.escapeIdentifier(role);
  const secret = pg.escapeLiteral(password);
  return [
    exists
      ? `alter role ${name} with login password ${secret} nosuperuser nocreatedb nocreaterole noreplication nobypassrls`
      : `create role ${name} with login password ${secret} nosuperuser nocreatedb nocreaterole noreplication nobypassrls`,
    `alter role ${name} set default_transaction_read_only = on`,
    `grant connect on database ${pg.escapeIdentifier(database)} to ${name}`,
    `grant usage on schema reporting to ${name}`,
    `grant select on all tables in schema reporting to ${name}`,
    // Views a later migration adds (created by the same owner) are readable too.
    `alter default privileges in schema reporting grant select on tables to ${name}`,
  ];
}

@Command({
  name: 'create-reporting-role',
  description:
    'Create (or update) a read-only database login for BI tools that can select from the reporting views only',
})
export class CreateReportingRoleCommand extends CommandRunner {
  constructor(private readonly config: AppConfig) {
    super();
  }

  async run(_args: string[], options: Options): Promise<void> {
    const role = options.name ?? 'crm_reporting';
    if (!ROLE_NAME.test(role))
      return fail('--name: lower-case letters, digits and _ (at most 63), not starting with a digit');
    if (!options.password || options.password.length < MIN_PASSWORD) {
      return fail(`--password: at least ${MIN_PASSWORD} characters`);
    }
    // A plain client: the statements carry the password as an escaped literal (DDL takes no parameters),
    // which a query builder would scan for its own placeholders.
    const client = new pg.Client({ connectionString: this.config.database.url });
    await client.connect();
    let exists = false;
    let database = '';
    try {
      const { rows } = await client.query<{ database: string; exists: boolean }>(
        `select current_database() as database, exists (select 1 from pg_roles where rolname = $1) as exists`,
        [role],
      );
      ({ database, exists } = rows[0]);
      await client.query('begin');
      for (const sql of reportingRoleSql(database, role, options.password, exists)) await client.query(sql);
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      await client.end();
    }
    out(
      `${exists ? 'Updated' : 'Created'} role ${role}: it can read the views of schema reporting in ${database}, and nothing else.`,
    );
  }

  @Option({
    flags: '-p, --password <password>',
    description: `At least ${MIN_PASSWORD} characters`,
    required: true,
  })
  parsePassword(value: string): string {
    return value;
  }

  @Option({ flags: '-n, --name <role>', description: 'The role name (default crm_reporting)' })
  parseName(value: string): string {
    return value;
  }
}

export const REPORTING_COMMANDS = [CreateReportingRoleCommand];
