// Group commit for reports over HTTP (issue 8): the reports that arrive while a batch is being written
// wait and are written together in the next one, in one transaction with one multi-row statement per
// table (intakeCases). Each request is answered only after its batch has committed, so an acknowledged
// report is as durable as before; what changes is that one commit (one fsync on SQLite, one round of
// statements on PostgreSQL) serves every report that arrived meanwhile. Idempotency keys are checked and
// stored in the batch's transaction. If the batch fails while writing (a reference already imported, a
// key taken by another process at the same instant, a photo already claimed), it is rolled back and its
// reports are taken one at a time, each in its own transaction, so that only the culprit fails.
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '@cityops/domain/access/scope';
import type { Database } from '../db/schema.ts';
import { lookupsOf, onDisk } from '../db/database.ts';
import { HttpError } from '../http/errors.ts';
import { runIdempotent, type StoredResponse } from '../http/idempotency.ts';
import type { AppContext } from '../http/context.ts';
import { workflowDeps } from './case-deps.ts';
import { intakeCase, intakeCases, ReferenceMoved, REPORTS_PER_CHUNK, type IntakeInput } from './case-intake.ts';

export interface IdempotencyClaim { scope: string; key: string; hash: string }

interface Pending {
  actor: Actor;
  input: IntakeInput;
  key: IdempotencyClaim | null;
  resolve: (response: StoredResponse) => void;
  reject: (error: unknown) => void;
}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction may simply be taken again. */
const isConcurrencyFailure = (error: unknown) => ['40P01', '40001'].includes((error as { code?: string }).code ?? '');

/** Reports a batch takes at most (one chunk of intakeCases): a larger backlog is written as several batches. */
const MAX_BATCH = REPORTS_PER_CHUNK;

export class IntakeBatcher {
  readonly #ctx: Pick<AppContext, 'db' | 'calendars' | 'locator' | 'references'>;
  readonly #maxInFlight: number;
  /** Where a batch looks for earlier cases as duplicates, outside its transaction (PostgreSQL's lookup connections). */
  readonly #duplicatesFrom: Kysely<Database> | undefined;
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  /** Batches written and reports in them, for the operations page and the benchmark. */
  readonly stats = { batches: 0, reports: 0, fallbacks: 0 };

  /**
   * `maxInFlight`: batches written at once; one on both databases. SQLite has one connection and one writer,
   * and the next batch starts while the last one's log flush runs (sqlite-dialect.ts). On PostgreSQL a second
   * batch on another connection only waited at the day's counter row: with each batch down to seven statements
   * (bench intake_http, 2026-11-27), one at a time took 1,757–1,804 reports/s and two 1,610–1,759. Taking the
   * numbers outside the batch's transaction did not change that (decision 0014).
   */
  constructor(ctx: Pick<AppContext, 'db' | 'calendars' | 'locator' | 'references'>, maxInFlight = 1) {
    this.#ctx = ctx;
    this.#maxInFlight = maxInFlight;
    this.#duplicatesFrom = lookupsOf(ctx.db as Kysely<Database>) ?? undefined;
  }

  /** Takes one report; resolves with the 201 answer (or the stored answer of a key seen before) once committed. */
  submit(actor: Actor, input: IntakeInput, key: IdempotencyClaim | null): Promise<StoredResponse> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ actor, input, key, resolve, reject });
      this.#schedule();
    });
  }

  /** A batch starts once the requests already read in this turn of the event loop have joined the queue. */
  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight || !this.#queue.length) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#inFlight >= this.#maxInFlight || !this.#queue.length) return;
      this.#inFlight++;
      void this.#write(this.#queue.splice(0, MAX_BATCH)).finally(() => {
        this.#inFlight--;
        this.#schedule();
      });
      // Reports beyond one batch's worth start another batch if one may still start.
      this.#schedule();
    });
  }

  async #write(batch: Pending[], assumeLatest = true, retried = false): Promise<void> {
    const now = Date.now();
    const settled: (() => void)[] = [];
    try {
      await this.#ctx.db.transaction().execute(async (trx) => {
        settled.length = 0;
        const fresh = await this.#replays(trx, batch, settled);
        if (!fresh.length) return;
        // The reference data of the last batch, unread: the day counter's upsert checks it is still current.
        const deps = await workflowDeps(this.#ctx, trx, { assumeLatest });
        const outcomes = await intakeCases(trx, deps, fresh.map((p) => ({ actor: p.actor, input: p.input })), now, { duplicatesFrom: this.#duplicatesFrom });
        const keyRows: Database['idempotency_keys'][] = [];
        for (const [i, p] of fresh.entries()) {
          const outcome = outcomes[i]!;
          if (!outcome.ok) {
            settled.push(() => p.reject(outcome.error));
            continue;
          }
          const response = { status: 201, body: outcome.result };
          if (p.key) keyRows.push({ scope: p.key.scope, key: p.key.key, request_hash: p.key.hash, status: 201, response: JSON.stringify(outcome.result), created_at: now });
          settled.push(() => p.resolve({ ...response, replayed: false }));
        }
        if (keyRows.length) await trx.insertInto('idempotency_keys').values(keyRows).execute();
      });
      this.stats.batches++;
      this.stats.reports += batch.length;
    } catch (error) {
      // The reference changed since the last batch: nothing was written; the batch again, reading it.
      if (error instanceof ReferenceMoved && assumeLatest) return this.#write(batch, false, retried);
      // Batches of two app processes may deadlock over a kept count (PostgreSQL fails one): the batch again, whole.
      if (isConcurrencyFailure(error) && !retried) return this.#write(batch, assumeLatest, true);
      // Rolled back: nothing of the batch is kept. Each report again, alone, in its own transaction.
      this.stats.fallbacks++;
      for (const p of batch) await this.#writeAlone(p);
      return;
    }
    // Replayed answers come from what an earlier batch committed, whose log flush may still run (SQLite).
    if (batch.some((p) => p.key) && settled.length > 0) await onDisk(this.#ctx.db as Kysely<Database>);
    for (const answer of settled) answer();
  }

  /**
   * Answers the reports whose key was seen before (stored, or earlier in this batch) and returns the
   * others. A key reused with a different body is refused, as runIdempotent refuses it.
   */
  async #replays(trx: Transaction<Database>, batch: Pending[], settled: (() => void)[]): Promise<Pending[]> {
    const keyed = batch.filter((p) => p.key);
    if (!keyed.length) return batch;
    const rows = await trx.selectFrom('idempotency_keys').select(['scope', 'key', 'request_hash', 'status', 'response'])
      .where('key', 'in', [...new Set(keyed.map((p) => p.key!.key))]).execute();
    const stored = new Map(rows.map((r) => [`${r.scope}\n${r.key}`, r]));
    const firstInBatch = new Map<string, Pending>();
    const fresh: Pending[] = [];
    for (const p of batch) {
      if (!p.key) { fresh.push(p); continue; }
      const id = `${p.key.scope}\n${p.key.key}`;
      const seen = stored.get(id);
      const reused = () => new HttpError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request', [{ field: 'Idempotency-Key', message: 'reused with a different body' }]);
      if (seen) {
        settled.push(seen.request_hash === p.key.hash ? () => p.resolve({ status: seen.status, body: JSON.parse(seen.response), replayed: true }) : () => p.reject(reused()));
        continue;
      }
      const first = firstInBatch.get(id);
      if (first) {
        // The same key twice in one batch: the second waits for the first's answer, as a retry would.
        if (first.key!.hash !== p.key.hash) { settled.push(() => p.reject(reused())); continue; }
        const { resolve: firstResolve, reject: firstReject } = first;
        first.resolve = (response) => { firstResolve(response); p.resolve({ ...response, replayed: true }); };
        first.reject = (error) => { firstReject(error); p.reject(error); };
        continue;
      }
      firstInBatch.set(id, p);
      fresh.push(p);
    }
    return fresh;
  }

  async #writeAlone(p: Pending): Promise<void> {
    try {
      p.resolve(await runIdempotent(this.#ctx.db as Kysely<Database>, p.key, async (trx) => {
        const out = await intakeCase(trx, await workflowDeps(this.#ctx, trx), p.actor, p.input, Date.now());
        return { status: 201, body: out };
      }));
    } catch (error) {
      p.reject(error);
    }
  }
}
