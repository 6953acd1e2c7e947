import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { link, mkdir, mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import { isPostgresUrl, openDatabase, sqlitePathOf, type DialectName } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { DiskAttachmentStore } from '../attachments/attachment-store.ts';
import { cliActor, recordAudit } from '../audit/audit.ts';
import type { DialectBackup } from './backup-dialect.ts';
import {
  BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BackupError, LATEST_MIGRATION, MANIFEST_ENTRY, PAYLOAD_ENTRY, checkMigrationKnown, notEmptyError,
  type BackupManifest,
} from './backup-manifest.ts';
import {
  checkAttachmentEntries, extractPayload, missingFromStore, openBackup, restoreAttachmentEntries, writeAttachments, type OpenedBackup,
} from './backup-archive.ts';
import { SqliteBackup, checkSqlitePayload } from './sqlite-backup.ts';
import { PostgresBackup, checkPostgresPayload } from './postgres-backup.ts';
import { TarWriter } from './tar-archive.ts';

export interface BackupOptions {
  /** Leave the photos out (the store is backed up on its own, e.g. by rsync or object-store versioning). */
  withoutAttachments?: boolean;
  /** Where pg_dump, pg_restore and psql are looked for (default: PATH). */
  pathEnv?: string;
  log?: (message: string) => void;
}

export interface RestoreOptions {
  /** Replace a target that already holds records. */
  force?: boolean;
  pathEnv?: string;
  log?: (message: string) => void;
}

export function configuredDialect(config: Config): DialectName {
  return isPostgresUrl(config.databaseUrl) ? 'postgres' : 'sqlite';
}

function dialectBackup(config: Config, pathEnv: string | undefined): DialectBackup {
  return configuredDialect(config) === 'postgres'
    ? new PostgresBackup(config.databaseUrl, pathEnv ?? process.env.PATH ?? '')
    : new SqliteBackup(resolve(sqlitePathOf(config.databaseUrl)));
}

const seconds = (since: number) => Math.round(performance.now() - since) / 1000;

/**
 * Writes a backup of the configured database (and, unless told otherwise, the photos it refers to) to a new
 * file. The database is copied while the servers may be running; the file appears under its name only once
 * it is whole and on disk.
 */
export async function createBackup(config: Config, file: string, options: BackupOptions = {}) {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const target = resolve(file);
  if (existsSync(target)) throw new BackupError('file', `${target} exists: name a new file (a backup never replaces one)`);
  if (!existsSync(dirname(target))) throw new BackupError('file', `the folder ${dirname(target)} does not exist`);
  const database = dialectBackup(config, options.pathEnv);
  const store = new DiskAttachmentStore(config.attachmentsDir);
  const work = await mkdtemp(join(dirname(target), '.cityops-backup-'));
  try {
    const snapshot = await database.snapshot(work);
    const databaseSeconds = seconds(started);
    log(`copied ${database.description} in ${databaseSeconds} s`);
    const payload = await hashFile(snapshot.payloadPath);
    const partial = join(work, 'backup.tar');
    const writer = await TarWriter.create(partial);
    let attachments: BackupManifest['attachments'];
    try {
      await writer.addFile(PAYLOAD_ENTRY[database.dialect], snapshot.payloadPath);
      if (options.withoutAttachments) {
        attachments = { included: false, referenced: snapshot.attachmentKeys.length, count: 0, bytes: 0, missing: missingFromStore(store, snapshot.attachmentKeys) };
      } else {
        attachments = { included: true, referenced: snapshot.attachmentKeys.length, ...await writeAttachments(writer, store, snapshot.attachmentKeys) };
      }
      const manifest: BackupManifest = {
        format: BACKUP_FORMAT, formatVersion: BACKUP_FORMAT_VERSION, createdAt: new Date().toISOString(), dialect: database.dialect,
        migration: snapshot.migration, source: snapshot.source, payload: { entry: PAYLOAD_ENTRY[database.dialect], ...payload },
        tables: snapshot.tables, attachments,
      };
      await writer.addBuffer(MANIFEST_ENTRY, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
      await writer.finish();
    } catch (error) {
      await writer.abandon();
      throw error;
    }
    if (attachments.missing.length > 0) log(`warning: ${attachments.missing.length} photo(s) the database refers to are missing or damaged in ${store.rootDir}; they are named in the manifest`);
    // A hard link fails if the name was taken meanwhile: an existing file is never replaced.
    try {
      await link(partial, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupError('file', `${target} was created by someone else meanwhile: name a new file`);
      throw error;
    }
    await syncDirectory(dirname(target));
    return {
      file: target, bytes: (await stat(target)).size, seconds: seconds(started), databaseSeconds, dialect: database.dialect, migration: snapshot.migration,
      rows: Object.values(snapshot.tables).reduce((a, b) => a + b, 0), cases: snapshot.tables.cases ?? 0, payloadBytes: payload.bytes,
      attachments: { included: attachments.included, count: attachments.count, bytes: attachments.bytes, missing: attachments.missing.length },
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Checks a backup file as a restore would, without a target: checksums, photos, and the payload itself. */
export async function verifyBackup(file: string, options: { pathEnv?: string } = {}) {
  const started = performance.now();
  const backup = await openBackup(resolve(file));
  checkMigrationKnown(backup.manifest.migration);
  const work = await mkdtemp(join(tmpdir(), 'cityops-verify-'));
  try {
    await checkArchive(backup, work, (path) => backup.manifest.dialect === 'sqlite'
      ? checkSqlitePayload(path, backup.manifest)
      : checkPostgresPayload(path, backup.manifest, options.pathEnv ?? process.env.PATH ?? ''));
    return { file: backup.file, verified: true, seconds: seconds(started), manifest: backup.manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Restores a backup into the configured database. Every check comes before the first change: the file, its
 * checksums and photos, the dialect, the migration, and an empty target (or --force). The database is then
 * replaced all or nothing, its counts checked against the manifest, and migrated to this code's latest.
 * The CityOps servers must be stopped (PostgreSQL: refused while other sessions are connected).
 */
export async function restoreBackup(config: Config, file: string, options: RestoreOptions = {}) {
  const log = options.log ?? (() => {});
  const started = performance.now();
  const backup = await openBackup(resolve(file));
  const { manifest } = backup;
  const dialect = configuredDialect(config);
  if (manifest.dialect !== dialect) {
    throw new BackupError('dialect', `${backup.file} is a backup of a ${label(manifest.dialect)} database and DATABASE_URL names a ${label(dialect)} one: a backup is restored into the same kind of database`);
  }
  checkMigrationKnown(manifest.migration);
  const database = dialectBackup(config, options.pathEnv);
  const records = await database.recordTablesOfTarget();
  if (records.length > 0 && !options.force) throw notEmptyError(database.description, records);

  const workParent = dialect === 'sqlite' ? dirname(resolve(sqlitePathOf(config.databaseUrl))) : tmpdir();
  await mkdir(workParent, { recursive: true });
  const work = await mkdtemp(join(workParent, '.cityops-restore-'));
  try {
    const payloadPath = await checkArchive(backup, work, (path) => database.checkPayload(path, manifest));
    log(`${backup.file} checked in ${seconds(started)} s`);

    const store = new DiskAttachmentStore(config.attachmentsDir);
    // Photos first: content-addressed, so adding them changes nothing a failed restore would leave wrong.
    const photos = await restoreAttachmentEntries(backup, store);
    const replacing = performance.now();
    await database.replaceTarget(payloadPath, manifest);
    const databaseSeconds = seconds(replacing);
    log(`restored ${database.description} in ${databaseSeconds} s`);

    const handle = openDatabase({ url: config.databaseUrl, sqliteSynchronous: config.sqliteSynchronous });
    try {
      await migrateToLatest(handle.db);
      const keys = (await handle.db.selectFrom('attachments').select('storage_key').distinct().execute()).map((r) => r.storage_key);
      const missing = missingFromStore(store, keys);
      if (missing.length > 0) log(`warning: ${missing.length} photo(s) the database refers to are not in ${store.rootDir}${manifest.attachments.included ? '' : ' (the backup was made without photos: restore the photo store from its own backup)'}`);
      await recordAudit(handle.db, cliActor(), 'backup.restore', { type: 'database', ref: manifest.payload.sha256 }, {
        file: backup.file, createdAt: manifest.createdAt, migration: manifest.migration, migratedTo: LATEST_MIGRATION, replaced: records, photos, missingPhotos: missing.length,
      });
      return {
        restored: backup.file, dialect, seconds: seconds(started), databaseSeconds, createdAt: manifest.createdAt, migration: { backup: manifest.migration, now: LATEST_MIGRATION },
        rows: Object.values(manifest.tables).reduce((a, b) => a + b, 0), cases: manifest.tables.cases ?? 0, replaced: records,
        attachments: { restored: photos, missing: missing.length },
      };
    } finally {
      await handle.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const label = (dialect: DialectName) => (dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL');

async function checkArchive(backup: OpenedBackup, work: string, checkPayload: (path: string) => Promise<void>): Promise<string> {
  const payloadPath = join(work, backup.manifest.payload.entry);
  await extractPayload(backup, payloadPath);
  await checkAttachmentEntries(backup);
  await checkPayload(payloadPath);
  return payloadPath;
}

async function hashFile(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
