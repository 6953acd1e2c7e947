// The integrity check (decision 0017): walks the ledger's chain from its genesis entry, recomputes every
// sealed item from the rows as they are now, compares the photos' bytes with their hashes, and says
// precisely what differs: which entry, which entity, which item, the sealed digest and the one found.
// It only reads. It reads the published runs before the ledger, so that a run published while it runs
// (its seal commits with it) is never taken for an unsealed one.
import type { AttachmentStore } from '../attachments/attachment-store.ts';
import type { Executor } from '../db/database.ts';
import { createHash } from 'node:crypto';
import { digestOf } from './canonical.ts';
import { GENESIS_DIGEST, GENESIS_KIND, ZERO_HASH, entryHash, fieldsOf, itemsDigest, type LedgerPosition } from './ledger.ts';
import { SEALED_KINDS, auditRange, isSealedKind } from './sealed-kinds.ts';

export type ProblemKind =
  | 'genesis' | 'missing_entries' | 'broken_link' | 'entry_hash' | 'items_altered' | 'unknown_kind'
  | 'changed' | 'deleted' | 'inserted' | 'photo' | 'unsealed' | 'inconsistent' | 'anchor';

export interface IntegrityProblem {
  problem: ProblemKind;
  /** The ledger entry (its number), when the problem belongs to one. */
  entry: number | null;
  kind: string | null;
  /** The sealed entity: a run id, an audit id range. */
  entity: string | null;
  entityLabel: string | null;
  /** The item within it: 'final/unit:12', 'finding:7', 'audit:1234', 'photo:3'. */
  item: string | null;
  itemLabel: string | null;
  /** The digest or hash sealed (or that the fields give), and the one found. */
  expected: string | null;
  found: string | null;
  message: string;
}

export interface IntegrityReport {
  ok: boolean;
  head: LedgerPosition | null;
  entries: number;
  /** Sealed items recomputed from the rows, and photo files whose bytes were hashed. */
  items: number;
  photos: number;
  /** Audit rows newer than the last checkpoint: not sealed yet, so not checked. */
  unsealedAuditRows: number;
  /** Entries that sealed a run after its publication (`cityops integrity seal` after an upgrade). */
  lateSeals: { entry: number; entity: string; sealedAt: string }[];
  problems: IntegrityProblem[];
  ms: number;
}

const RUN_KINDS = ['evaluation_result', 'evaluation_evidence'] as const;
const short = (h: string | null) => (h === null ? '—' : `${h.slice(0, 12)}…`);

export async function checkIntegrity(db: Executor, options: { store?: AttachmentStore | null; anchors?: LedgerPosition[] } = {}): Promise<IntegrityReport> {
  const started = performance.now();
  const problems: IntegrityProblem[] = [];
  const add = (p: Partial<IntegrityProblem> & Pick<IntegrityProblem, 'problem' | 'message'>) => problems.push({
    entry: null, kind: null, entity: null, entityLabel: null, item: null, itemLabel: null, expected: null, found: null, ...p,
  });
  const runs = await db.selectFrom('evaluation_runs').select(['id', 'scheme_code', 'period_code', 'version', 'state']).orderBy('id').execute();
  const rows = await db.selectFrom('integrity_ledger').selectAll().orderBy('seq').execute();
  const runLabel = new Map(runs.map((r) => [String(r.id), `run ${r.id} (${r.scheme_code} ${r.period_code} version ${r.version})`]));
  const entityLabel = (kind: string, entity: string) => {
    if (kind === 'audit_log') { const r = auditRange(entity); return r ? `audit rows ${r.from}–${r.to}` : `audit rows ${entity}`; }
    return runLabel.get(entity) ?? `run ${entity} (no longer in the database)`;
  };

  // 1. The chain: genesis first, numbers without gaps, each entry naming its predecessor's hash, each hash from its fields.
  let prev: LedgerPosition | null = null;
  for (const row of rows) {
    const f = fieldsOf(row);
    const at = { entry: f.seq, kind: f.kind, entity: f.entityRef, entityLabel: f.kind === GENESIS_KIND ? 'genesis' : entityLabel(f.kind, f.entityRef) };
    if (prev === null) {
      if (f.seq !== 0 || f.kind !== GENESIS_KIND || row.prev_hash !== ZERO_HASH || f.digest !== GENESIS_DIGEST || f.itemCount !== 0) {
        add({ ...at, problem: 'genesis', message: `the chain does not start with its genesis entry #0 (its first entry is #${f.seq}, ${f.kind}): its beginning was deleted or replaced` });
      }
    } else {
      if (f.seq !== prev.seq + 1) {
        add({ ...at, problem: 'missing_entries', message: `entr${f.seq - prev.seq > 2 ? `ies #${prev.seq + 1}–#${f.seq - 1} are` : `y #${prev.seq + 1} is`} missing between #${prev.seq} and #${f.seq}: deleted` });
      }
      if (row.prev_hash !== prev.hash) {
        add({ ...at, problem: 'broken_link', expected: prev.hash, found: row.prev_hash, message: `entry #${f.seq} does not follow entry #${prev.seq}: it names ${short(row.prev_hash)} as the previous hash, #${prev.seq}'s hash is ${short(prev.hash)} (an entry was inserted, deleted, reordered or edited)` });
      }
    }
    const recomputed = entryHash(row.prev_hash, f);
    if (recomputed !== row.hash) add({ ...at, problem: 'entry_hash', expected: recomputed, found: row.hash, message: `entry #${f.seq}'s fields give the hash ${short(recomputed)}, it holds ${short(row.hash)}: the entry was edited` });
    prev = { seq: f.seq, hash: row.hash };
  }

  // 2. Every entry's items, recomputed from the rows as they are now.
  let items = 0;
  let photos = 0;
  const fileHashes = new Map<string, string>();
  const lateSeals: IntegrityReport['lateSeals'] = [];
  for (const row of rows) {
    const f = fieldsOf(row);
    if (f.kind === GENESIS_KIND) continue;
    const at = { entry: f.seq, kind: f.kind, entity: f.entityRef, entityLabel: entityLabel(f.kind, f.entityRef) };
    if (!isSealedKind(f.kind)) { add({ ...at, problem: 'unknown_kind', message: `entry #${f.seq} seals "${f.kind}", which the app never seals: a forged entry` }); continue; }
    if (sealedLate(f.detail)) lateSeals.push({ entry: f.seq, entity: at.entityLabel, sealedAt: new Date(f.sealedAt).toISOString() });
    const stored = await db.selectFrom('integrity_items').select(['ref', 'digest']).where('entry_seq', '=', f.seq).orderBy('ref').execute();
    const keptDigest = itemsDigest(stored.map((s) => [s.ref, s.digest] as const));
    if (keptDigest !== f.digest || stored.length !== f.itemCount) {
      add({ ...at, problem: 'items_altered', expected: f.digest, found: keptDigest, message: `the ${stored.length} item digests kept for entry #${f.seq} (it sealed ${f.itemCount}) no longer give its digest: the ledger's items were altered` });
    }
    const current = await SEALED_KINDS[f.kind].collect(db, f.entityRef);
    const sealed = new Map(stored.map((s) => [s.ref, s.digest]));
    for (const [ref, digest] of sealed) {
      const item = current.get(ref);
      if (!item) { add({ ...at, problem: 'deleted', item: ref, expected: digest, message: `${at.entityLabel}: ${ref} was sealed in entry #${f.seq} and is gone: deleted` }); continue; }
      items += 1;
      const found = digestOf(item.content);
      if (found !== digest) add({ ...at, problem: 'changed', item: ref, itemLabel: item.label, expected: digest, found, message: `${at.entityLabel}: ${item.label} has changed since entry #${f.seq} sealed it (digest ${short(digest)}, now ${short(found)})` });
    }
    for (const [ref, item] of current) {
      if (!sealed.has(ref)) add({ ...at, problem: 'inserted', item: ref, itemLabel: item.label, found: digestOf(item.content), message: `${at.entityLabel}: ${item.label} was not there when entry #${f.seq} sealed it: inserted` });
    }
    if (!options.store) continue;
    for (const [ref, item] of current) {
      if (!item.file) continue;
      photos += 1;
      const actual = await fileHash(options.store, item.file.storageKey, fileHashes);
      if (actual !== item.file.sha256) {
        add({ ...at, problem: 'photo', item: ref, itemLabel: item.label, expected: item.file.sha256, found: actual, message: `${at.entityLabel}: ${item.label}'s stored file ${actual === 'missing' ? 'is missing' : `hashes to ${short(actual)}, not to its recorded SHA-256 ${short(item.file.sha256)}: its bytes were changed`}` });
      }
    }
  }

  // 3. What should be sealed and is not: a published run without its two entries. Newer audit rows are only counted.
  const sealedRuns = new Set(rows.filter((r) => (RUN_KINDS as readonly string[]).includes(r.kind)).map((r) => `${r.kind}/${r.entity_ref}`));
  for (const run of runs.filter((r) => r.state === 'published' || r.state === 'superseded')) {
    for (const kind of RUN_KINDS) {
      if (!sealedRuns.has(`${kind}/${run.id}`)) add({ problem: 'unsealed', kind, entity: String(run.id), entityLabel: runLabel.get(String(run.id))!, message: `${runLabel.get(String(run.id))} is ${run.state} but has no ${kind} seal (its entry was deleted, or it was published before the ledger existed: \`cityops integrity seal\`)` });
    }
  }
  // A correction supersedes the version before it: two published versions of one month means one was put back.
  const publishedByMonth = new Map<string, typeof runs>();
  for (const run of runs.filter((r) => r.state === 'published')) publishedByMonth.set(`${run.scheme_code} ${run.period_code}`, [...publishedByMonth.get(`${run.scheme_code} ${run.period_code}`) ?? [], run]);
  for (const [month, versions] of publishedByMonth) {
    if (versions.length > 1) add({ problem: 'inconsistent', kind: 'evaluation_result', entity: String(versions[0]!.id), entityLabel: runLabel.get(String(versions[0]!.id))!, message: `${month}: versions ${versions.map((v) => v.version).join(' and ')} (runs ${versions.map((v) => v.id).join(', ')}) are all published; a correction supersedes the version before it, so one was put back` });
  }
  const through = rows.filter((r) => r.kind === 'audit_log').reduce((max, r) => Math.max(max, auditRange(r.entity_ref)?.to ?? 0), 0);
  const unsealed = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', through).executeTakeFirstOrThrow();

  // 4. Hashes kept outside the database (printed on a published ranking): each must still be the entry's.
  for (const anchor of options.anchors ?? []) {
    const row = rows.find((r) => Number(r.seq) === anchor.seq);
    if (!row) add({ problem: 'anchor', entry: anchor.seq, expected: anchor.hash, message: `entry #${anchor.seq}, whose hash ${short(anchor.hash)} was kept outside the database, is not in the ledger` });
    else if (row.hash !== anchor.hash) add({ problem: 'anchor', entry: anchor.seq, kind: row.kind, entity: row.entity_ref, expected: anchor.hash, found: row.hash, message: `entry #${anchor.seq} has the hash ${short(row.hash)}, not ${short(anchor.hash)} as kept outside the database: the chain was rewritten` });
  }

  const last = rows.at(-1);
  return {
    ok: problems.length === 0, head: last ? { seq: Number(last.seq), hash: last.hash } : null, entries: rows.length, items, photos,
    unsealedAuditRows: Number(unsealed.n), lateSeals, problems, ms: Math.round(performance.now() - started),
  };
}

function sealedLate(detail: string | null): boolean {
  try {
    return detail !== null && (JSON.parse(detail) as { late?: unknown }).late === true;
  } catch {
    return false;
  }
}

async function fileHash(store: AttachmentStore, key: string, cache: Map<string, string>): Promise<string> {
  const known = cache.get(key);
  if (known !== undefined) return known;
  let hash = 'missing';
  try {
    const bytes = await store.get(key);
    if (bytes) hash = createHash('sha256').update(bytes).digest('hex');
  } catch {
    // A storage key that is no hash at all names no file.
  }
  cache.set(key, hash);
  return hash;
}

/** The report as an operator reads it. */
export function describeReport(report: IntegrityReport): string {
  const lines = [
    `integrity check: ${report.entries} ledger entries${report.head ? `, head #${report.head.seq} ${report.head.hash}` : ''}`,
    `  ${report.items} sealed items recomputed, ${report.photos} photo files hashed, in ${report.ms} ms; ${report.unsealedAuditRows} audit rows newer than the last checkpoint (not sealed yet)`,
  ];
  for (const late of report.lateSeals) lines.push(`  note: entry #${late.entry} sealed ${late.entity} late, at ${late.sealedAt}`);
  if (report.ok) lines.push('OK: every sealed item is as it was sealed, and the chain is whole');
  else {
    lines.push(`FAILED: ${report.problems.length} difference${report.problems.length > 1 ? 's' : ''}`);
    for (const p of report.problems) {
      lines.push(`  [${p.problem}] ${p.message}`);
      if (p.expected !== null || p.found !== null) lines.push(`      expected ${p.expected ?? '—'}\n      found    ${p.found ?? '—'}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
