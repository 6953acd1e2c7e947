// The session lookups of the requests read in one turn of the event loop, made as one query: every
// authenticated request looks up its session, and under load on PostgreSQL those lookups were most of the
// app's round trips (bench intake_http: sixteen a batch beside the batch's seven statements). Each request
// still reads the database, as before: nothing is kept between turns, so a session revoked or a user
// disabled is refused from the next request on, whichever process made the change.
import { sql, type Kysely } from 'kysely';
import { CompiledOnce } from '../db/compiled-once.ts';
import { isPostgres, lookupsOf, type Executor } from '../db/database.ts';
import type { Database } from '../db/schema.ts';

/** A session with its user, one row per grant (none: one row with nulls). */
export interface SessionGrantRow {
  token_hash: string;
  id: number;
  expires_at: number;
  revoked_at: number | null;
  last_seen_at: number;
  user_id: number;
  username: string;
  status: string;
  role: string | null;
  department_id: number | null;
  path: string | null;
}

/** Sessions read at once at most; more wait for the next query. */
const MAX_PER_QUERY = 500;

// The hashes travel as one parameter (an array on PostgreSQL, a JSON array on SQLite), so the text is fixed and
// PostgreSQL prepares it once per connection.
const SESSIONS = new CompiledOnce(1, (db, hashes: string[] | string) => {
  const postgres = isPostgres(db);
  return db.selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('user_roles as r', 'r.user_id', 'u.id')
    .leftJoin('territory_nodes as t', 't.id', 'r.territory_node_id')
    .select(['s.token_hash', 's.id', 's.expires_at', 's.revoked_at', 's.last_seen_at', 'u.id as user_id', 'u.username', 'u.status', 'r.role', 'r.department_id', 't.path'])
    .where(postgres ? sql<boolean>`s.token_hash = any(${hashes}::text[])` : sql<boolean>`s.token_hash in (select value from json_each(${hashes}))`);
});

const read = (db: Executor, hashes: string[]) =>
  SESSIONS.execute(db, isPostgres(db) ? hashes : JSON.stringify(hashes)) as Promise<SessionGrantRow[]>;

class SessionLookups {
  readonly #db: Kysely<Database>;
  #waiting = new Map<string, { resolve: (rows: SessionGrantRow[]) => void; reject: (error: unknown) => void }[]>();
  #scheduled = false;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  load(hash: string): Promise<SessionGrantRow[]> {
    return new Promise((resolve, reject) => {
      const list = this.#waiting.get(hash);
      if (list) list.push({ resolve, reject });
      else this.#waiting.set(hash, [{ resolve, reject }]);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => void this.#flush());
      }
    });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const taken = [...this.#waiting].slice(0, MAX_PER_QUERY);
    for (const [hash] of taken) this.#waiting.delete(hash);
    if (this.#waiting.size && !this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => void this.#flush());
    }
    try {
      const rows = await read(this.#db, taken.map(([hash]) => hash));
      const byHash = new Map<string, SessionGrantRow[]>();
      for (const row of rows) {
        const list = byHash.get(row.token_hash);
        if (list) list.push(row);
        else byHash.set(row.token_hash, [row]);
      }
      for (const [hash, waiters] of taken) for (const w of waiters) w.resolve(byHash.get(hash) ?? []);
    } catch (error) {
      for (const [, waiters] of taken) for (const w of waiters) w.reject(error);
    }
  }
}

const lookups = new WeakMap<Kysely<Database>, SessionLookups>();

/** The session's rows (one per grant), read together with the other requests' of this turn. */
export function sessionGrantRows(db: Executor, tokenHash: string): Promise<SessionGrantRow[]> {
  // Inside a transaction the caller's own connection answers (another one could wait for it on SQLite).
  if (db.isTransaction) return read(db, [tokenHash]);
  const root = db as Kysely<Database>;
  let loader = lookups.get(root);
  // PostgreSQL: on the connections that plan the lookup once (lookupsOf).
  if (!loader) lookups.set(root, (loader = new SessionLookups(lookupsOf(root) ?? root)));
  return loader.load(tokenHash);
}
