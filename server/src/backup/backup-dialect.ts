import type { DialectName } from '../db/database.ts';
import type { BackupManifest } from './backup-manifest.ts';

/** A consistent copy of the database and what the manifest says about it, all from one snapshot. */
export interface DatabaseSnapshot {
  payloadPath: string;
  migration: string;
  tables: Record<string, number>;
  /** The photo store keys the copy refers to. */
  attachmentKeys: string[];
  source: Record<string, string>;
}

/** What backup and restore need from each database; everything else is shared (backup.service.ts). */
export interface DialectBackup {
  readonly dialect: DialectName;
  /** Says which database this is, for messages (never with a password). */
  readonly description: string;
  /** Copies the database into `dir` while it may be in use; the source is only read. */
  snapshot(dir: string): Promise<DatabaseSnapshot>;
  /** Checks a payload taken out of a backup, before the target is touched. */
  checkPayload(payloadPath: string, manifest: BackupManifest): Promise<void>;
  /** The target's tables that hold the city's records; refuses a target that is in use. */
  recordTablesOfTarget(): Promise<string[]>;
  /** Replaces the whole target with the payload, all or nothing, and checks the manifest's counts. */
  replaceTarget(payloadPath: string, manifest: BackupManifest): Promise<void>;
}
