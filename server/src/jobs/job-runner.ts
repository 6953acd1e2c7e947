// Runs the scheduled jobs in every app process, each run once across them all: a job's time is cut into
// slots (every `everyMs`), and the process whose INSERT of (job, slot) goes in runs it; the others see
// the key taken and do nothing. No leader, no lock held while working, the same on SQLite and PostgreSQL.
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { JobDefinition } from './jobs.ts';

export interface TickOutcome {
  job: string;
  slot: number;
  /** This process claimed and ran the slot; false: another had it already. */
  ran: boolean;
  error?: string;
}

export const slotOf = (job: Pick<JobDefinition, 'everyMs'>, now: number) => Math.floor(now / job.everyMs) * job.everyMs;

export class JobRunner {
  private readonly db: Kysely<Database>;
  private readonly jobs: readonly JobDefinition[];
  private readonly log: (message: string) => void;
  /** Who ran a slot, as recorded with it. */
  readonly host: string;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> = Promise.resolve();

  constructor(db: Kysely<Database>, jobs: readonly JobDefinition[], options: { host?: string; log?: (message: string) => void } = {}) {
    this.db = db;
    this.jobs = jobs;
    this.host = options.host ?? `${hostname()}:${process.pid}`;
    this.log = options.log ?? (() => {});
  }

  /** Claims and runs every job whose current slot nobody has claimed yet; one job's failure is recorded and the others still run. */
  async tick(now = Date.now()): Promise<TickOutcome[]> {
    const outcomes: TickOutcome[] = [];
    for (const job of this.jobs) {
      const slot = slotOf(job, now);
      const claimed = await this.db.insertInto('job_runs').values({ job: job.name, slot, host: this.host, started_at: now, finished_at: null, result: null, error: null })
        .onConflict((oc) => oc.columns(['job', 'slot']).doNothing()).returning('job').executeTakeFirst();
      if (!claimed) { outcomes.push({ job: job.name, slot, ran: false }); continue; }
      try {
        const result = await job.run(this.db, now);
        await this.db.updateTable('job_runs').set({ finished_at: Date.now(), result: JSON.stringify(result) }).where('job', '=', job.name).where('slot', '=', slot).execute();
        outcomes.push({ job: job.name, slot, ran: true });
      } catch (cause) {
        const error = cause instanceof Error ? cause.message : String(cause);
        await this.db.updateTable('job_runs').set({ finished_at: Date.now(), error }).where('job', '=', job.name).where('slot', '=', slot).execute();
        this.log(`job ${job.name} failed: ${error}`);
        outcomes.push({ job: job.name, slot, ran: true, error });
      }
    }
    return outcomes;
  }

  /** Ticks every `intervalMs` (and soon after start), one tick at a time; the timer does not keep the process alive. */
  start(intervalMs = 60_000, firstAfterMs = 5_000): void {
    const tick = () => { this.running = this.running.then(() => this.tick()).catch((e: unknown) => this.log(`jobs: ${e instanceof Error ? e.message : String(e)}`)); };
    this.timers = [setTimeout(tick, firstAfterMs), setInterval(tick, intervalMs)];
    for (const timer of this.timers) timer.unref();
  }

  /** Stops ticking and waits for a tick under way, before the database closes. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
    await this.running;
  }
}
