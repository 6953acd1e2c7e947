import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { cliActor, recordAudit } from '../audit/audit.ts';
import { describeOnBothDatabases, type TestDatabase } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import type { Executor } from '../db/database.ts';
import { checkIntegrity, type IntegrityProblem } from './check.service.ts';
import { DIFFERENCES_EXIT_CODE, runIntegrityCheck, runIntegritySeal } from './integrity-commands.ts';
import { entryHash, itemsDigest } from './ledger.ts';
import { checkpointAuditLog } from './seal.service.ts';
import { publishCorrectedMonth, raw, tampered, withoutAppendOnlyTriggers, type PublishedMonth } from './integrity.test-support.ts';

const named = (problems: IntegrityProblem[]) => problems.map((p) => [p.problem, p.entry, p.kind, p.entity, p.item]);
const repoRoot = new URL('../../../', import.meta.url).pathname;

describeOnBothDatabases('tamper evidence: the ledger itself, its anchors, concurrent sealing, the CLI', (database) => {
  let client: TestClient;
  let month: PublishedMonth;
  const ledgerRow = (seq: number) => client.database.db.selectFrom('integrity_ledger').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();

  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    month = await publishCorrectedMonth(client);
  });
  after(() => client.close());

  test('the ledger refuses updates and deletes: rewriting it takes dropping its triggers first', async () => {
    const db = client.database.db;
    await assert.rejects(raw(db, `update integrity_ledger set hash = '${'f'.repeat(64)}' where seq = 1`), /append-only/);
    await assert.rejects(raw(db, 'delete from integrity_items where entry_seq = 1'), /append-only/);
    assert.ok((await checkIntegrity(db, { store: client.attachments })).ok);
  });

  test('a deleted ledger entry: the gap, the broken link after it and the run left without its evidence seal are named', async () => {
    const db = client.database.db;
    const removed = await ledgerRow(2);
    const report = await withoutAppendOnlyTriggers(db, () => tampered(client,
      (x) => x.deleteFrom('integrity_ledger').where('seq', '=', 2).execute(),
      (x) => x.insertInto('integrity_ledger').values(removed).execute()));
    assert.deepEqual(named(report.problems), [
      ['missing_entries', 3, 'evaluation_result', String(month.v2), null],
      ['broken_link', 3, 'evaluation_result', String(month.v2), null],
      ['unsealed', null, 'evaluation_evidence', String(month.v1), null],
    ]);
    assert.match(report.problems[0]!.message, /entry #2 is missing between #1 and #3: deleted/);
    assert.deepEqual([report.problems[1]!.expected, report.problems[1]!.found], [(await ledgerRow(1)).hash, removed.hash]);
    assert.ok((await checkIntegrity(db, { store: client.attachments })).ok);
  });

  test('a ledger entry whose hash was edited: its own hash and the link of the next entry are named', async () => {
    const db = client.database.db;
    const row = await ledgerRow(3);
    const forged = 'a'.repeat(64);
    const report = await withoutAppendOnlyTriggers(db, () => tampered(client,
      (x) => raw(x, `update integrity_ledger set hash = '${forged}' where seq = 3`),
      (x) => raw(x, `update integrity_ledger set hash = '${row.hash}' where seq = 3`)));
    assert.deepEqual(named(report.problems), [
      ['entry_hash', 3, 'evaluation_result', String(month.v2), null],
      ['broken_link', 4, 'evaluation_evidence', String(month.v2), null],
    ]);
    assert.deepEqual([report.problems[0]!.expected, report.problems[0]!.found], [row.hash, forged]);
  });

  test('a sealed digest rewritten to cover a changed score: the entry no longer gives its hash; the items table rewritten too: named as well', async () => {
    const db = client.database.db;
    const row = await ledgerRow(1);
    const report = await withoutAppendOnlyTriggers(db, () => tampered(client,
      (x) => raw(x, `update integrity_ledger set digest = '${'b'.repeat(64)}' where seq = 1`),
      (x) => raw(x, `update integrity_ledger set digest = '${row.digest}' where seq = 1`)));
    assert.deepEqual(named(report.problems), [['entry_hash', 1, 'evaluation_result', String(month.v1), null], ['items_altered', 1, 'evaluation_result', String(month.v1), null]]);
    const original = (await db.selectFrom('integrity_items').select('digest').where('entry_seq', '=', 1).where('ref', '=', 'run').executeTakeFirstOrThrow()).digest;
    const items = await withoutAppendOnlyTriggers(db, () => tampered(client,
      (x) => raw(x, `update integrity_items set digest = '${'c'.repeat(64)}' where entry_seq = 1 and ref = 'run'`),
      (x) => raw(x, `update integrity_items set digest = '${original}' where entry_seq = 1 and ref = 'run'`)));
    assert.deepEqual(named(items.problems), [['items_altered', 1, 'evaluation_result', String(month.v1), null], ['changed', 1, 'evaluation_result', String(month.v1), 'run']]);
    assert.ok((await checkIntegrity(db, { store: client.attachments })).ok);
  });

  test('two entries swapped, and an entry forged into the middle with a correct link: each breaks the chain where it stands', async () => {
    const db = client.database.db;
    // One row at a time: the key is checked after each.
    const swap = async (x: Executor) => {
      for (const [from, to] of [[3, -1], [4, 3], [-1, 4]]) await raw(x, `update integrity_ledger set seq = ${to} where seq = ${from}`);
    };
    const swapped = await withoutAppendOnlyTriggers(db, () => tampered(client, swap, swap));
    // Entry #3 is now version 2's evidence, which names #3's old hash; #4 names #2's, and #5 names the old #4's.
    assert.deepEqual(swapped.problems.filter((p) => p.problem === 'broken_link').map((p) => [p.problem, p.entry]), [['broken_link', 3], ['broken_link', 4], ['broken_link', 5]]);
    assert.ok(swapped.problems.some((p) => p.problem === 'entry_hash' && p.entry === 3), 'its sequence number is one of the fields hashed');

    // The forger computes a proper hash after #4 and pushes the audit entry to #6, but cannot re-link #6 without rewriting everything after.
    const four = await ledgerRow(4);
    const head = await ledgerRow(5);
    const fields = { seq: 5, kind: 'audit_log', entityRef: '1-0', digest: itemsDigest([]), itemCount: 0, detail: null, sealedAt: Number(head.sealed_at) };
    const inserted = await withoutAppendOnlyTriggers(db, () => tampered(client,
      async (x) => {
        await raw(x, 'update integrity_ledger set seq = 6 where seq = 5');
        await raw(x, 'update integrity_items set entry_seq = 6 where entry_seq = 5');
        await x.insertInto('integrity_ledger').values({ seq: 5, kind: fields.kind, entity_ref: fields.entityRef, digest: fields.digest, item_count: 0, detail: null, sealed_at: fields.sealedAt, prev_hash: four.hash, hash: entryHash(four.hash, fields) }).execute();
      },
      async (x) => {
        await x.deleteFrom('integrity_ledger').where('seq', '=', 5).execute();
        await raw(x, 'update integrity_ledger set seq = 5 where seq = 6');
        await raw(x, 'update integrity_items set entry_seq = 5 where entry_seq = 6');
      }));
    assert.deepEqual(named(inserted.problems).filter((p) => p[0] !== 'entry_hash'), [['broken_link', 6, 'audit_log', head.entity_ref, null]]);
    assert.ok((await checkIntegrity(db, { store: client.attachments })).ok);
  });

  test('the hash printed on the published ranking anchors the chain: the check holds the ledger to it', async () => {
    const db = client.database.db;
    const view = (await client.request('GET', `/api/evaluation/runs/${month.v2}`, { token: month.world.tokens.office })).json();
    const evidence = await ledgerRow(4);
    assert.deepEqual(view.seal, { entry: 4, hash: evidence.hash });
    const published = (await client.request('GET', '/api/public/rankings')).json().items;
    assert.deepEqual(published.map((i: { version: number; seal: unknown }) => [i.version, i.seal]), [[2, { entry: 4, hash: evidence.hash }]]);
    assert.deepEqual((await client.request('GET', `/api/evaluation/runs/${month.v1}`, { token: month.world.tokens.office })).json().seal, { entry: 2, hash: (await ledgerRow(2)).hash });
    assert.equal((await checkIntegrity(db, { anchors: [{ seq: 4, hash: evidence.hash }] })).ok, true);
    // Whoever rewrites the whole chain consistently (every hash after a changed entry recomputed) still misses the printed hash.
    const rewritten = await checkIntegrity(db, { anchors: [{ seq: 4, hash: 'd'.repeat(64) }, { seq: 9, hash: evidence.hash }] });
    assert.deepEqual(rewritten.problems.map((p) => [p.problem, p.entry, p.expected, p.found]), [['anchor', 4, 'd'.repeat(64), evidence.hash], ['anchor', 9, evidence.hash, null]]);
  });

  test('audit writers and checkpoints at the same time: a row whose id was drawn first but committed last is sealed, exactly once', async () => {
    const db = client.database.db;
    await checkpointAuditLog(db, Date.now());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    let written!: () => void;
    const inFlight = new Promise<void>((resolve) => { written = resolve; });
    // Transaction A draws its audit id and stays open; B writes a later id and commits; then a checkpoint starts.
    const a = db.transaction().execute(async (trx) => { await recordAudit(trx, cliActor(), 'test.slow_writer', { type: 'test' }); written(); await gate; });
    await inFlight;
    const b = recordAudit(db, cliActor(), 'test.fast_writer', { type: 'test' });
    await new Promise((r) => setTimeout(r, 100));
    const checkpoint = checkpointAuditLog(db, Date.now());
    const more = Promise.all([1, 2, 3].map((i) => recordAudit(db, cliActor(), `test.writer_${i}`, { type: 'test' })));
    await new Promise((r) => setTimeout(r, 100));
    release();
    await Promise.all([a, b, checkpoint, more]);
    await checkpointAuditLog(db, Date.now());
    const report = await checkIntegrity(db);
    assert.deepEqual(report.problems, []);
    assert.equal(report.unsealedAuditRows, 0);
    // Every audit row sealed once: the ranges are contiguous and their items are the rows.
    const ranges = (await db.selectFrom('integrity_ledger').select('entity_ref').where('kind', '=', 'audit_log').orderBy('seq').execute()).map((r) => r.entity_ref.split('-').map(Number) as [number, number]);
    ranges.forEach(([from], i) => assert.equal(from, i === 0 ? 1 : ranges[i - 1]![1] + 1));
    const sealedRows = await db.selectFrom('integrity_items as i').innerJoin('integrity_ledger as l', 'l.seq', 'i.entry_seq').select((eb) => eb.fn.countAll<number>().as('n')).where('l.kind', '=', 'audit_log').executeTakeFirstOrThrow();
    const auditRows = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(sealedRows.n), Number(auditRows.n));
  });

  test('`cityops integrity check`: 0 and OK on the data as sealed; 3 and the difference named, from its own process on a copy of the database', async () => {
    const db = client.database.db;
    const clean = await runIntegrityCheck(db, client.attachments, {});
    assert.deepEqual([clean.code, /^OK: every sealed item/m.test(clean.text)], [0, true]);
    const unit = month.unitIds['990102']!;
    const { amount_fen: amount } = await db.selectFrom('evaluation_results').select('amount_fen').where('run_id', '=', month.v2).where('stage', '=', 'final').where('unit_node_id', '=', unit).executeTakeFirstOrThrow();
    await raw(db, `update evaluation_results set amount_fen = 0 where run_id = ${month.v2} and stage = 'final' and unit_node_id = ${unit}`);
    const dir = mkdtempSync(join(tmpdir(), 'cityops-integrity-'));
    try {
      let url = (database() as TestDatabase).url;
      if (client.database.dialect === 'sqlite') {
        url = join(dir, 'copy.sqlite');
        await sql`vacuum into ${sql.lit(url)}`.execute(db);
      }
      const cli = spawnSync(join(repoRoot, 'bin/cityops'), ['integrity', 'check', '--format', 'json'], {
        cwd: repoRoot, encoding: 'utf8', env: { ...process.env, DATABASE_URL: url, CITYOPS_ATTACHMENTS_DIR: client.attachments.rootDir, LOG_LEVEL: 'silent' },
      });
      assert.equal(cli.status, DIFFERENCES_EXIT_CODE, cli.stderr);
      assert.deepEqual(named(JSON.parse(cli.stdout).problems), [['changed', 3, 'evaluation_result', String(month.v2), `final/unit:${unit}`]]);
      const text = await runIntegrityCheck(db, client.attachments, {});
      assert.equal(text.code, DIFFERENCES_EXIT_CODE);
      assert.match(text.text, new RegExp(`FAILED: 1 difference\\n  \\[changed\\] run ${month.v2} \\(city-2026 2026-10 version 2\\): 990102 第2区, final result has changed since entry #3 sealed it`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await raw(db, `update evaluation_results set amount_fen = ${amount} where run_id = ${month.v2} and stage = 'final' and unit_node_id = ${unit}`);
    }
  });

  test('`cityops integrity seal` after an upgrade: a run published before the ledger existed is sealed late, said so, and audited', async () => {
    const db = client.database.db;
    const v1 = await db.selectFrom('evaluation_runs').selectAll().where('id', '=', month.v1).executeTakeFirstOrThrow();
    const old = await db.insertInto('evaluation_runs').values({ ...v1, id: undefined, period_code: '2026-09', version: 1, state: 'published', supersedes_id: null, reason: null, lock_version: 1 } as never).returning('id').executeTakeFirstOrThrow();
    const before = await checkIntegrity(db);
    assert.deepEqual(named(before.problems), [['unsealed', null, 'evaluation_result', String(old.id), null], ['unsealed', null, 'evaluation_evidence', String(old.id), null]]);
    const text = await runIntegritySeal(db, Date.now());
    const head = Number((await db.selectFrom('integrity_ledger').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirstOrThrow()).m);
    assert.match(text, new RegExp(`^sealed run ${old.id} late \\(entry #${head - 1}\\)\naudit log: \\d+ rows sealed in 1 entry, through audit id \\d+\n$`));
    const after = await checkIntegrity(db);
    assert.deepEqual([after.ok, after.unsealedAuditRows, after.lateSeals.map((l) => l.entry)], [true, 0, [head - 2, head - 1]]);
    const audited = await db.selectFrom('audit_log').select(['action', 'actor_kind']).where('entity_ref', '=', String(old.id)).where('action', '=', 'integrity.seal_late').execute();
    assert.deepEqual(audited.map((a) => [a.action, a.actor_kind]), [['integrity.seal_late', 'cli']]);
    assert.equal((await runIntegritySeal(db, Date.now())).startsWith('audit log: 0 rows'), true, 'sealed once: nothing to seal again');
  });
});
