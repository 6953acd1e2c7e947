// The ledger's chain (decision 0017). Entry n seals a set of items by the digest of { ref: item digest };
// its hash is SHA-256 of the previous entry's hash, a line feed, and the canonical JSON of its own fields,
// so changing, removing, inserting or reordering any entry breaks every hash after it. Entry 0 (genesis)
// has a fixed content and the all-zero previous hash. Appends are serialized: on PostgreSQL by a lock on
// the ledger table held to the end of the sealing transaction, on SQLite by its single writer.
import { sql } from 'kysely';
import { isPostgres, type Executor } from '../db/database.ts';
import { canonical, sha256Hex } from './canonical.ts';

export const ZERO_HASH = '0'.repeat(64);
export const GENESIS_KIND = 'genesis';
export const GENESIS_DIGEST = sha256Hex(canonical({ ledger: 'cityops integrity ledger', version: 1 }));

export interface EntryFields {
  seq: number;
  kind: string;
  entityRef: string;
  digest: string;
  itemCount: number;
  detail: string | null;
  sealedAt: number;
}

export interface LedgerPosition {
  seq: number;
  hash: string;
}

export const entryHash = (prevHash: string, fields: EntryFields): string => sha256Hex(`${prevHash}\n${canonical(fields)}`);

/** The digest of an entry's items: SHA-256 of the canonical object { ref: digest } (keys sorted). */
export const itemsDigest = (items: Iterable<readonly [string, string]>): string => sha256Hex(canonical(Object.fromEntries(items)));

export const fieldsOf = (row: { seq: number; kind: string; entity_ref: string; digest: string; item_count: number; detail: string | null; sealed_at: number }): EntryFields => ({
  seq: Number(row.seq), kind: row.kind, entityRef: row.entity_ref, digest: row.digest, itemCount: Number(row.item_count), detail: row.detail, sealedAt: Number(row.sealed_at),
});

/**
 * Takes the ledger for this transaction: other sealers wait until it commits. A sealing transaction takes it
 * before it writes any audit row, because the audit checkpoint takes the ledger and then waits for the audit
 * log's writers (seal.service.ts): the one order both follow is ledger first.
 */
export async function lockLedger(trx: Executor): Promise<void> {
  if (isPostgres(trx)) await sql`lock table integrity_ledger in exclusive mode`.execute(trx);
}

async function head(trx: Executor): Promise<LedgerPosition | null> {
  const row = await trx.selectFrom('integrity_ledger').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

async function insertEntry(trx: Executor, prevHash: string, fields: EntryFields): Promise<LedgerPosition> {
  const hash = entryHash(prevHash, fields);
  await trx.insertInto('integrity_ledger').values({
    seq: fields.seq, kind: fields.kind, entity_ref: fields.entityRef, digest: fields.digest, item_count: fields.itemCount, detail: fields.detail,
    sealed_at: fields.sealedAt, prev_hash: prevHash, hash,
  }).execute();
  return { seq: fields.seq, hash };
}

/** Appends one entry sealing `items` (ref → digest) after the head, starting the chain with its genesis entry if need be. Call lockLedger first. */
export async function appendEntry(trx: Executor, entry: { kind: string; entityRef: string; items: Map<string, string>; detail: string | null; sealedAt: number }): Promise<LedgerPosition> {
  const last = (await head(trx)) ?? await insertEntry(trx, ZERO_HASH, { seq: 0, kind: GENESIS_KIND, entityRef: '', digest: GENESIS_DIGEST, itemCount: 0, detail: null, sealedAt: entry.sealedAt });
  const refs = [...entry.items.keys()].sort();
  const position = await insertEntry(trx, last.hash, {
    seq: last.seq + 1, kind: entry.kind, entityRef: entry.entityRef, digest: itemsDigest(refs.map((r) => [r, entry.items.get(r)!] as const)),
    itemCount: refs.length, detail: entry.detail, sealedAt: entry.sealedAt,
  });
  for (let i = 0; i < refs.length; i += 1000) {
    await trx.insertInto('integrity_items').values(refs.slice(i, i + 1000).map((ref) => ({ entry_seq: position.seq, ref, digest: entry.items.get(ref)! }))).execute();
  }
  return position;
}
