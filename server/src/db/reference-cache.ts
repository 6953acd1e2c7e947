// What was loaded from the reference tables (catalog, 立结案标准, departments, territory, calendars, stage
// limits, settings), kept while their generation stays (migration 017: triggers move it on every change
// of those tables, whoever writes them). A batch reads the one generation row and takes the rest from
// memory; the first batch after a change loads again. Loads are shared while in flight.
import { CompiledOnce } from './compiled-once.ts';
import type { Executor } from './database.ts';

export interface ReferenceSnapshot {
  readonly generation: number;
  /**
   * Taken from memory without reading the generation (ReferenceCache.assumeLatest): whoever writes with it checks
   * the generation in one of its own statements before its changes count (intake: the day counter's upsert).
   */
  readonly assumed?: true;
  /** The value `load` gives for this generation, loaded at most once per generation and key. */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

const GENERATION = new CompiledOnce(1, (db, id: number) => db.selectFrom('reference_generation').select('n').where('id', '=', id));

export async function referenceGeneration(db: Executor): Promise<number> {
  const [row] = await GENERATION.execute(db, 1);
  if (!row) throw new Error('reference_generation has no row: migration 017 has not run');
  return Number(row.n);
}

export class ReferenceCache {
  #generation = -1;
  #values = new Map<string, Promise<unknown>>();
  #latest: ReferenceSnapshot | null = null;

  /** The last snapshot, marked as assumed (not read now), or null before the first. */
  assumeLatest(): ReferenceSnapshot | null {
    return this.#latest && { generation: this.#latest.generation, get: this.#latest.get, assumed: true };
  }

  /** The reference data as of the generation `db` reads now. */
  async snapshot(db: Executor): Promise<ReferenceSnapshot> {
    const generation = await referenceGeneration(db);
    if (generation !== this.#generation) {
      this.#generation = generation;
      this.#values = new Map();
    }
    const values = this.#values;
    const snapshot: ReferenceSnapshot = {
      generation,
      get: <T>(key: string, load: () => Promise<T>): Promise<T> => {
        let value = values.get(key) as Promise<T> | undefined;
        if (!value) {
          value = load();
          values.set(key, value);
          // A failed load is not kept: the next batch tries again.
          value.catch(() => { if (values.get(key) === value) values.delete(key); });
        }
        return value;
      },
    };
    this.#latest = snapshot;
    return snapshot;
  }
}
