import type { DialectName } from '../db/database.ts';
import { migrations } from '../db/migrations/index.ts';

/** What the backup file says about itself (manifest.json, the archive's first entry). */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  formatVersion: number;
  createdAt: string;
  dialect: DialectName;
  /** The last migration applied to the database that was backed up. */
  migration: string;
  /** Versions of what made the payload (SQLite library; PostgreSQL server and pg_dump). */
  source: Record<string, string>;
  payload: { entry: string; bytes: number; sha256: string };
  /** Rows of every table, counted in the same snapshot as the payload. */
  tables: Record<string, number>;
  attachments: {
    /** false: made with --without-attachments; the photo store is backed up on its own. */
    included: boolean;
    /** Distinct photos the database refers to. */
    referenced: number;
    /** Photos in the archive, and their bytes. */
    count: number;
    bytes: number;
    /** Keys the database refers to that were not in the store (or not intact) when the backup was made. */
    missing: string[];
  };
}

export const BACKUP_FORMAT = 'cityops-backup';
export const BACKUP_FORMAT_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';
export const PAYLOAD_ENTRY: Record<DialectName, string> = { sqlite: 'database.sqlite', postgres: 'database.pgdump' };
export const ATTACHMENTS_PREFIX = 'attachments/';

export type RefusalReason =
  | 'file' | 'damaged' | 'dialect' | 'newer_format' | 'newer_migration' | 'unknown_migration' | 'not_empty' | 'in_use' | 'tools' | 'source';

/** A backup or restore that was refused before anything was changed (or, after a restore, a check that failed). */
export class BackupError extends Error {
  readonly reason: RefusalReason;

  constructor(reason: RefusalReason, message: string) {
    super(message);
    this.name = 'BackupError';
    this.reason = reason;
  }
}

/**
 * Tables that hold rows in a database nobody has used yet: the migrations' bookkeeping and what the server's
 * scheduled jobs store by themselves (derived counts, job runs). Rows anywhere else are the city's records,
 * and a restore replaces them only with --force.
 */
export const SELF_WRITTEN_TABLES: ReadonlySet<string> = new Set([
  'kysely_migration', 'kysely_migration_lock', 'kept_counts_state', 'reference_generation', 'job_runs', 'period_cells', 'points_sweep_marks',
]);

const MIGRATION_NAMES = Object.keys(migrations);
export const LATEST_MIGRATION = MIGRATION_NAMES[MIGRATION_NAMES.length - 1]!;

// Names go into SQL at restore (the count checks): only plain identifiers are accepted from a file.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const MIGRATION_NAME = /^[0-9a-z_]{1,100}$/;
const SHA256 = /^[0-9a-f]{64}$/;

const damaged = (why: string) => new BackupError('damaged', `the backup's manifest is not valid: ${why}`);

export function parseManifest(text: string): BackupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw damaged(`not JSON (${(error as Error).message})`);
  }
  const m = value as Partial<BackupManifest> | null;
  if (typeof m !== 'object' || m === null || m.format !== BACKUP_FORMAT) throw damaged(`format must be "${BACKUP_FORMAT}"`);
  if (typeof m.formatVersion !== 'number' || m.formatVersion > BACKUP_FORMAT_VERSION) {
    throw new BackupError('newer_format', `the backup has format version ${String(m.formatVersion)}; this CityOps reads up to ${BACKUP_FORMAT_VERSION}: restore it with a newer CityOps`);
  }
  if (m.dialect !== 'sqlite' && m.dialect !== 'postgres') throw damaged('dialect must be sqlite or postgres');
  if (typeof m.migration !== 'string' || !MIGRATION_NAME.test(m.migration)) throw damaged('migration must be a migration name');
  if (typeof m.createdAt !== 'string' || Number.isNaN(Date.parse(m.createdAt))) throw damaged('createdAt must be a time');
  const p = m.payload;
  if (typeof p !== 'object' || p === null || p.entry !== PAYLOAD_ENTRY[m.dialect] || !isCount(p.bytes) || typeof p.sha256 !== 'string' || !SHA256.test(p.sha256)) {
    throw damaged(`payload must name ${PAYLOAD_ENTRY[m.dialect]} with its size and SHA-256`);
  }
  if (typeof m.tables !== 'object' || m.tables === null || Object.keys(m.tables).length === 0) throw damaged('tables must list the row counts');
  for (const [name, count] of Object.entries(m.tables)) {
    if (!IDENTIFIER.test(name) || !isCount(count)) throw damaged(`tables.${name} must be a table name with a row count`);
  }
  const a = m.attachments;
  if (typeof a !== 'object' || a === null || typeof a.included !== 'boolean' || !isCount(a.referenced) || !isCount(a.count) || !isCount(a.bytes) || !Array.isArray(a.missing)) {
    throw damaged('attachments must say whether they are included, how many and how many bytes');
  }
  return { ...m, source: typeof m.source === 'object' && m.source !== null ? m.source : {} } as BackupManifest;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** Refuses a backup taken at a schema this code does not know: it cannot be brought up to date by our migrations. */
export function checkMigrationKnown(migration: string): void {
  if (MIGRATION_NAMES.includes(migration)) return;
  if (migration > LATEST_MIGRATION) {
    throw new BackupError('newer_migration', `the backup was made at migration ${migration}, newer than this CityOps knows (latest ${LATEST_MIGRATION}): restore it with the CityOps version that made it, or a newer one`);
  }
  throw new BackupError('unknown_migration', `the backup was made at migration ${migration}, which this CityOps does not have (latest ${LATEST_MIGRATION})`);
}

/** The differences between two sets of row counts, one line each; empty when they agree. */
export function countDifferences(expected: Record<string, number>, actual: Record<string, number>): string[] {
  const lines: string[] = [];
  for (const [table, rows] of Object.entries(expected)) {
    if (!(table in actual)) lines.push(`${table}: ${rows} rows in the backup, no such table restored`);
    else if (actual[table] !== rows) lines.push(`${table}: ${rows} rows in the backup, ${actual[table]} restored`);
  }
  for (const table of Object.keys(actual)) if (!(table in expected)) lines.push(`${table}: not in the backup`);
  return lines;
}

/** The tables of a database that hold the city's records (not the self-written ones), from its row counts. */
export function recordTables(counts: Record<string, number>): string[] {
  return Object.entries(counts).filter(([table, rows]) => rows > 0 && !SELF_WRITTEN_TABLES.has(table)).map(([table]) => table);
}

export function notEmptyError(where: string, tables: string[]): BackupError {
  const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ` and ${tables.length - 5} more` : '');
  return new BackupError('not_empty', `${where} is not empty (rows in ${shown}); restoring would replace them: add --force to do so`);
}
