// The phone's outbox: what the inspector or the third-party evaluator does on the phone waits here
// (IndexedDB, with the photos as blobs) until it reaches the server: new reports, the verify and check
// actions (核实, 核查) taken on tasks, and the evaluators' findings (暗访问题, idempotent by clientRef). Each item carries an idempotency key made when it was written, so a send that
// got through but whose answer was lost is replayed by the server, not doubled; photos are uploaded
// first and their ids kept, so a retry does not upload them again. An action carries the case version
// the inspector saw: if the case moved on meanwhile, the server refuses it (stale_version) and the item
// stays with that reason instead of acting on a case the inspector did not see.
import { buildUrl, tokenStore } from '../api/client.ts';

interface OutboxBase {
  id: string;
  createdAt: string;
  idempotencyKey: string;
  photos: Blob[];
  /** Photo ids already uploaded, in the order of `photos`. */
  uploaded: number[];
  lastError: string | null;
}

export interface OutboxReport extends OutboxBase {
  kind?: 'report';
  report: { classCode: string; description: string; location: { lon: number; lat: number }; address?: string; reportedAt: string };
}

export interface OutboxAction extends OutboxBase {
  kind: 'action';
  caseId: number;
  caseCode: string;
  action: string;
  actionLabel: string;
  body: { reason?: string; note?: string; expectedVersion: number };
}

export interface OutboxFinding extends OutboxBase {
  kind: 'finding';
  roundId: number;
  /** What the list shows: the unit and point. */
  label: string;
  body: { pointId: number; itemCode: string; occurrences: number; location: { lon: number; lat: number }; foundAt: string; note?: string; clientRef: string };
}

export type OutboxItem = OutboxReport | OutboxAction | OutboxFinding;

const DB = 'cityops-inspector';
const STORE = 'outbox';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function tx<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise<T>((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const req = body(t.objectStore(STORE));
    t.oncomplete = () => { db.close(); resolve(req.result); };
    t.onerror = () => { db.close(); reject(t.error); };
  });
}

export const outbox = {
  list: () => tx<OutboxItem[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxItem[]>),
  put: (item: OutboxItem) => tx('readwrite', (s) => s.put(item)),
  remove: (id: string) => tx('readwrite', (s) => s.delete(id)),
};

const base = (photos: Blob[]): OutboxBase => ({ id: crypto.randomUUID(), createdAt: new Date().toISOString(), idempotencyKey: crypto.randomUUID(), photos, uploaded: [], lastError: null });

export function newOutboxReport(report: OutboxReport['report'], photos: Blob[]): OutboxReport {
  return { ...base(photos), kind: 'report', report };
}

export function newOutboxAction(task: { caseId: number; caseCode: string; action: string; actionLabel: string; body: OutboxAction['body'] }, photos: Blob[]): OutboxAction {
  return { ...base(photos), kind: 'action', ...task };
}

export function newOutboxFinding(finding: { roundId: number; label: string; body: Omit<OutboxFinding['body'], 'clientRef'> }, photos: Blob[]): OutboxFinding {
  const item = base(photos);
  // The finding's own id on the phone: a retry after a lost answer returns the first finding.
  return { ...item, kind: 'finding', roundId: finding.roundId, label: finding.label, body: { ...finding.body, clientRef: item.idempotencyKey } };
}

/** One line of the outbox as the phone lists it. */
export function outboxLabel(item: OutboxItem): string {
  if (item.kind === 'action') return `${item.caseCode} ${item.actionLabel}`;
  if (item.kind === 'finding') return `${item.label} ${item.body.itemCode}×${item.body.occurrences}`;
  return item.report.description.slice(0, 30);
}

class NetworkError extends Error {}

async function send(path: string, init: RequestInit): Promise<Response> {
  const token = tokenStore.get();
  try {
    return await fetch(buildUrl(path), { ...init, headers: { ...(init.headers as Record<string, string>), ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  } catch (cause) {
    throw new NetworkError(cause instanceof Error ? cause.message : String(cause));
  }
}

/** Where an item goes and with what, once its photos are uploaded. */
function request(item: OutboxItem): { path: string; body: unknown } {
  if (item.kind === 'action') {
    return { path: `/api/cases/${item.caseId}/actions/${item.action}`, body: { ...item.body, ...(item.uploaded.length ? { attachmentIds: item.uploaded } : {}) } };
  }
  if (item.kind === 'finding') {
    return { path: `/api/evaluation/rounds/${item.roundId}/findings`, body: { ...item.body, ...(item.uploaded.length ? { attachmentId: item.uploaded[0] } : {}) } };
  }
  return { path: '/api/cases', body: { source: 'inspector', ...item.report, attachmentIds: item.uploaded } };
}

type FlushResult = { sent: number; waiting: number };
let running: Promise<FlushResult> | null = null;
let again = false;

/**
 * Sends what waits, oldest first; stops at the first network failure (still offline) and keeps a
 * refused item with the server's reason. Returns how many were delivered. One flush at a time, in this
 * page and across the app's tabs (Web Locks): two flushes of one item would upload its photos twice and
 * send a second body under the same key. A flush asked for while one runs runs once more after it.
 */
export function flushOutbox(): Promise<FlushResult> {
  if (running) { again = true; return running; }
  const exclusive = <T,>(work: () => Promise<T>): Promise<T> => (navigator.locks ? navigator.locks.request('cityops-outbox', work) : work());
  running = exclusive(async () => {
    let result: FlushResult;
    let sent = 0;
    do {
      again = false;
      result = await flushOnce();
      sent += result.sent;
    } while (again);
    return { sent, waiting: result.waiting };
  }).finally(() => { running = null; });
  return running;
}

async function flushOnce(): Promise<FlushResult> {
  const items = (await outbox.list()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  let sent = 0;
  for (const item of items) {
    if (item.lastError) continue; // refused: waits for the inspector to retry or discard it
    try {
      while (item.uploaded.length < item.photos.length) {
        const photo = item.photos[item.uploaded.length]!;
        const res = await send(`/api/attachments?filename=photo-${item.uploaded.length + 1}.jpg`, { method: 'POST', body: photo, headers: { 'content-type': photo.type || 'application/octet-stream' } });
        if (res.status >= 500) throw new NetworkError(`photo: ${res.status}`);
        if (!res.ok) throw new Error(`photo: ${res.status}`);
        item.uploaded.push(((await res.json()) as { id: number }).id);
        await outbox.put(item);
      }
      const { path, body } = request(item);
      const res = await send(path, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': item.idempotencyKey }, body: JSON.stringify(body) });
      if (res.ok) { await outbox.remove(item.id); sent++; continue; }
      // The server failing is like the network failing: try again later, in the same order.
      if (res.status >= 500) throw new NetworkError(`${res.status}`);
      item.lastError = ((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `${res.status}`;
      await outbox.put(item);
    } catch (error) {
      if (error instanceof NetworkError) break;
      item.lastError = (error as Error).message;
      await outbox.put(item);
    }
  }
  return { sent, waiting: (await outbox.list()).length };
}

/** Sends a refused item again (after the inspector fixed what was wrong elsewhere, or to try once more). */
export async function retryItem(item: OutboxItem): Promise<void> {
  await outbox.put({ ...item, lastError: null });
}
