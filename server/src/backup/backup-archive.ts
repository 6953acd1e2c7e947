import { createHash } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { DiskAttachmentStore } from '../attachments/attachment-store.ts';
import { ATTACHMENTS_PREFIX, BackupError, MANIFEST_ENTRY, parseManifest, type BackupManifest } from './backup-manifest.ts';
import { entryStream, readEntry, readTarIndex, type TarEntry, type TarWriter } from './tar-archive.ts';

/**
 * The backup file's layout: the database payload, the photos under the same paths as in the store
 * (attachments/ab/cd/<sha256>), and manifest.json last, once everything it describes has been written.
 */
export interface OpenedBackup {
  file: string;
  manifest: BackupManifest;
  payload: TarEntry;
  attachments: TarEntry[];
}

export const attachmentEntryName = (key: string) => `${ATTACHMENTS_PREFIX}${key.slice(0, 2)}/${key.slice(2, 4)}/${key}`;
const ATTACHMENT_ENTRY = /^attachments\/([0-9a-f]{2})\/([0-9a-f]{2})\/(\1\2[0-9a-f]{60})$/;

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Reads the archive's headers and manifest; the payload and photos are checked later (they are the bulk). */
export async function openBackup(file: string): Promise<OpenedBackup> {
  if (!existsSync(file)) throw new BackupError('file', `there is no backup file at ${file}`);
  let entries: TarEntry[];
  try {
    entries = await readTarIndex(file);
  } catch (error) {
    throw new BackupError('damaged', `${file} is not a readable CityOps backup: ${(error as Error).message}`);
  }
  const manifestEntry = entries.find((e) => e.name === MANIFEST_ENTRY);
  if (!manifestEntry) throw new BackupError('damaged', `${file} is not a CityOps backup: it has no ${MANIFEST_ENTRY}`);
  const manifest = parseManifest((await readEntry(file, manifestEntry)).toString('utf8'));
  const payload = entries.find((e) => e.name === manifest.payload.entry);
  if (!payload) throw new BackupError('damaged', `${file} lacks its database (${manifest.payload.entry})`);
  return { file, manifest, payload, attachments: entries.filter((e) => e.name.startsWith(ATTACHMENTS_PREFIX)) };
}

/** Copies the payload out of the archive, refusing it unless its size and SHA-256 are the manifest's. */
export async function extractPayload(backup: OpenedBackup, toPath: string): Promise<void> {
  const { manifest, payload } = backup;
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  await pipeline(entryStream(backup.file, payload), hashing, createWriteStream(toPath, { flags: 'wx' }));
  const sha256 = hash.digest('hex');
  if (payload.size !== manifest.payload.bytes || sha256 !== manifest.payload.sha256) {
    throw new BackupError('damaged', `the database in ${backup.file} does not match the manifest's checksum (${payload.size} bytes, SHA-256 ${sha256}; the manifest says ${manifest.payload.bytes} bytes, ${manifest.payload.sha256}): the file was changed or damaged`);
  }
}

/** Each photo's bytes hash to its name, and there are as many as the manifest says. */
export async function checkAttachmentEntries(backup: OpenedBackup): Promise<void> {
  const { manifest, attachments } = backup;
  let bytes = 0;
  for (const entry of attachments) {
    const key = ATTACHMENT_ENTRY.exec(entry.name)?.[3];
    if (!key) throw new BackupError('damaged', `${backup.file} holds ${entry.name}, which is not a photo of the store`);
    if (sha256Of(await readEntry(backup.file, entry)) !== key) throw new BackupError('damaged', `the photo ${entry.name} in ${backup.file} does not match its checksum: the file was changed or damaged`);
    bytes += entry.size;
  }
  const expected = manifest.attachments;
  if (attachments.length !== expected.count || bytes !== expected.bytes) {
    throw new BackupError('damaged', `${backup.file} holds ${attachments.length} photos (${bytes} bytes); its manifest says ${expected.count} (${expected.bytes} bytes)`);
  }
}

/** Puts the archive's photos into the store (content-addressed, so one already there is left as it is). */
export async function restoreAttachmentEntries(backup: OpenedBackup, store: DiskAttachmentStore): Promise<number> {
  for (const entry of backup.attachments) {
    const key = ATTACHMENT_ENTRY.exec(entry.name)![3]!;
    const bytes = await readEntry(backup.file, entry);
    if (sha256Of(bytes) !== key) throw new BackupError('damaged', `the photo ${entry.name} changed while it was being restored`);
    await store.put(key, bytes);
  }
  return backup.attachments.length;
}

export interface AttachmentsWritten {
  count: number;
  bytes: number;
  missing: string[];
}

/**
 * Copies the photos the database refers to from the store into the archive, each checked against its key.
 * A photo lost or damaged in the store is named in the manifest rather than failing the backup: the rest of
 * the city's records are still worth keeping.
 */
export async function writeAttachments(writer: TarWriter, store: DiskAttachmentStore, keys: string[]): Promise<AttachmentsWritten> {
  const written: AttachmentsWritten = { count: 0, bytes: 0, missing: [] };
  for (const key of keys) {
    let bytes: Buffer;
    try {
      bytes = await readFile(store.pathFor(key));
    } catch {
      written.missing.push(key);
      continue;
    }
    if (sha256Of(bytes) !== key) {
      written.missing.push(key);
      continue;
    }
    await writer.addBuffer(attachmentEntryName(key), bytes);
    written.count += 1;
    written.bytes += bytes.byteLength;
  }
  return written;
}

/** The keys of a list that the store does not hold. */
export function missingFromStore(store: DiskAttachmentStore, keys: string[]): string[] {
  return keys.filter((key) => {
    try {
      return !existsSync(store.pathFor(key));
    } catch {
      return true;
    }
  });
}
