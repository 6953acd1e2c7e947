import { createHash } from 'node:crypto';
import { appealEvidenceReadable } from '../evaluation/views.service.ts';
import { keyTaskEvidenceReadable } from '../key-tasks/key-task-evidence.ts';
import type { Selectable } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError, type FieldIssue } from '@cityops/domain/errors';
import type { Executor } from '../db/database.ts';
import type { AttachmentTable } from '../db/schema-cases.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { recordAudit } from '../audit/audit.ts';
import { requireReadableCase } from '../cases/case-access.ts';
import type { AttachmentStore } from './attachment-store.ts';

export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
/** Says nothing about the content, so it never contradicts what the bytes show. */
export const GENERIC_TYPE = 'application/octet-stream';
export const MAX_CLAIMED = 20;
const MAX_NAME_LENGTH = 200;

export type AttachmentRow = Selectable<AttachmentTable>;

export interface AttachmentDto {
  id: number;
  sha256: string;
  mimeType: string;
  sizeBytes: number;
  originalName: string | null;
  uploadedAt: string;
}

export interface CaseAttachmentDto extends AttachmentDto {
  eventId: number | null;
}

export interface Upload {
  bytes: Uint8Array;
  /** The Content-Type the client sent; only checked against the bytes, never believed. */
  declaredType: string | null | undefined;
  originalName: string | null | undefined;
}

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The image type the bytes are, from their magic numbers; null for anything else. */
export function detectImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  return null;
}

/** The base name only, without control characters, at most 200 characters; null when nothing is left. */
export function sanitizeFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (clean === '' || clean === '.' || clean === '..') return null;
  return [...clean].slice(0, MAX_NAME_LENGTH).join('');
}

const mediaType = (contentType: string | null | undefined) => (contentType ?? '').split(';')[0]!.trim().toLowerCase();
const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

export function payloadTooLarge(maxBytes: number): HttpError {
  return new HttpError(413, 'payload_too_large', `the file is larger than the ${megabytes(maxBytes)} limit`, [
    { field: 'file', message: `must be at most ${maxBytes} bytes (${megabytes(maxBytes)})` },
  ]);
}

export function unsupportedMediaType(detail: string): HttpError {
  return new HttpError(415, 'unsupported_media_type', `${detail}; allowed: ${IMAGE_TYPES.join(', ')}`, [
    { field: 'file', message: `must be one of ${IMAGE_TYPES.join(', ')}` },
  ]);
}

export function toDto(row: AttachmentRow): AttachmentDto {
  return {
    id: Number(row.id), sha256: row.sha256, mimeType: row.mime_type, sizeBytes: Number(row.size_bytes),
    originalName: row.original_name, uploadedAt: new Date(Number(row.uploaded_at)).toISOString(),
  };
}

/**
 * Checks and keeps one upload. The bytes go to the store before the row is written: a crash in between
 * leaves an unreferenced file (harmless), never a row pointing at nothing.
 */
export async function storeUpload(
  db: Executor, store: AttachmentStore, actor: Actor, upload: Upload, limits: { maxBytes: number }, now = Date.now(),
): Promise<AttachmentDto> {
  const { bytes } = upload;
  if (bytes.byteLength === 0) throw new ValidationError([{ field: 'file', message: 'is empty' }]);
  if (bytes.byteLength > limits.maxBytes) throw payloadTooLarge(limits.maxBytes);
  const detected = detectImageType(bytes);
  if (!detected) throw unsupportedMediaType('the file is not a JPEG, PNG, WebP or GIF image');
  const declared = mediaType(upload.declaredType);
  if (declared !== '' && declared !== GENERIC_TYPE && declared !== detected) {
    throw unsupportedMediaType(`the file was sent as ${declared} but its content is ${detected}`);
  }

  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await store.put(sha256, bytes);

  const originalName = sanitizeFileName(upload.originalName);
  const write = async (trx: Executor) => {
    const row = await trx.insertInto('attachments').values({
      sha256, mime_type: detected, size_bytes: bytes.byteLength, storage_key: sha256, original_name: originalName,
      uploaded_by_kind: actor.kind, uploaded_by_id: actor.id, uploaded_at: now, case_id: null, event_id: null,
    }).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, actor, 'attachment.upload', { type: 'attachment', ref: row.id }, { sha256, mimeType: detected, sizeBytes: bytes.byteLength, originalName }, now);
    return row;
  };
  return toDto(db.isTransaction ? await write(db) : await db.transaction().execute(write));
}

const sameUploader = (row: AttachmentRow, actor: Actor) => row.uploaded_by_kind === actor.kind && row.uploaded_by_id === actor.id;

/**
 * Links the actor's own fresh uploads to a case event, inside the workflow's transaction. Every bad
 * id is reported with its position, so a client can fix the whole list at once.
 */
export async function claimAttachments(trx: Executor, actor: Actor, ids: number[], caseId: number, eventId: number): Promise<number> {
  if (ids.length === 0) return 0;
  if (ids.length > MAX_CLAIMED) throw new ValidationError([{ field: 'attachmentIds', message: `at most ${MAX_CLAIMED} attachments, got ${ids.length}` }]);
  const unique = [...new Set(ids)];
  const rows = new Map((await trx.selectFrom('attachments').selectAll().where('id', 'in', unique).execute()).map((r) => [Number(r.id), r]));

  const issues: FieldIssue[] = [];
  const seen = new Set<number>();
  ids.forEach((id, index) => {
    const field = `attachmentIds[${index}]`;
    if (seen.has(id)) return issues.push({ field, message: `attachment ${id} is listed more than once` });
    seen.add(id);
    const row = rows.get(id);
    // Someone else's upload answers like a missing one: its existence is not this actor's business.
    if (!row || !sameUploader(row, actor)) return issues.push({ field, message: `no attachment ${id} uploaded by you` });
    if (row.case_id !== null && Number(row.case_id) !== caseId) return issues.push({ field, message: `attachment ${id} already belongs to another case` });
    if (row.event_id !== null) return issues.push({ field, message: `attachment ${id} already belongs to an event of this case` });
    return undefined;
  });
  if (issues.length > 0) throw new ValidationError(issues);

  // The same conditions again in the WHERE: a concurrent claim of the same upload updates fewer rows.
  const result = await trx.updateTable('attachments').set({ case_id: caseId, event_id: eventId })
    .where('id', 'in', unique).where('event_id', 'is', null)
    .where((eb) => eb.or([eb('case_id', 'is', null), eb('case_id', '=', caseId)]))
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== unique.length) {
    throw new HttpError(409, 'conflict', 'an attachment was claimed by another change at the same time; try again');
  }
  return unique.length;
}

/** The attachments of a case, each with the event it documents. */
export async function listCaseAttachments(db: Executor, caseId: number): Promise<CaseAttachmentDto[]> {
  const rows = await db.selectFrom('attachments').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((r) => ({ ...toDto(r), eventId: r.event_id === null ? null : Number(r.event_id) }));
}

/**
 * The attachment row if the actor may see it: its uploader while it is unlinked, afterwards whoever may
 * read its case. Anything else answers 404, without saying which case it belongs to.
 */
export async function requireReadableAttachment(db: Executor, actor: Actor, id: number): Promise<AttachmentRow> {
  const row = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`attachment ${id}`);
  // The uploader always sees their own photo (a citizen follows the report they sent it with); anyone
  // else sees it once it is linked to a case they may read.
  if (sameUploader(row, actor)) return row;
  if (row.case_id === null && row.appeal_id !== null && await appealEvidenceReadable(db, actor, Number(row.appeal_id))) return row;
  if (row.case_id === null && row.appeal_id === null && await keyTaskEvidenceReadable(db, actor, id)) return row;
  if (row.case_id === null) throw notFound(`attachment ${id}`);
  try {
    await requireReadableCase(db, actor, Number(row.case_id));
  } catch (error) {
    if (error instanceof HttpError && error.statusCode === 404) throw notFound(`attachment ${id}`);
    throw error;
  }
  return row;
}
