// Sealing (decision 0017): a run's results and their evidence when it is published, in the publishing
// transaction; the audit log by checkpoints that seal the rows written since the last one. The audit log
// itself is written as before (one INSERT, no hash read, no lock), so its writers never queue behind a
// chain head; the price is that rows newer than the last checkpoint (at most an hour) are not yet sealed.
import type { Actor } from '@cityops/domain/access/scope';
import { sql, type Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.ts';
import { isPostgres, type Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { canonical, digestOf } from './canonical.ts';
import { appendEntry, lockLedger, type LedgerPosition } from './ledger.ts';
import { SEALED_KINDS, auditItem, auditRange, type SealedKindName } from './sealed-kinds.ts';

const RUN_KINDS: SealedKindName[] = ['evaluation_result', 'evaluation_evidence'];
/** Rows per audit entry: keeps an entry's items (and a check's memory) bounded after a long pause. */
export const AUDIT_ROWS_PER_ENTRY = 20_000;

async function sealEntity(trx: Executor, kind: SealedKindName, entityRef: string, detail: Record<string, unknown> | null, now: number): Promise<LedgerPosition> {
  const items = await SEALED_KINDS[kind].collect(trx, entityRef);
  const digests = new Map([...items].map(([ref, item]) => [ref, digestOf(item.content)]));
  return appendEntry(trx, { kind, entityRef, items: digests, detail: detail === null ? null : canonical(detail), sealedAt: now });
}

/**
 * Seals a run being published: its results, then their evidence. Called inside the publishing transaction
 * after the run is marked published and before the transaction writes any audit row (lockLedger says why).
 */
export async function sealPublishedRun(trx: Executor, runId: number, now: number, detail: Record<string, unknown> | null = null): Promise<LedgerPosition> {
  await lockLedger(trx);
  let last: LedgerPosition | null = null;
  for (const kind of RUN_KINDS) last = await sealEntity(trx, kind, String(runId), detail, now);
  return last!;
}

/** The ledger entry a published run's figures are sealed under (its evidence, the later of its two), for printing with them. */
export async function sealOfRun(db: Executor, runId: number): Promise<{ entry: number; hash: string } | null> {
  const row = await db.selectFrom('integrity_ledger').select(['seq', 'hash']).where('kind', 'in', RUN_KINDS).where('entity_ref', '=', String(runId))
    .orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? { entry: Number(row.seq), hash: row.hash } : null;
}

async function lastAuditSealed(trx: Executor): Promise<number> {
  const last = await trx.selectFrom('integrity_ledger').select('entity_ref').where('kind', '=', 'audit_log').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return last ? auditRange(last.entity_ref)?.to ?? 0 : 0;
}

export interface AuditCheckpoint {
  entries: number;
  rows: number;
  /** Sealed up to this audit id; null when skipped. */
  through: number | null;
  skipped?: string;
}

/**
 * Seals the audit rows written since the last checkpoint, in entries of consecutive id ranges. On PostgreSQL
 * a row's id is drawn before its transaction commits, so a row with a lower id can still appear after a
 * higher one is visible. So the checkpoint first finds its horizon: it takes the audit log in SHARE mode,
 * which waits for the transactions writing to it to end, reads the highest id, and lets go at once (new
 * writers wait for that read only, not for the hashing); every id up to the horizon is then final. If the
 * wait passes two seconds (a long import is writing), it gives up and the next hour tries again.
 */
export async function checkpointAuditLog(db: Executor, now: number): Promise<AuditCheckpoint> {
  const horizonIn = async (trx: Executor): Promise<number> => {
    await sql`set local lock_timeout = '2s'`.execute(trx);
    await sql`lock table audit_log in share mode`.execute(trx);
    const max = await trx.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('m')).executeTakeFirst();
    return Number(max?.m ?? 0);
  };
  const seal = async (trx: Executor, horizon: number): Promise<AuditCheckpoint> => {
    await lockLedger(trx);
    let through = await lastAuditSealed(trx);
    let entries = 0;
    let rows = 0;
    for (;;) {
      const batch = await trx.selectFrom('audit_log').selectAll().where('id', '>', through).where('id', '<=', horizon).orderBy('id').limit(AUDIT_ROWS_PER_ENTRY).execute();
      if (batch.length === 0) break;
      const to = Number(batch.at(-1)!.id);
      const items = new Map(batch.map((r) => [`audit:${r.id}`, digestOf(auditItem(r).content)]));
      await appendEntry(trx, { kind: 'audit_log', entityRef: `${through + 1}-${to}`, items, detail: null, sealedAt: now });
      entries += 1;
      rows += batch.length;
      through = to;
      if (batch.length < AUDIT_ROWS_PER_ENTRY) break;
    }
    return { entries, rows, through };
  };
  // SQLite has one writer, and a transaction's reads see no one else's uncommitted rows: everything is final.
  if (!isPostgres(db)) return db.isTransaction ? seal(db, Number.MAX_SAFE_INTEGER) : (db as Kysely<Database>).transaction().execute((trx) => seal(trx, Number.MAX_SAFE_INTEGER));
  if (db.isTransaction) return seal(db, await horizonIn(db));
  const root = db as Kysely<Database>;
  let horizon: number;
  try {
    horizon = await root.transaction().execute(horizonIn);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') return { entries: 0, rows: 0, through: null, skipped: 'the audit log was busy (lock timeout); the next checkpoint takes these rows' };
    throw error;
  }
  return root.transaction().execute((trx) => seal(trx, horizon));
}

/**
 * Seals published runs that have no seal: runs published before the ledger existed (after an upgrade).
 * Only the operator does this (`cityops integrity seal`), never the app by itself: a run whose seal was
 * deleted would otherwise be sealed again as it now is. Each such entry says it was sealed late.
 */
export async function sealUnsealedRuns(db: Kysely<Database>, actor: Actor, now: number): Promise<{ runId: number; entry: number }[]> {
  const runs = await db.selectFrom('evaluation_runs').select(['id', 'published_at']).where('state', 'in', ['published', 'superseded']).orderBy('id').execute();
  const sealed = new Set((await db.selectFrom('integrity_ledger').select('entity_ref').where('kind', 'in', RUN_KINDS).execute()).map((r) => r.entity_ref));
  const out: { runId: number; entry: number }[] = [];
  for (const run of runs) {
    if (sealed.has(String(run.id))) continue;
    const position = await db.transaction().execute(async (trx) => {
      const sealed = await sealPublishedRun(trx, run.id, now, { late: true, publishedAt: run.published_at });
      await recordAudit(trx, actor, 'integrity.seal_late', { type: 'evaluation_run', ref: run.id }, { entry: sealed.seq, publishedAt: run.published_at }, now);
      return sealed;
    });
    out.push({ runId: run.id, entry: position.seq });
  }
  return out;
}
