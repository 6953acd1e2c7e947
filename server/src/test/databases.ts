import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { openDatabase, type DatabaseHandle, type DialectName } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';

/** Where PostgreSQL test databases are created; CI's machine has trust auth on 127.0.0.1:5432. */
const PG_ADMIN_URL = process.env.CITYOPS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_DIALECTS: DialectName[] = ['sqlite', 'postgres'];

/**
 * Registers the same suite once per dialect. Every database test goes through here, so no test can
 * pass on one database and silently skip the other.
 */
export function describeOnBothDatabases(title: string, body: (database: () => DatabaseHandle) => void): void {
  for (const dialect of TEST_DIALECTS) {
    describe(`${title} [${dialect}]`, () => {
      let handle: TestDatabase | undefined;
      before(async () => {
        handle = await createTestDatabase(dialect);
      });
      after(async () => {
        await handle?.dispose();
      });
      body(() => {
        if (!handle) throw new Error('test database not ready');
        return handle;
      });
    });
  }
}

export interface TestDatabase extends DatabaseHandle {
  url: string;
  dispose(): Promise<void>;
}

let counter = 0;

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const handle = openDatabase({ url: ':memory:' });
    await migrateToLatest(handle.db);
    return { ...handle, url: ':memory:', dispose: () => handle.close() };
  }
  const template = await ensurePostgresTemplate();
  const name = `cityops_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  // PostgreSQL refuses to clone a template that another session is cloning; test files run in parallel.
  await withAdmin(async (client) => {
    await client.query('select pg_advisory_lock(774411)');
    try {
      await client.query(`create database ${name} template ${template}`);
    } finally {
      await client.query('select pg_advisory_unlock(774411)');
    }
  });
  const url = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  const handle = openDatabase({ url, poolSize: 4 });
  return {
    ...handle,
    url,
    dispose: async () => {
      await handle.close();
      await withAdmin(async (client) => {
        // pg's pool.end() resolves once it has *asked* its connections to close; forcing the drop while a
        // backend is still saying goodbye sends that client an error nobody listens to. Wait them out.
        for (let i = 0; i < 100; i++) {
          const open = await client.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
          if (open.rows[0].n === 0) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is required for the database tests and is not reachable at ${PG_ADMIN_URL} ` +
        `(set CITYOPS_TEST_PG_URL): ${(error as Error).message}`,
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let templateName: Promise<string> | undefined;

/** A migrated template database named by a hash of the migrations, so an edited migration gets a fresh one. */
function ensurePostgresTemplate(): Promise<string> {
  templateName ??= (async () => {
    const name = `cityops_template_${migrationsHash()}`;
    await withAdmin(async (client) => {
      // Test files run in parallel processes; only one of them builds the template.
      await client.query('select pg_advisory_lock(774411)');
      try {
        const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
        if (exists.rowCount === 0) {
          await client.query(`create database ${name}`);
          const handle = openDatabase({ url: PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`), poolSize: 1 });
          try {
            await migrateToLatest(handle.db);
          } catch (error) {
            await handle.close();
            await client.query(`drop database if exists ${name} with (force)`);
            throw error;
          }
          await handle.close();
        }
      } finally {
        await client.query('select pg_advisory_unlock(774411)');
      }
    });
    return name;
  })();
  return templateName;
}

function migrationsHash(): string {
  const dir = new URL('../db/migrations/', import.meta.url);
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(new URL(file, dir)));
  return hash.digest('hex').slice(0, 12);
}
