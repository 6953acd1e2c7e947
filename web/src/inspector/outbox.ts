// The inspector app's outbox: reports made on the phone wait here (IndexedDB, with their photos as
// blobs) until they reach the server. Each carries an idempotency key made when it was written, so a
// send that got through but whose answer was lost is replayed by the server, not doubled; photos are
// uploaded first and their ids kept, so a retry does not upload them again.
import { buildUrl, tokenStore } from '../api/client.ts';

export interface OutboxReport {
  id: string;
  createdAt: string;
  idempotencyKey: string;
  report: { classCode: string; description: string; location: { lon: number; lat: number }; address?: string; reportedAt: string };
  photos: Blob[];
  /** Photo ids already uploaded, in the order of `photos`. */
  uploaded: number[];
  lastError: string | null;
}

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
  list: () => tx<OutboxReport[]>('readonly', (s) => s.getAll() as IDBRequest<OutboxReport[]>),
  put: (item: OutboxReport) => tx('readwrite', (s) => s.put(item)),
  remove: (id: string) => tx('readwrite', (s) => s.delete(id)),
};

export function newOutboxReport(report: OutboxReport['report'], photos: Blob[]): OutboxReport {
  return { id: crypto.randomUUID(), createdAt: new Date().toISOString(), idempotencyKey: crypto.randomUUID(), report, photos, uploaded: [], lastError: null };
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

/**
 * Sends what waits, oldest first; stops at the first network failure (still offline) and keeps a
 * refused report with the server's reason. Returns how many were delivered.
 */
export async function flushOutbox(): Promise<{ sent: number; waiting: number }> {
  const items = (await outbox.list()).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  let sent = 0;
  for (const item of items) {
    try {
      while (item.uploaded.length < item.photos.length) {
        const photo = item.photos[item.uploaded.length]!;
        const res = await send(`/api/attachments?filename=photo-${item.uploaded.length + 1}.jpg`, { method: 'POST', body: photo, headers: { 'content-type': photo.type || 'application/octet-stream' } });
        if (!res.ok) throw new Error(`photo: ${res.status}`);
        item.uploaded.push(((await res.json()) as { id: number }).id);
        await outbox.put(item);
      }
      const res = await send('/api/cases', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': item.idempotencyKey },
        body: JSON.stringify({ source: 'inspector', ...item.report, attachmentIds: item.uploaded }),
      });
      if (res.ok) { await outbox.remove(item.id); sent++; continue; }
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
