import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Kysely, sql } from 'kysely';
import { PipelinedBeginPostgresDialect } from './postgres-pipelined-begin.ts';

/**
 * A stand-in for node-postgres's pool with one client that answers each query when told to, and records the order
 * in which queries were sent and answered.
 */
function scriptedPool(fail: (text: string) => Error | null) {
  const sent: string[] = [];
  const waiting: { text: string; answer: () => void }[] = [];
  const client = {
    query(text: string) {
      sent.push(text);
      return new Promise((resolve, reject) => {
        waiting.push({
          text,
          answer: () => {
            const error = fail(text);
            if (error) reject(error);
            else resolve({ command: text.toUpperCase().split(' ')[0], rowCount: 1, rows: text.startsWith('select') ? [{ n: 1 }] : [] });
          },
        });
      });
    },
    release() {},
  };
  const pool = { connect: async () => client, end: async () => {}, options: {} };
  /** Answers the queries sent so far, in order, and lets their continuations run. */
  const answerAll = async () => {
    while (waiting.length) {
      waiting.shift()!.answer();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  /** Answers every query, as they come, until the promise settles. */
  const settle = async <T>(promise: Promise<T>): Promise<T> => {
    let settled = false;
    const watched = promise.finally(() => { settled = true; });
    watched.catch(() => {});
    for (let turns = 0; !settled && turns < 100; turns++) await answerAll().then(() => new Promise((resolve) => setImmediate(resolve)));
    return watched;
  };
  return { pool, sent, waiting, answerAll, settle };
}

describe('PostgreSQL transactions with a pipelined BEGIN', () => {
  test('the first statement is sent before the BEGIN is answered, and the transaction commits after both', async () => {
    const script = scriptedPool(() => null);
    const db = new Kysely<any>({ dialect: new PipelinedBeginPostgresDialect({ pool: script.pool as never }) });
    const done = db.transaction().execute(async (trx) => (await sql<{ n: number }>`select 1 as n`.execute(trx)).rows[0]!.n);
    // Let the transaction send what it can without any answer.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(script.sent, ['begin', 'select 1 as n'], 'the select was queued behind the unanswered BEGIN');
    assert.equal(await script.settle(done), 1);
    assert.deepEqual(script.sent, ['begin', 'select 1 as n', 'commit']);
  });

  test('a BEGIN that fails fails the transaction with its error, which is rolled back', async () => {
    const script = scriptedPool((text) => (text === 'begin' ? new Error('BEGIN refused') : null));
    const db = new Kysely<any>({ dialect: new PipelinedBeginPostgresDialect({ pool: script.pool as never }) });
    const done = db.transaction().execute(async (trx) => { await sql`insert into t values (1)`.execute(trx); });
    await assert.rejects(script.settle(done), /BEGIN refused/);
    assert.deepEqual(script.sent, ['begin', 'insert into t values (1)', 'rollback']);
  });

  test('a transaction with a chosen isolation level waits for its START TRANSACTION as before', async () => {
    const script = scriptedPool(() => null);
    const db = new Kysely<any>({ dialect: new PipelinedBeginPostgresDialect({ pool: script.pool as never }) });
    const done = db.transaction().setIsolationLevel('serializable').execute(async (trx) => { await sql`select 1 as n`.execute(trx); });
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(script.sent, ['start transaction isolation level serializable']);
    await script.settle(done);
    assert.deepEqual(script.sent, ['start transaction isolation level serializable', 'select 1 as n', 'commit']);
  });
});
