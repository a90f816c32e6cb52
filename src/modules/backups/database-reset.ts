import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Migration } from '@mikro-orm/migrations';
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';

import { SYSTEM_SCHEMAS } from './portable-backup.js';

/**
 * Removes every object of the app from the database, inside the caller's transaction: schemas other than
 * public, and in public every table, view, sequence, function and type — but not extensions (a restore
 * re-creates them with IF NOT EXISTS, and a non-superuser may not be allowed to drop them) nor their objects.
 * Dropping a table is not an UPDATE, DELETE or TRUNCATE: audit_log's append-only trigger does not apply, and
 * the restore brings the table back with its trigger. Nothing is visible to anyone before COMMIT.
 */
export const WIPE_SQL = `do $wipe$
declare r record;
begin
  for r in select n.nspname from pg_namespace n
            where n.nspname <> 'public' and ${SYSTEM_SCHEMAS}
              and not exists (select 1 from pg_extension e where e.extnamespace = n.oid) loop
    execute format('drop schema %I cascade', r.nspname);
  end loop;
  for r in select c.relname, c.relkind from pg_class c
            where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
              and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e') loop
    execute format('drop %s if exists public.%I cascade',
      case r.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table'
                     when 'S' then 'sequence' else 'table' end, r.relname);
  end loop;
  for r in select p.oid::regprocedure::text as signature, p.prokind from pg_proc p
            where p.pronamespace = 'public'::regnamespace
              and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e') loop
    execute format('drop %s if exists %s cascade',
      case r.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end, r.signature);
  end loop;
  for r in select t.typname, t.typtype from pg_type t
            where t.typnamespace = 'public'::regnamespace and t.typtype in ('e', 'd', 'r', 'm', 'c')
              and (t.typrelid = 0 or (select c.relkind from pg_class c where c.oid = t.typrelid) = 'c')
              and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e') loop
    execute format('drop %s if exists public.%I cascade', case r.typtype when 'd' then 'domain' else 'type' end, r.typname);
  end loop;
end
$wipe$;`;

/** MikroORM's own table of applied migrations, as its migrator creates it. */
export const MIGRATIONS_TABLE_SQL = `create table "mikro_orm_migrations" ("id" serial primary key, "name" varchar(255), "executed_at" timestamptz default current_timestamp)`;

/**
 * The SQL of migrations `names`, in order, from this version of the app: what built the schema of the
 * database a portable backup was made from. A name this version does not have (a backup from a newer
 * version) is refused before anything is changed.
 */
export async function migrationSql(orm: MikroORM, names: string[]): Promise<string[]> {
  const options = orm.config.get('migrations');
  const dir = orm.config.get('preferTs') ? options.pathTs! : options.path!;
  const files = new Map(
    (await readdir(dir))
      .map((file) => /^(Migration\w+)\.(js|ts)$/.exec(file))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], join(dir, m[0])] as const),
  );
  const missing = names.filter((name) => !files.has(name));
  if (missing.length > 0) {
    throw new Error(
      `the backup was made by a newer version of venture-crm (migrations ${missing.join(', ')} are unknown here): ` +
        'upgrade this installation first',
    );
  }
  const statements: string[] = [];
  for (const name of names) {
    const module = (await import(pathToFileURL(files.get(name)!).href)) as Record<
      string,
      new (...args: unknown[]) => Migration
    >;
    const migration = new module[name](orm.em.getDriver(), orm.config);
    await migration.up();
    for (const query of migration.getQueries()) {
      statements.push(typeof query === 'string' ? query : query.toQuery());
    }
  }
  return statements;
}

/**
 * Takes away what slows a bulk load or makes its order matter — foreign keys, indexes other than primary and
 * unique constraints, and user triggers — and gives back a function that puts them back as they were (the
 * foreign keys and indexes are then checked and built once, over the loaded rows). All inside the caller's
 * transaction: no other session ever sees a table without them.
 */
export async function deferConstraints(client: pg.Client): Promise<() => Promise<void>> {
  const fks = await client.query<{ tbl: string; name: string; def: string }>(
    `select k.conrelid::regclass::text as tbl, k.conname as name, pg_get_constraintdef(k.oid) as def
       from pg_constraint k join pg_namespace n on n.oid = k.connamespace
      where k.contype = 'f' and ${SYSTEM_SCHEMAS}`,
  );
  const indexes = await client.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
       from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
      where ${SYSTEM_SCHEMAS}
        and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid and k.contype in ('p', 'u', 'x'))`,
  );
  const triggers = await client.query<{ tbl: string; name: string }>(
    `select t.tgrelid::regclass::text as tbl, t.tgname as name
       from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where not t.tgisinternal and t.tgenabled <> 'D' and ${SYSTEM_SCHEMAS}`,
  );
  const id = (name: string): string => client.escapeIdentifier(name);
  for (const fk of fks.rows) await client.query(`alter table ${fk.tbl} drop constraint ${id(fk.name)}`);
  for (const index of indexes.rows) await client.query(`drop index ${index.name}`);
  for (const t of triggers.rows) await client.query(`alter table ${t.tbl} disable trigger ${id(t.name)}`);
  return async () => {
    for (const index of indexes.rows) await client.query(index.def);
    for (const fk of fks.rows)
      await client.query(`alter table ${fk.tbl} add constraint ${id(fk.name)} ${fk.def}`);
    for (const t of triggers.rows) await client.query(`alter table ${t.tbl} enable trigger ${id(t.name)}`);
  };
}
