import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseSync, backup } from 'node:sqlite';
import type { DatabaseSnapshot, DialectBackup } from './backup-dialect.ts';
import { BackupError, PAYLOAD_ENTRY, countDifferences, recordTables, type BackupManifest } from './backup-manifest.ts';

/**
 * SQLite through its online backup API (node:sqlite `backup`). All pages are copied in one step, which is one
 * read transaction: the copy is the database as of one commit, including commits still in the write-ahead
 * log, while the server keeps writing (readers do not block writers in WAL mode). Copying in several steps
 * would restart whenever another process writes between them, possibly forever on a busy server.
 * Restore goes the other way through the same API: the target's pages are replaced in one write transaction,
 * under SQLite's own locks, so the target is either the old database or the restored one.
 */
const ALL_PAGES = 2 ** 31 - 1;

export class SqliteBackup implements DialectBackup {
  readonly dialect = 'sqlite' as const;
  readonly path: string;
  readonly description: string;

  constructor(path: string) {
    this.path = path;
    this.description = `the SQLite database ${path}`;
  }

  async snapshot(dir: string): Promise<DatabaseSnapshot> {
    if (!existsSync(this.path)) throw new BackupError('source', `there is no SQLite database at ${this.path} (DATABASE_URL)`);
    const payloadPath = join(dir, PAYLOAD_ENTRY.sqlite);
    const source = new DatabaseSync(this.path);
    try {
      source.exec('PRAGMA busy_timeout = 5000');
      await backup(source, payloadPath, { rate: ALL_PAGES });
    } finally {
      source.close();
    }
    const copy = new DatabaseSync(payloadPath);
    try {
      // One file with nothing beside it: the copy travels inside the archive.
      copy.exec('PRAGMA journal_mode = DELETE');
      const integrity = integrityOf(copy);
      if (integrity !== 'ok') throw new BackupError('source', `the copy of ${this.path} fails SQLite's integrity check: ${integrity}`);
      const migration = lastMigration(copy);
      if (migration === null) throw new BackupError('source', `${this.path} is not a CityOps database (no migration applied)`);
      const version = copy.prepare('select sqlite_version() as v').get() as { v: string };
      return { payloadPath, migration, tables: tableCounts(copy), attachmentKeys: attachmentKeys(copy), source: { sqlite: version.v } };
    } finally {
      copy.close();
    }
  }

  async checkPayload(payloadPath: string, manifest: BackupManifest): Promise<void> {
    await checkSqlitePayload(payloadPath, manifest);
  }

  async recordTablesOfTarget(): Promise<string[]> {
    if (!existsSync(this.path)) return [];
    const target = openExisting(this.path);
    try {
      return recordTables(Object.fromEntries(tableNames(target).map((t) => [t, target.prepare(`select exists (select 1 from ${quoted(t)}) as n`).get()!.n as number])));
    } finally {
      target.close();
    }
  }

  async replaceTarget(payloadPath: string, manifest: BackupManifest): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true });
    const source = new DatabaseSync(payloadPath, { readOnly: true });
    try {
      await backup(source, this.path, { rate: ALL_PAGES });
    } finally {
      source.close();
    }
    const target = openExisting(this.path);
    try {
      const differences = countDifferences(manifest.tables, tableCounts(target));
      if (differences.length > 0) throw new BackupError('damaged', `the restored database differs from the backup's manifest: ${differences.join('; ')}`);
    } finally {
      target.close();
    }
  }
}

/** The payload as it came out of the archive: intact, at the manifest's migration, with the manifest's counts. */
export async function checkSqlitePayload(payloadPath: string, manifest: BackupManifest): Promise<void> {
  let copy: DatabaseSync;
  try {
    copy = new DatabaseSync(payloadPath, { readOnly: true });
  } catch (error) {
    throw new BackupError('damaged', `the backup's database cannot be opened: ${(error as Error).message}`);
  }
  try {
    const integrity = integrityOf(copy);
    if (integrity !== 'ok') throw new BackupError('damaged', `the backup's database fails SQLite's integrity check: ${integrity}`);
    const migration = lastMigration(copy);
    if (migration !== manifest.migration) throw new BackupError('damaged', `the backup's database is at migration ${migration}, its manifest says ${manifest.migration}`);
    const differences = countDifferences(manifest.tables, tableCounts(copy));
    if (differences.length > 0) throw new BackupError('damaged', `the backup's database differs from its manifest: ${differences.join('; ')}`);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError('damaged', `the backup's database cannot be read: ${(error as Error).message}`);
  } finally {
    copy.close();
  }
}

function openExisting(path: string): DatabaseSync {
  try {
    const db = new DatabaseSync(path);
    db.exec('PRAGMA busy_timeout = 5000');
    db.prepare('select count(*) from sqlite_schema').get(); // a file that is not a database fails here
    return db;
  } catch (error) {
    throw new BackupError('source', `${path} cannot be opened as a SQLite database: ${(error as Error).message}`);
  }
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

function tableNames(db: DatabaseSync): string[] {
  const rows = db.prepare(`select name from sqlite_schema where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`).all();
  return rows.map((r) => String(r.name));
}

function tableCounts(db: DatabaseSync): Record<string, number> {
  return Object.fromEntries(tableNames(db).map((t) => [t, Number(db.prepare(`select count(*) as n from ${quoted(t)}`).get()!.n)]));
}

function lastMigration(db: DatabaseSync): string | null {
  if (!tableNames(db).includes('kysely_migration')) return null;
  const row = db.prepare('select max(name) as name from kysely_migration').get();
  return (row?.name as string | null) ?? null;
}

function attachmentKeys(db: DatabaseSync): string[] {
  if (!tableNames(db).includes('attachments')) return [];
  return db.prepare('select distinct storage_key as k from attachments order by storage_key').all().map((r) => String(r.k));
}

function integrityOf(db: DatabaseSync): string {
  const rows = db.prepare('PRAGMA integrity_check').all().map((r) => String(Object.values(r)[0]));
  return rows.length === 1 && rows[0] === 'ok' ? 'ok' : rows.slice(0, 5).join('; ');
}
