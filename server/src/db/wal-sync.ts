// Group commit at the storage level for SQLite (decision 0014). With synchronous=FULL, SQLite fsyncs the
// write-ahead log inside every COMMIT, on the server's only thread: a third of a busy intake's time was
// spent waiting there with nothing else running. Instead the connection commits with synchronous=NORMAL
// (the frames reach the log file, not yet the disk) and the commit's caller awaits `sync()`, an fdatasync
// of the log run on libuv's thread pool. The event loop keeps parsing requests meanwhile, and one fsync
// covers every commit made before it started, so a burst pays one disk flush, not one per transaction.
// What a caller is told is committed is on disk, as with FULL: SQLite recovers every log frame of a
// complete transaction that reached the disk, and NORMAL only differs from FULL in that missing fsync.
import { open, type FileHandle } from 'node:fs/promises';

export class WalSync {
  readonly #walPath: string;
  #file: Promise<FileHandle> | null = null;
  /** The flush running now: it covers only what was written before it started. */
  #running: Promise<void> | null = null;
  /** The flush that will start when the running one ends, shared by everyone who committed meanwhile. */
  #next: Promise<void> | null = null;
  /** Flushes done, for tests and the operations page. */
  flushes = 0;

  constructor(databasePath: string) {
    this.#walPath = `${databasePath}-wal`;
  }

  /** Resolves once everything committed before the call is on disk. */
  sync(): Promise<void> {
    if (!this.#running) return (this.#running = this.#flush());
    this.#next ??= this.#running.then(
      () => this.#startNext(),
      () => this.#startNext(),
    );
    return this.#next;
  }

  async close(): Promise<void> {
    await this.#next?.catch(() => undefined);
    await this.#running?.catch(() => undefined);
    const file = this.#file;
    this.#file = null;
    if (file) await (await file).close();
  }

  #startNext(): Promise<void> {
    this.#next = null;
    return (this.#running = this.#flush());
  }

  async #flush(): Promise<void> {
    try {
      // The log exists once anything was committed, and SQLite keeps that file (it rewinds it, never
      // replaces it) while our connection is open.
      this.#file ??= open(this.#walPath, 'r');
      await (await this.#file).datasync();
      this.flushes++;
    } catch (error) {
      this.#file = null;
      throw error;
    } finally {
      this.#running = null;
    }
  }
}
