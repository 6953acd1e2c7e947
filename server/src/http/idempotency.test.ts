import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeOnBothDatabases } from '../test/databases.ts';
import { HttpError } from './errors.ts';
import { runIdempotent, type StoredResponse } from './idempotency.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describeOnBothDatabases('idempotency keys under racing retries', (database) => {
  test('a retry that loses the race to its own first attempt answers with that attempt\'s answer, not with its own failure', async () => {
    const db = database().db;
    const key = { scope: 'user:1:case.7.accept', key: 'outbox-item-1', hash: 'h1' };
    let effects = 0;
    // The first attempt is still writing (its answer lost on the phone's side) when the retry arrives.
    const first = runIdempotent(db, key, async () => {
      await sleep(150);
      effects++;
      return { status: 200, body: { caseId: 7, toState: 'pending_register', version: 2 } };
    });
    await sleep(20);
    // On PostgreSQL the retry's transaction reads the case before the first commits, so its version check
    // fails once the first has committed: it sees a conflict, as a different client's action would.
    // (On SQLite the transactions take turns: the retry finds the key stored and never runs its effect.)
    const retry = runIdempotent(db, key, async () => {
      await first;
      throw new HttpError(409, 'conflict', 'case was changed by someone else at the same time');
    });
    const [a, b] = await Promise.all([first, retry]) as [StoredResponse, StoredResponse];
    assert.deepEqual(a, { status: 200, body: { caseId: 7, toState: 'pending_register', version: 2 }, replayed: false });
    assert.deepEqual(b, { ...a, replayed: true });
    assert.equal(effects, 1);
  });

  test('the same key with another body racing the first is refused as a reused key (422); a failure with no winner stays that failure', async () => {
    const db = database().db;
    const key = { scope: 'user:1:case.8.accept', key: 'outbox-item-2', hash: 'h1' };
    const first = runIdempotent(db, key, async () => {
      await sleep(150);
      return { status: 200, body: { ok: true } };
    });
    await sleep(20);
    const other = runIdempotent(db, { ...key, hash: 'h2' }, async () => {
      await first;
      throw new HttpError(409, 'conflict', 'changed');
    });
    await first;
    await assert.rejects(other, (e: HttpError) => e.statusCode === 422 && e.code === 'idempotency_key_reused');
    const lonely = runIdempotent(db, { ...key, key: 'outbox-item-3' }, async () => { throw new HttpError(409, 'invalid_state', 'not possible now'); });
    await assert.rejects(lonely, (e: HttpError) => e.statusCode === 409 && e.code === 'invalid_state');
    const kept = await db.selectFrom('idempotency_keys').select('key').where('scope', '=', key.scope).execute();
    assert.deepEqual(kept.map((r) => r.key), ['outbox-item-2'], 'the failed request stored nothing');
  });
});
