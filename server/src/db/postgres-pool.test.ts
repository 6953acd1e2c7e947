import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../test/databases.ts';
import { lookupsOf } from './database.ts';

// PostgreSQL only: what a pooled connection ended under the server does (a database restart, pg_terminate_backend).
describe('PostgreSQL pools: an idle connection lost is replaced, not fatal', () => {
  let database: TestDatabase;
  before(async () => { database = await createTestDatabase('postgres'); });
  after(() => database.dispose());

  it('ends the idle connections of both pools from another session; the server goes on and the next queries answer', async () => {
    const { db } = database;
    const lookups = lookupsOf(db)!;
    const pidOf = async (on: typeof db) => Number((await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(on)).rows[0]!.pid);
    const pids = [await pidOf(db), await pidOf(lookups)];
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      // Another connection (not of these pools) ends both sessions while they sit idle in their pools.
      const admin = await createTestDatabase('postgres');
      try {
        for (const pid of pids) await sql`select pg_terminate_backend(${pid})`.execute(admin.db);
      } finally {
        await admin.dispose();
      }
      // The pools hear of it (an 'error' event each); without a listener this process would have ended here.
      for (let i = 0; i < 50 && warnings.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(warnings.filter((w) => /idle PostgreSQL connection was lost/.test(w)).length, 2, warnings.join('; '));
      assert.equal(Number((await sql<{ n: number }>`select 1 as n`.execute(db)).rows[0]!.n), 1);
      assert.equal(Number((await sql<{ n: number }>`select 1 as n`.execute(lookups)).rows[0]!.n), 1);
      assert.ok(!pids.includes(await pidOf(db)), 'a new connection answers');
    } finally {
      process.off('warning', onWarning);
    }
  });
});
