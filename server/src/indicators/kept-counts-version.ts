// Which definition of each family of kept counts the database holds. Migrations create the tables
// only; after every migration run the counts whose definition changed (or that were never filled) are
// rebuilt from the records with the code of this version, so that no migration runs feature code that
// a later migration could outdate, and changing a definition is one number here.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { Executor } from '../db/database.ts';
import { rebuildKeptCells, rebuildKeptGridReports } from './kept-cells.ts';
import { rebuildKeptPostSteps } from './kept-post-steps.ts';

/** Bump a family's version when what it counts changes. */
export const KEPT_FAMILIES: Record<string, { version: number; rebuild: (db: Executor) => Promise<void> }> = {
  post_steps: { version: 1, rebuild: rebuildKeptPostSteps },
  cells: { version: 1, rebuild: rebuildKeptCells },
  // 2: per year as well (migration 015).
  grid_reports: { version: 2, rebuild: rebuildKeptGridReports },
};

/** Rebuilds the families whose stored version is not the code's; returns their names. */
export async function refreshKeptCounts(db: Kysely<Database>): Promise<string[]> {
  const rebuilt: string[] = [];
  for (const [family, { version, rebuild }] of Object.entries(KEPT_FAMILIES)) {
    await db.insertInto('kept_counts_state').values({ family, version: 0 }).onConflict((oc) => oc.column('family').doNothing()).execute();
    const done = await db.transaction().execute(async (trx) => {
      // The no-op update takes the row's lock (the write lock on SQLite), so that two processes
      // starting together rebuild once: the second finds the version set when it gets the lock.
      await trx.updateTable('kept_counts_state').set({ version: sql`version` }).where('family', '=', family).execute();
      const row = await trx.selectFrom('kept_counts_state').select('version').where('family', '=', family).executeTakeFirstOrThrow();
      if (row.version === version) return false;
      await rebuild(trx);
      await trx.updateTable('kept_counts_state').set({ version }).where('family', '=', family).execute();
      return true;
    });
    if (done) rebuilt.push(family);
  }
  return rebuilt;
}

/** Rebuilds every family from the records (after a bulk load written straight into the tables, or to repair). */
export async function rebuildKeptCounts(db: Kysely<Database>): Promise<string[]> {
  await db.deleteFrom('kept_counts_state').execute();
  return refreshKeptCounts(db);
}
