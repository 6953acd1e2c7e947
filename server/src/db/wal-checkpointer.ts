// Checkpoints of a SQLite write-ahead log, off the event loop (decision 0020). By itself SQLite checkpoints
// inside the COMMIT that takes the log past 1,000 pages: it copies the log's pages into the database file and
// fsyncs it, on the committing connection's thread. node:sqlite runs on the server's only thread, so under a
// busy intake one commit in ten stopped every request for 3 to 19 ms (bench intake_http, 2026-11-28). Here the
// server's connection never checkpoints (`wal_autocheckpoint = 0`); a worker thread with its own connection
// runs PASSIVE checkpoints after commits. A passive checkpoint takes no lock that the server's reads or writes
// wait for: it copies the pages no reader still needs, and the next writer to find the whole log copied
// rewinds it to the start.
import { Worker } from 'node:worker_threads';

/**
 * The worker's code, given as text so that the server compiled into one bundle (decision 0015) needs no second
 * entry; it uses nothing but node:sqlite. A RESTART checkpoint waits (the busy timeout) for readers to leave
 * the log and makes the next writer rewind it; it is asked for only when passive ones let the log grow long.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout = 200');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
parentPort.on('message', (mode) => {
  if (mode === 'close') { db.close(); parentPort.close(); return; }
  try {
    const result = (mode === 'restart' ? restart : passive).get();
    parentPort.postMessage({ log: result.log, checkpointed: result.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String((error && error.message) || error) });
  }
});
`;

/**
 * After the log was rewound, the next checkpoint waits this long, so that a page written by many commits in a row
 * (the right edge of an index, a day's counter) is copied once rather than after every commit.
 */
const REST_AFTER_REWIND_MS = 100;
/** A log this long (pages of 4 KB: 200 MB) has not been rewound under a steady load: the next checkpoint restarts it. */
const LONG_LOG_PAGES = 50_000;
/**
 * A checkpoint asked for this long ago and not answered: the process's event loop is not turning (a long job that
 * commits transaction after transaction without ever waiting on I/O, as a data set's build or a bulk import on
 * SQLite with NORMAL durability does), so the worker's answers are not read and no further checkpoint is asked
 * for. The server's connection then checkpoints by itself, as SQLite does by default, until the worker is heard
 * from again. Without this a 50-minute build grew its log to 19.6 GB and never copied it (bench, 2026-11-28).
 */
const OVERDUE_MS = 1_000;

export interface CheckpointStats {
  /** Checkpoints run. */
  runs: number;
  /** The log's length in pages at the last checkpoint, and how many of them were copied into the database. */
  lastLog: number;
  lastCheckpointed: number;
  /** The last checkpoint's failure, if it failed (it is tried again after the next commit). */
  lastError: string | null;
  /** Times the server's connection checkpointed by itself because the worker went unheard (see OVERDUE_MS). */
  selfCheckpointingSpells: number;
}

type CheckpointResult = { log: number; checkpointed: number } | { error: string };

/** How the server's own connection checkpoints: by itself in its commits (SQLite's default), or never. */
export type SelfCheckpointing = (on: boolean) => void;

export class WalCheckpointer {
  readonly #path: string;
  readonly #setSelfCheckpointing: SelfCheckpointing;
  #worker: Worker | null = null;
  /** A checkpoint is running or waiting to start, since `#busySince`. */
  #busy = false;
  #busySince = 0;
  /** The server's connection checkpoints by itself meanwhile (the worker went unheard for too long). */
  #selfCheckpointing = false;
  /** A commit came while a checkpoint was busy: run another after it. */
  #again = false;
  #closing: Promise<void> | null = null;
  #rewoundAt = -Infinity;
  #settled: (() => void)[] = [];
  readonly stats: CheckpointStats = { runs: 0, lastLog: 0, lastCheckpointed: 0, lastError: null, selfCheckpointingSpells: 0 };

  /**
   * `selfCheckpointing(true)`: the worker could not run, or went unheard for OVERDUE_MS; the server's connection
   * must checkpoint by itself. `selfCheckpointing(false)`: the worker is heard again; it must stop.
   */
  constructor(databasePath: string, selfCheckpointing: SelfCheckpointing) {
    this.#path = databasePath;
    this.#setSelfCheckpointing = selfCheckpointing;
  }

  /** Something was committed: checkpoint soon. One checkpoint runs at a time and covers every commit before it. */
  nudge(): void {
    if (this.#closing) return;
    if (this.#busy) {
      this.#again = true;
      if (!this.#selfCheckpointing && performance.now() - this.#busySince > OVERDUE_MS) {
        this.#selfCheckpointing = true;
        this.stats.selfCheckpointingSpells++;
        this.#setSelfCheckpointing(true);
      }
      return;
    }
    this.#busy = true;
    this.#busySince = performance.now();
    const wait = this.#rewoundAt + REST_AFTER_REWIND_MS - performance.now();
    if (wait > 0) setTimeout(() => this.#run(), wait).unref();
    else this.#run();
  }

  /** Resolves when no checkpoint runs or waits (for tests). */
  settled(): Promise<void> {
    if (!this.#busy) return Promise.resolve();
    return new Promise((resolve) => this.#settled.push(resolve));
  }

  /** Stops the worker; its connection closes first, so that the server's own close may checkpoint and remove the log. */
  close(): Promise<void> {
    if (this.#closing) return this.#closing;
    const worker = this.#worker;
    this.#worker = null;
    this.#closing = worker
      ? new Promise<void>((resolve) => {
        // Waited for: the worker no longer lets the process end without it.
        worker.ref();
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      })
      : Promise.resolve();
    return this.#closing;
  }

  #run(): void {
    if (this.#closing) return this.#idle();
    const worker = this.#worker ?? this.#start();
    worker.postMessage(this.stats.lastLog >= LONG_LOG_PAGES ? 'restart' : 'passive');
  }

  #start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: this.#path } });
    // The worker must not keep alive a process that has nothing else to do.
    worker.unref();
    worker.on('message', (result: CheckpointResult) => this.#done(result));
    worker.on('error', (error: unknown) => this.#fail(error instanceof Error ? error.message : String(error)));
    worker.on('exit', () => {
      if (!this.#closing) this.#fail('the checkpoint worker stopped');
    });
    this.#worker = worker;
    return worker;
  }

  #done(result: CheckpointResult): void {
    this.stats.runs++;
    if (this.#selfCheckpointing) {
      this.#selfCheckpointing = false;
      this.#setSelfCheckpointing(false);
    }
    if ('error' in result) this.stats.lastError = result.error;
    else {
      // A shorter log than last time: a writer has rewound it since.
      if (result.log < this.stats.lastLog) this.#rewoundAt = performance.now();
      this.stats.lastLog = result.log;
      this.stats.lastCheckpointed = result.checkpointed;
      this.stats.lastError = null;
    }
    if (this.#again) {
      this.#again = false;
      this.#busy = false;
      this.nudge();
    } else this.#idle();
  }

  #fail(message: string): void {
    this.stats.lastError = message;
    this.#closing ??= Promise.resolve();
    this.#worker = null;
    this.#idle();
    this.#selfCheckpointing = true;
    this.#setSelfCheckpointing(true);
  }

  #idle(): void {
    this.#busy = false;
    for (const resolve of this.#settled.splice(0)) resolve();
  }
}
