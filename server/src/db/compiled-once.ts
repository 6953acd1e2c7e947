// A query of fixed shape compiled once per dialect and then run with new values: the query builder's work
// (building the syntax tree, then the SQL text) is done on the first call only. For the queries every
// request runs (the session lookup), that work cost more than the database's answer (bench intake_http
// profile). The builder is called with stand-in values; each is replaced by the call's own value in
// the compiled parameters, so values are still bound, never spliced into the text.
import { CompiledQuery, type Compilable, type DialectAdapter } from 'kysely';
import type { Executor } from './database.ts';

/** The comment that asks PostgreSQL to prepare a statement once per connection (database.ts). */
export const PREPARED_MARK = '/* prepared */';

class ValueSlot {
  readonly index: number;
  constructor(index: number) { this.index = index; }
}

export class CompiledOnce<V extends readonly unknown[], R> {
  readonly #build: (db: Executor, ...values: V) => Compilable<R>;
  readonly #arity: number;
  readonly #compiled = new WeakMap<DialectAdapter, CompiledQuery<R>>();

  /** `build` must use each of its value arguments only as a bound value (not in an IN list, not as a name). */
  constructor(arity: V['length'], build: (db: Executor, ...values: V) => Compilable<R>) {
    this.#arity = arity;
    this.#build = build;
  }

  async execute(db: Executor, ...values: V): Promise<R[]> {
    const adapter = db.getExecutor().adapter;
    let compiled = this.#compiled.get(adapter);
    if (!compiled) {
      const slots = Array.from({ length: this.#arity }, (_, i) => new ValueSlot(i)) as unknown as V;
      const built = this.#build(db, ...slots).compile();
      // Marked for PostgreSQL to prepare it once per connection (database.ts): its shape is fixed, and so is the
      // plan it deserves (a key lookup), so the generic plan PostgreSQL settles on is the right one.
      compiled = { ...built, sql: `${PREPARED_MARK} ${built.sql}` };
      this.#compiled.set(adapter, compiled);
    }
    const parameters = compiled.parameters.map((p) => (p instanceof ValueSlot ? values[p.index] : p));
    const result = await db.executeQuery<R>({ ...compiled, parameters } as CompiledQuery<R>);
    return result.rows;
  }
}
