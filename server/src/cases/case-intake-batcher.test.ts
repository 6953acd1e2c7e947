import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Actor } from '@cityops/domain/access/scope';
import { ValidationError } from '@cityops/domain/errors';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { HttpError } from '../http/errors.ts';
import { idempotencyScope, requestHash } from '../http/idempotency.ts';
import { intakeCases, REPORTS_PER_CHUNK, type IntakeInput } from './case-intake.ts';
import { workflowDeps } from './case-deps.ts';
import { setUpCaseWorld, type CaseWorld } from './cases.test-support.ts';

describeOnBothDatabases('intake in batches (group commit)', (database) => {
  let client: TestClient;
  let w: CaseWorld;
  let inspector: Actor;
  let acceptor: Actor;
  before(async () => {
    client = await buildTestApp(database());
    w = await setUpCaseWorld(client);
    inspector = await w.actor(w.tokens.inspector);
    acceptor = await w.actor(w.tokens.acceptor);
  });
  after(() => client.close());

  const db = () => client.database.db;
  const intake = () => client.context.intake;
  const garbage = (lon: number, lat: number, extra: Partial<IntakeInput> = {}): IntakeInput => ({ source: 'inspector', classCode: '06010', description: '暴露垃圾', lon, lat, ...extra });
  const settle = <T>(promises: Promise<T>[]) => Promise.allSettled(promises);
  const reportedKept = async () => Number((await db().selectFrom('kept_cells').select((eb) => eb.fn.sum<number | string>('reported').as('n')).executeTakeFirst())?.n ?? 0);

  test('reports arriving together are written in one batch: consecutive numbers, one event each, counted once; one outside the city is refused alone', async () => {
    const before = { ...intake().stats };
    const keptBefore = await reportedKept();
    const inputs = Array.from({ length: 12 }, (_, i) => garbage(118.8001 + i * 0.00005, 32.0002));
    inputs[5] = garbage(100, 20); // far outside every grid
    const results = await settle(inputs.map((input) => intake().submit(inspector, input, null)));
    assert.equal(intake().stats.batches - before.batches, 1, 'one batch for twelve reports submitted in the same turn');
    assert.equal(intake().stats.fallbacks, before.fallbacks);
    const refused = results[5]!;
    assert.equal(refused.status, 'rejected');
    assert.ok((refused as PromiseRejectedResult).reason instanceof ValidationError);
    assert.deepEqual(((refused as PromiseRejectedResult).reason as ValidationError).issues.map((i) => i.field), ['location']);
    const answers = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ status: number; body: { caseId: number; code: string } }>).value);
    assert.equal(answers.length, 11);
    assert.ok(answers.every((a) => a.status === 201));
    const numbers = answers.map((a) => Number(a.body.code.slice(8))).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 11 }, (_, i) => numbers[0]! + i), 'the day counter advanced by eleven, no gaps');
    const ids = answers.map((a) => a.body.caseId);
    const events = await db().selectFrom('case_events').select(['case_id', 'seq', 'action']).where('case_id', 'in', ids).execute();
    assert.equal(events.length, 11);
    assert.ok(events.every((e) => e.seq === 1 && e.action === 'report'));
    const reporters = await db().selectFrom('case_reporters').select('user_id').where('case_id', 'in', ids).execute();
    assert.deepEqual(new Set(reporters.map((r) => r.user_id)), new Set([inspector.id]));
    assert.equal(await reportedKept(), keptBefore + 11);
  });

  test('a report near an earlier one of the same batch, same class, is flagged as its possible duplicate', async () => {
    const [a, b, c] = await Promise.all([
      intake().submit(inspector, garbage(118.8015, 32.0015, { classCode: '01001' }), null),
      intake().submit(inspector, garbage(118.8016, 32.0016, { classCode: '01001' }), null),
      intake().submit(inspector, garbage(118.8015, 32.0015), null),
    ]);
    const body = (r: typeof a) => r.body as { caseId: number; code: string; duplicateCandidates: { caseId: number; code: string; distanceM: number }[] };
    assert.deepEqual(body(a).duplicateCandidates, []);
    assert.deepEqual(body(b).duplicateCandidates.map((d) => d.code), [body(a).code]);
    assert.ok(body(b).duplicateCandidates[0]!.distanceM > 10 && body(b).duplicateCandidates[0]!.distanceM < 20, `${body(b).duplicateCandidates[0]!.distanceM} m`);
    assert.deepEqual(body(c).duplicateCandidates, [], 'another class at the same spot is not a duplicate');
    const flagged = await db().selectFrom('cases').select(['id', 'duplicate_flag']).where('id', 'in', [body(a).caseId, body(b).caseId]).orderBy('id').execute();
    assert.deepEqual(flagged.map((r) => r.duplicate_flag), [0, 1]);
    const stored = await db().selectFrom('case_duplicate_candidates').select(['candidate_id']).where('case_id', '=', body(b).caseId).execute();
    assert.deepEqual(stored.map((r) => r.candidate_id), [body(a).caseId]);
  });

  test('a spot reported 25 times: the next report lists the first 20 of them by id, and reports of other places none of them', async () => {
    // Class 01001 in grid 002's north-east corner, apart from the other tests' reports; each earlier report its own batch.
    const spot = (i: number) => garbage(118.8019 - (i % 5) * 0.00001, 32.0009 - Math.floor(i / 5) * 0.00001, { classCode: '01001' });
    const earlier: number[] = [];
    for (let i = 0; i < 25; i++) earlier.push(((await intake().submit(inspector, spot(i), null)).body as { caseId: number }).caseId);
    const [next, elsewhere] = await Promise.all([intake().submit(inspector, spot(0), null), intake().submit(inspector, garbage(118.8001, 32.0001, { classCode: '01001' }), null)]);
    const candidates = (r: typeof next) => (r.body as { duplicateCandidates: { caseId: number }[] }).duplicateCandidates.map((d) => d.caseId);
    assert.deepEqual(candidates(next), earlier.slice(0, 20));
    assert.deepEqual(candidates(elsewhere), []);
  });

  test('one Idempotency-Key twice in a batch makes one case; the second answer and a later retry replay the first; another body under it is refused', async () => {
    const input = garbage(118.8003, 32.0007);
    const key = { scope: idempotencyScope(inspector, 'case.intake'), key: 'phone-report-1', hash: requestHash(input) };
    const casesBefore = Number((await db().selectFrom('cases').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
    const [first, second] = await Promise.all([intake().submit(inspector, input, key), intake().submit(inspector, input, key)]);
    assert.deepEqual([first.replayed, second.replayed], [false, true]);
    assert.deepEqual(second.body, first.body);
    const later = await intake().submit(inspector, input, key);
    assert.equal(later.replayed, true);
    assert.deepEqual(later.body, first.body);
    const other = garbage(118.8004, 32.0007);
    await assert.rejects(intake().submit(inspector, other, { ...key, hash: requestHash(other) }), (e: unknown) => e instanceof HttpError && e.code === 'idempotency_key_reused');
    const casesAfter = Number((await db().selectFrom('cases').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(casesAfter, casesBefore + 1);
  });

  test('a work order imported twice in one batch: the batch is rolled back and retaken one report at a time, so only the repeat fails (409 naming externalRef)', async () => {
    const before = { ...intake().stats };
    const order = (lon: number) => garbage(lon, 32.0003, { source: 'hotline_12345', externalRef: 'WO-2026-0001' });
    const plain = garbage(118.8008, 32.0003, { source: 'hotline_12345' });
    const results = await settle([intake().submit(acceptor, order(118.8001), null), intake().submit(acceptor, plain, null), intake().submit(acceptor, order(118.8002), null)]);
    assert.equal(intake().stats.fallbacks - before.fallbacks, 1);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected']);
    const error = (results[2] as PromiseRejectedResult).reason as HttpError;
    assert.equal(error.code, 'duplicate_external_ref');
    assert.deepEqual(error.issues?.map((f) => f.field), ['externalRef']);
    const stored = await db().selectFrom('cases').select(['external_ref', 'lon']).where('external_ref', '=', 'WO-2026-0001').execute();
    assert.deepEqual(stored.map((r) => r.lon), [118.8001]);
  });

  test('concurrent POST /api/cases: every report answered 201 with its own number', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => client.request('POST', '/api/cases', {
      token: w.tokens.inspector, body: { source: 'inspector', classCode: '06010', description: `并发上报 ${i}`, location: { lon: 118.8002 + i * 0.00003, lat: 32.0009 } },
    })));
    assert.deepEqual(responses.map((r) => r.statusCode), Array(20).fill(201));
    assert.equal(new Set(responses.map((r) => r.json().code)).size, 20);
    const stored = await db().selectFrom('cases').select('description').where('description', 'like', '并发上报%').execute();
    assert.equal(stored.length, 20);
  });

  test('a call with more reports than one chunk (a 12345 file) writes them all, numbered in order; a repeat across the chunk boundary is found', async () => {
    const deps = await workflowDeps(client.context, db());
    const n = REPORTS_PER_CHUNK + 50;
    const items = Array.from({ length: n }, (_, i) => ({ actor: acceptor, input: garbage(118.8001 + (i % 100) * 0.00000001, 32.00095 + Math.floor(i / 100) * 0.0001, { source: 'hotline_12345', classCode: '01001' }) }));
    // The last report of the first chunk and the first of the second: another class, at a spot no other report of it is near.
    const repeat = garbage(118.8019, 32.0001, { source: 'hotline_12345' });
    items[REPORTS_PER_CHUNK - 1] = { actor: acceptor, input: repeat };
    items[REPORTS_PER_CHUNK] = { actor: acceptor, input: { ...repeat } };
    const outcomes = await db().transaction().execute((trx) => intakeCases(trx, deps, items, Date.now()));
    assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => String((o as { error: Error }).error)), []);
    const results = outcomes.map((o) => (o as { ok: true; result: { caseId: number; code: string; duplicateCandidates: { code: string }[] } }).result);
    const numbers = results.map((r) => Number(r.code.slice(8)));
    assert.deepEqual(numbers, Array.from({ length: n }, (_, i) => numbers[0]! + i));
    assert.ok(results[REPORTS_PER_CHUNK]!.duplicateCandidates.some((d) => d.code === results[REPORTS_PER_CHUNK - 1]!.code));
  });

  test('a batch taken with the last batch\'s reference data finds a change made since and is taken again with the new data', async () => {
    const first = await intake().submit(inspector, garbage(118.8003, 32.0013), null);
    assert.equal(first.status, 201);
    const before = { ...intake().stats };
    // The 立结案标准 of 06010 now gives 6 working hours instead of 4 (another writer; the batcher's cache still holds 4).
    await db().updateTable('case_standards').set({ limit_value: 6 }).where('class_id', 'in', (eb) => eb.selectFrom('catalog_classes').select('id').where('code', '=', '06010')).execute();
    const second = await intake().submit(inspector, garbage(118.8013, 32.0013), null);
    assert.equal(second.status, 201);
    const row = await db().selectFrom('cases').select(['limit_value']).where('id', '=', (second.body as { caseId: number }).caseId).executeTakeFirstOrThrow();
    assert.equal(row.limit_value, 6, 'the case takes the standard as it is now');
    assert.equal(intake().stats.batches - before.batches, 1);
    assert.equal(intake().stats.fallbacks, before.fallbacks, 'taken again as a batch, not one by one');
    await db().updateTable('case_standards').set({ limit_value: 4 }).where('class_id', 'in', (eb) => eb.selectFrom('catalog_classes').select('id').where('code', '=', '06010')).execute();
  });
});
