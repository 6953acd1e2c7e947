import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import pg from 'pg';
import type { DatabaseSnapshot, DialectBackup } from './backup-dialect.ts';
import { BackupError, PAYLOAD_ENTRY, countDifferences, recordTables, type BackupManifest } from './backup-manifest.ts';
import { collect, connectionFor, pgTool, runTool, tail } from './postgres-tools.ts';

/**
 * PostgreSQL through pg_dump's custom format (a logical dump: portable across machines and minor versions,
 * compressed, readable by pg_restore alone). The manifest's counts and the photo keys are read in a
 * repeatable-read transaction whose snapshot pg_dump is given (--snapshot), so all three describe the same
 * instant while the servers keep writing.
 *
 * Restore pipes pg_restore's script into psql inside one transaction that first drops everything in the
 * schema, then loads the dump, then checks the manifest's counts: any failure, including a count that does
 * not match, rolls the whole of it back and leaves the target as it was.
 */
export class PostgresBackup implements DialectBackup {
  readonly dialect = 'postgres' as const;
  readonly url: string;
  readonly description: string;
  readonly #pathEnv: string;

  constructor(url: string, pathEnv: string) {
    this.url = url;
    this.#pathEnv = pathEnv;
    this.description = `the PostgreSQL database ${connectionFor(url).shown}`;
  }

  async snapshot(dir: string): Promise<DatabaseSnapshot> {
    const dump = await pgTool('pg_dump', this.#pathEnv);
    const restore = await pgTool('pg_restore', this.#pathEnv);
    const connection = connectionFor(this.url);
    const client = await this.#connect();
    try {
      const server = (await client.query<{ server_version: string }>('show server_version')).rows[0]!.server_version;
      const serverMajor = Math.floor(Number((await client.query<{ n: string }>('select current_setting(\'server_version_num\') as n')).rows[0]!.n) / 10000);
      if (dump.major < serverMajor) {
        throw new BackupError('tools', `${dump.path} is pg_dump ${dump.version}, which cannot dump a PostgreSQL ${serverMajor} server (${server}): install the PostgreSQL ${serverMajor} client programs (Debian: postgresql-client-${serverMajor}) and put them first on PATH`);
      }
      await client.query('begin isolation level repeatable read read only');
      const snapshotId = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
      const tables = await tableCounts(client);
      if (!('kysely_migration' in tables)) throw new BackupError('source', `${this.description} is not a CityOps database (no migration applied)`);
      const migration = (await client.query<{ name: string | null }>('select max(name) as name from kysely_migration')).rows[0]!.name;
      if (migration === null) throw new BackupError('source', `${this.description} is not a CityOps database (no migration applied)`);
      const attachmentKeys = 'attachments' in tables
        ? (await client.query<{ k: string }>('select distinct storage_key as k from attachments order by storage_key')).rows.map((r) => r.k)
        : [];
      const payloadPath = join(dir, PAYLOAD_ENTRY.postgres);
      const result = await runTool(dump.path, ['--format=custom', `--snapshot=${snapshotId}`, `--file=${payloadPath}`, '--no-password', `--dbname=${connection.url}`], connection.env);
      if (result.code !== 0) throw new BackupError('source', `pg_dump failed (exit ${result.code}): ${tail(result.stderr)}`);
      await client.query('commit');
      // Afterwards: every table counted is in the dump, as pg_restore reads it.
      const dumped = await dumpedTables(restore.path, payloadPath);
      const missing = Object.keys(tables).filter((t) => !dumped.has(t));
      if (missing.length > 0) throw new BackupError('source', `the dump lacks the data of ${missing.join(', ')}`);
      return { payloadPath, migration, tables, attachmentKeys, source: { postgres: server, pgDump: dump.version } };
    } finally {
      await client.end();
    }
  }

  async checkPayload(payloadPath: string, manifest: BackupManifest): Promise<void> {
    await checkPostgresPayload(payloadPath, manifest, this.#pathEnv);
  }

  async recordTablesOfTarget(): Promise<string[]> {
    const client = await this.#connect();
    try {
      await refuseOtherSessions(client, this.description);
      const names = await tableNames(client);
      const flags: Record<string, number> = {};
      for (const t of names) flags[t] = (await client.query<{ n: number }>(`select (exists (select 1 from ${quoted(t)}))::int as n`)).rows[0]!.n;
      return recordTables(flags);
    } finally {
      await client.end();
    }
  }

  async replaceTarget(payloadPath: string, manifest: BackupManifest): Promise<void> {
    const restore = await pgTool('pg_restore', this.#pathEnv);
    const psqlTool = await pgTool('psql', this.#pathEnv);
    const connection = connectionFor(this.url);
    const psql = spawn(psqlTool.path, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '--no-password', `--dbname=${connection.url}`], { env: connection.env, stdio: ['pipe', 'ignore', 'pipe'] });
    const psqlErrors = collect(psql, 'stderr');
    const psqlDone = once(psql, 'close') as Promise<[number | null]>;
    psql.stdin.on('error', () => undefined); // psql stopped at an error: its exit code and message say why
    psql.stdin.write(`set client_min_messages = warning;\nbegin;\n${DROP_SCHEMA_CONTENTS}\n`);

    const script = spawn(restore.path, ['--no-owner', '--no-privileges', '--file=-', payloadPath], { env: connection.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const scriptErrors = collect(script, 'stderr');
    const scriptDone = once(script, 'close') as Promise<[number | null]>;
    // When psql stops early, pg_restore must not wait on a pipe nobody reads.
    void psqlDone.then(() => script.kill());
    script.stdout.pipe(psql.stdin, { end: false });
    const [scriptCode] = await scriptDone;
    // Only a whole script is committed: without the commit, psql's end rolls everything back.
    psql.stdin.end(scriptCode === 0 ? `${checkSql(manifest)}\ncommit;\n` : '');
    const [psqlCode] = await psqlDone;
    if (psqlCode !== 0) {
      const message = tail(psqlErrors());
      const changed = /differs from the backup/.test(message) ? 'the restored database differs from the backup\'s manifest' : 'psql failed';
      throw new BackupError('damaged', `${changed}; nothing was changed (rolled back): ${message}`);
    }
    if (scriptCode !== 0) throw new BackupError('damaged', `pg_restore could not read the dump (exit ${scriptCode}); nothing was changed (rolled back): ${tail(scriptErrors())}`);
  }

  async #connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url });
    try {
      await client.connect();
    } catch (error) {
      throw new BackupError('source', `cannot connect to ${this.description}: ${(error as Error).message}`);
    }
    return client;
  }
}

/** The dump as pg_restore reads it: readable by this pg_restore, with the data of every table of the manifest. */
export async function checkPostgresPayload(payloadPath: string, manifest: BackupManifest, pathEnv: string): Promise<void> {
  const restore = await pgTool('pg_restore', pathEnv);
  let tables: Set<string>;
  try {
    tables = await dumpedTables(restore.path, payloadPath);
  } catch (error) {
    const by = manifest.source.pgDump ? ` (made by pg_dump ${manifest.source.pgDump}; this is pg_restore ${restore.version})` : '';
    throw new BackupError('damaged', `the backup's dump cannot be read${by}: ${(error as Error).message}`);
  }
  const missing = Object.keys(manifest.tables).filter((t) => !tables.has(t));
  if (missing.length > 0) throw new BackupError('damaged', `the backup's dump lacks the data of ${missing.join(', ')}`);
}

/** The tables whose data a custom-format dump holds, from its table of contents. */
async function dumpedTables(pgRestore: string, payloadPath: string): Promise<Set<string>> {
  const result = await runTool(pgRestore, ['--list', payloadPath], process.env);
  if (result.code !== 0) throw new Error(tail(result.stderr));
  // A line of the list: "3400; 0 16390 TABLE DATA public cases postgres".
  return new Set([...result.stdout.matchAll(/^\d+; \d+ \d+ TABLE DATA \S+ (\S+) /gm)].map((m) => m[1]!));
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function tableNames(client: pg.Client): Promise<string[]> {
  const rows = await client.query<{ name: string }>(
    `select c.relname as name from pg_class c where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p') order by c.relname`,
  );
  return rows.rows.map((r) => r.name);
}

async function tableCounts(client: pg.Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of await tableNames(client)) counts[t] = Number((await client.query<{ n: string }>(`select count(*) as n from ${quoted(t)}`)).rows[0]!.n);
  return counts;
}

/**
 * Restoring under running servers would leave them with caches of the old data (reference data, territory);
 * the sessions that closing pools are still ending get a moment to go.
 */
async function refuseOtherSessions(client: pg.Client, description: string): Promise<void> {
  let others = { n: 0, who: '' };
  for (let attempt = 0; attempt < 20; attempt++) {
    others = (await client.query<{ n: number; who: string }>(
      `select count(*)::int as n, coalesce(string_agg(distinct coalesce(nullif(application_name, ''), usename::text) || '@' || coalesce(host(client_addr), 'local'), ', '), '') as who
         from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
    )).rows[0]!;
    if (others.n === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new BackupError('in_use', `${others.n} other session(s) are connected to ${description} (${others.who}): stop the CityOps servers and other clients of this database before restoring`);
}

/**
 * Everything of the current schema that is not an extension's, so that the dump loads into a schema without
 * tables of a later migration or earlier restore. Run inside the restore's transaction.
 */
const DROP_SCHEMA_CONTENTS = `
do $drop$
declare r record;
begin
  for r in select format('%I.%I', n.nspname, c.relname) as name, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.oid = current_schema()::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
      and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')
    order by c.relkind = 'S'
  loop
    execute format('drop %s if exists %s cascade',
      case r.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'f' then 'foreign table' when 'S' then 'sequence' else 'table' end, r.name);
  end loop;
  for r in select p.oid::regprocedure::text as name from pg_proc p
    where p.pronamespace = current_schema()::regnamespace and p.prokind in ('f', 'p')
      and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
  loop
    execute format('drop routine if exists %s cascade', r.name);
  end loop;
  for r in select format('%I.%I', n.nspname, t.typname) as name from pg_type t join pg_namespace n on n.oid = t.typnamespace
    where n.oid = current_schema()::regnamespace and t.typtype in ('e', 'd', 'r')
      and not exists (select 1 from pg_depend d where d.classid = 'pg_type'::regclass and d.objid = t.oid and d.deptype = 'e')
  loop
    execute format('drop type if exists %s cascade', r.name);
  end loop;
end $drop$;`;

/** The manifest's migration and counts, checked in the restore's transaction before it commits. */
function checkSql(manifest: BackupManifest): string {
  const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
  const tables = Object.entries(manifest.tables)
    .map(([table, rows]) => `  if to_regclass(${literal(quoted(table))}) is null then problems := problems || ${literal(`${table}: no such table restored; `)};
  else execute ${literal(`select count(*) from ${quoted(table)}`)} into n;
    if n <> ${rows} then problems := problems || format(${literal(`${table}: ${rows} rows in the backup, %s restored; `)}, n); end if;
  end if;`).join('\n');
  return `reset search_path;
do $check$
declare n bigint; problems text := '';
begin
${tables}
  if (select max(name) from kysely_migration) is distinct from ${literal(manifest.migration)} then
    problems := problems || format('migration %s restored, the backup says ${manifest.migration.replaceAll("'", "''")}; ', (select max(name) from kysely_migration));
  end if;
  if problems <> '' then raise exception 'the restored database differs from the backup''s manifest: %', problems; end if;
end $check$;`;
}
