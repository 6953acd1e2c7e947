import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { DISTRICTS } from '../evaluation/evaluation.test-support.ts';
import { PNG_1PX } from '../cases/cases.test-support.ts';
import { describeOnBothDatabases } from '../test/databases.ts';
import { buildTestApp, type TestClient } from '../test/http.ts';
import { checkIntegrity, type IntegrityProblem } from './check.service.ts';
import { checkpointAuditLog } from './seal.service.ts';
import { publishCorrectedMonth, raw, tampered, type PublishedMonth } from './integrity.test-support.ts';

const [D1, D2, D3, D4] = DISTRICTS;
const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');
/** The problems without their wording: what a caller acts on. */
const named = (problems: IntegrityProblem[]) => problems.map((p) => [p.problem, p.entry, p.kind, p.entity, p.item]);

describeOnBothDatabases('tamper evidence: published results, their evidence and the audit log sealed in a hash chain', (database) => {
  let client: TestClient;
  let month: PublishedMonth;
  const sealedDigest = async (entry: number, ref: string) =>
    (await client.database.db.selectFrom('integrity_items').select('digest').where('entry_seq', '=', entry).where('ref', '=', ref).executeTakeFirstOrThrow()).digest;

  before(async () => {
    client = await buildTestApp(database(), { territory: false });
    month = await publishCorrectedMonth(client);
  });
  after(() => client.close());

  test('each publication is sealed in its own transaction: results then evidence, for version 1 and its correction; then the audit log', async () => {
    const db = client.database.db;
    const ledger = await db.selectFrom('integrity_ledger').selectAll().orderBy('seq').execute();
    const lastAudit = Number((await db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m);
    assert.deepEqual(ledger.map((e) => [Number(e.seq), e.kind, e.entity_ref]), [
      [0, 'genesis', ''], [1, 'evaluation_result', String(month.v1)], [2, 'evaluation_evidence', String(month.v1)],
      [3, 'evaluation_result', String(month.v2)], [4, 'evaluation_evidence', String(month.v2)], [5, 'audit_log', `1-${lastAudit}`],
    ]);
    // Version 1's results: the run and 4 units at each of the two stages.
    assert.equal(Number(ledger[1]!.item_count), 9);
    // Its evidence: scheme, round, checklist, the 2 findings, the appeal, 8 entered scores, 3 photos.
    const evidence = (await db.selectFrom('integrity_items').select('ref').where('entry_seq', '=', 2).orderBy('ref').execute()).map((r) => r.ref.replace(/:\d+/, ':n').replace(/unit:\d+/, 'unit:n'));
    assert.equal(evidence.length, 1 + 1 + 1 + 2 + 1 + 8 + 3);
    assert.deepEqual([...new Set(evidence.map((r) => r.split(':')[0]))].sort(), ['appeal', 'checklist', 'entry', 'finding', 'photo', 'round', 'scheme']);

    // The scheme by hand: entry #1's "run" item is SHA-256 of the run's canonical JSON (keys sorted, integers as such) ...
    const run = await db.selectFrom('evaluation_runs').selectAll().where('id', '=', month.v1).executeTakeFirstOrThrow();
    const runJson = `{"appealDeadline":${run.appeal_deadline},"createdAt":${run.created_at},"createdBy":${run.created_by},"id":${run.id},"periodCode":"2026-10","published":true,"publishedAt":${run.published_at},`
      + `"reason":null,"schemeCode":"city-2026","schemeId":${run.scheme_id},"supersedesId":null,"version":1}`;
    assert.equal(await sealedDigest(1, 'run'), sha256(runJson));
    // ... the entry's digest is SHA-256 of { ref: digest } in key order, and its hash chains from the genesis entry's.
    const items = await db.selectFrom('integrity_items').select(['ref', 'digest']).where('entry_seq', '=', 1).orderBy('ref').execute();
    assert.equal(ledger[1]!.digest, sha256(`{${items.map((i) => `"${i.ref}":"${i.digest}"`).join(',')}}`));
    assert.equal(ledger[0]!.prev_hash, '0'.repeat(64));
    assert.equal(ledger[0]!.hash, sha256(`${'0'.repeat(64)}\n{"detail":null,"digest":"${ledger[0]!.digest}","entityRef":"","itemCount":0,"kind":"genesis","sealedAt":${ledger[0]!.sealed_at},"seq":0}`));
    assert.equal(ledger[1]!.prev_hash, ledger[0]!.hash);
    assert.equal(ledger[1]!.hash, sha256(`${ledger[0]!.hash}\n{"detail":null,"digest":"${ledger[1]!.digest}","entityRef":"${month.v1}","itemCount":9,"kind":"evaluation_result","sealedAt":${ledger[1]!.sealed_at},"seq":1}`));
    // Sealed when published: the same instant as the run's publication.
    assert.equal(Number(ledger[1]!.sealed_at), Number(run.published_at));
  });

  test('the check passes on the untouched data: the correction superseded version 1 and voided a finding sealed with it, which is no tampering', async () => {
    const report = await checkIntegrity(client.database.db, { store: client.attachments });
    assert.deepEqual(report.problems, []);
    assert.equal(report.ok, true);
    assert.equal(report.entries, 6);
    assert.equal(report.unsealedAuditRows, 0);
    // Version 1's evidence holds the two findings' photos and its appeal's; version 2's the findings' only.
    assert.equal(report.photos, 5);
    const finding = await client.database.db.selectFrom('inspection_findings').select('voided_by_appeal_id').where('id', '=', month.findings[D1]!).executeTakeFirstOrThrow();
    assert.equal(finding.voided_by_appeal_id, month.appeals.v2);
  });

  test('a unit\'s score changed in the database is named: the entry, the run, the unit and stage, the sealed and the found digest', async () => {
    const unit = month.unitIds[D3]!;
    const report = await tampered(client,
      (db) => raw(db, `update evaluation_results set total = total + 0.5 where run_id = ${month.v2} and stage = 'final' and unit_node_id = ${unit}`),
      (db) => raw(db, `update evaluation_results set total = total - 0.5 where run_id = ${month.v2} and stage = 'final' and unit_node_id = ${unit}`));
    assert.deepEqual(named(report.problems), [['changed', 3, 'evaluation_result', String(month.v2), `final/unit:${unit}`]]);
    const [p] = report.problems;
    assert.equal(p!.expected, await sealedDigest(3, `final/unit:${unit}`));
    assert.match(p!.found!, /^[0-9a-f]{64}$/);
    assert.notEqual(p!.found, p!.expected);
    assert.match(p!.itemLabel!, new RegExp(`${D3} 第3区, final result`));
    assert.match(p!.entityLabel!, new RegExp(`run ${month.v2} \\(city-2026 2026-10 version 2\\)`));
    assert.equal(report.ok, false);
    assert.equal((await checkIntegrity(client.database.db, { store: client.attachments })).ok, true, 'put back, the check passes again');
  });

  test('a money amount changed in a superseded version is named too', async () => {
    const unit = month.unitIds[D4]!;
    const report = await tampered(client,
      (db) => raw(db, `update evaluation_results set amount_fen = amount_fen + 10000000 where run_id = ${month.v1} and stage = 'final' and unit_node_id = ${unit}`),
      (db) => raw(db, `update evaluation_results set amount_fen = amount_fen - 10000000 where run_id = ${month.v1} and stage = 'final' and unit_node_id = ${unit}`));
    assert.deepEqual(named(report.problems), [['changed', 1, 'evaluation_result', String(month.v1), `final/unit:${unit}`]]);
  });

  test('a finding\'s text changed: both versions it stands behind say so', async () => {
    const id = month.findings[D2]!;
    const note = (await client.database.db.selectFrom('inspection_findings').select('note').where('id', '=', id).executeTakeFirstOrThrow()).note;
    const report = await tampered(client,
      (db) => raw(db, `update inspection_findings set note = '无问题' where id = ${id}`),
      (db) => raw(db, `update inspection_findings set note = '${note}' where id = ${id}`));
    assert.deepEqual(named(report.problems), [
      ['changed', 2, 'evaluation_evidence', String(month.v1), `finding:${id}`],
      ['changed', 4, 'evaluation_evidence', String(month.v2), `finding:${id}`],
    ]);
  });

  test('an appeal\'s ruling changed, a finding quietly un-voided, a finding slipped into the sealed month: each is named', async () => {
    const ruling = await tampered(client,
      (db) => raw(db, `update evaluation_appeals set outcome = 'upheld', ruling = '申诉成立' where id = ${month.appeals.v1}`),
      (db) => raw(db, `update evaluation_appeals set outcome = 'rejected', ruling = '发现时问题存在,扣分成立' where id = ${month.appeals.v1}`));
    assert.deepEqual(named(ruling.problems), [['changed', 2, 'evaluation_evidence', String(month.v1), `appeal:${month.appeals.v1}`]]);

    const voided = month.findings[D1]!;
    const unvoided = await tampered(client,
      (db) => raw(db, `update inspection_findings set voided_by_appeal_id = null where id = ${voided}`),
      (db) => raw(db, `update inspection_findings set voided_by_appeal_id = ${month.appeals.v2} where id = ${voided}`));
    // Version 1 was published before the voiding appeal: only version 2's evidence had it void.
    assert.deepEqual(named(unvoided.problems), [['changed', 4, 'evaluation_evidence', String(month.v2), `finding:${voided}`]]);

    const db = client.database.db;
    const model = await db.selectFrom('inspection_findings').selectAll().where('id', '=', voided).executeTakeFirstOrThrow();
    const forged = { ...model, id: undefined, note: '补录', client_ref: 'forged', case_id: null, voided_by_appeal_id: null, created_at: model.created_at - 1 };
    let forgedId = 0;
    const inserted = await tampered(client,
      async (x) => { forgedId = (await x.insertInto('inspection_findings').values(forged as never).returning('id').executeTakeFirstOrThrow()).id; },
      (x) => x.deleteFrom('inspection_findings').where('id', '=', forgedId).execute());
    assert.deepEqual(named(inserted.problems), [
      ['inserted', 2, 'evaluation_evidence', String(month.v1), `finding:${forgedId}`],
      ['inserted', 4, 'evaluation_evidence', String(month.v2), `finding:${forgedId}`],
    ]);
  });

  test('a published version taken back to a draft, and the superseded one put back beside its correction: named', async () => {
    const draft = await tampered(client,
      (db) => raw(db, `update evaluation_runs set state = 'draft' where id = ${month.v2}`),
      (db) => raw(db, `update evaluation_runs set state = 'published' where id = ${month.v2}`));
    assert.deepEqual(named(draft.problems), [['changed', 3, 'evaluation_result', String(month.v2), 'run']]);
    const both = await tampered(client,
      (db) => raw(db, `update evaluation_runs set state = 'published' where id = ${month.v1}`),
      (db) => raw(db, `update evaluation_runs set state = 'superseded' where id = ${month.v1}`));
    assert.deepEqual(named(both.problems), [['inconsistent', null, 'evaluation_result', String(month.v1), null]]);
    assert.match(both.problems[0]!.message, /city-2026 2026-10: versions 1 and 2 \(runs \d+, \d+\) are all published/);
  });

  test('a photo whose file bytes changed on disk is named by the finding\'s and the appeal\'s photo', async () => {
    const path = client.attachments.pathFor(sha256(PNG_1PX));
    const report = await tampered(client, () => writeFile(path, Buffer.concat([PNG_1PX, Buffer.from('retouched')])), () => writeFile(path, PNG_1PX));
    const [d1Photo, d2Photo, appealPhoto] = month.photos;
    assert.deepEqual(named(report.problems), [
      ...[d1Photo, d2Photo, appealPhoto].map((id) => ['photo', 2, 'evaluation_evidence', String(month.v1), `photo:${id}`]),
      ...[d1Photo, d2Photo].map((id) => ['photo', 4, 'evaluation_evidence', String(month.v2), `photo:${id}`]),
    ]);
    assert.ok(report.problems.every((p) => p.expected === sha256(PNG_1PX) && p.found === sha256(Buffer.concat([PNG_1PX, Buffer.from('retouched')]))));
    assert.deepEqual(await readFile(path), PNG_1PX);
  });

  test('the audit log: a sealed row edited or deleted is named; rows newer than the checkpoint are counted, then sealed by the next', async () => {
    const db = client.database.db;
    const publish = await db.selectFrom('audit_log').selectAll().where('action', '=', 'evaluation_run.publish').where('entity_ref', '=', String(month.v1)).executeTakeFirstOrThrow();
    const edited = await tampered(client,
      (x) => raw(x, `update audit_log set actor_name = 'somebody else' where id = ${publish.id}`),
      (x) => raw(x, `update audit_log set actor_name = '${publish.actor_name}' where id = ${publish.id}`));
    const range = (await db.selectFrom('integrity_ledger').select('entity_ref').where('seq', '=', 5).executeTakeFirstOrThrow()).entity_ref;
    assert.deepEqual(named(edited.problems), [['changed', 5, 'audit_log', range, `audit:${publish.id}`]]);
    assert.match(edited.problems[0]!.message, new RegExp(`audit rows 1–\\d+: audit row ${publish.id} \\(evaluation_run\\.publish by somebody else\\) has changed since entry #5 sealed it`));
    const deleted = await tampered(client,
      (x) => x.deleteFrom('audit_log').where('id', '=', publish.id).execute(),
      (x) => x.insertInto('audit_log').values(publish).execute());
    assert.deepEqual(named(deleted.problems), [['deleted', 5, 'audit_log', range, `audit:${publish.id}`]]);

    // Written after the checkpoint: not sealed yet, not a difference; the next checkpoint seals exactly them.
    const token = await client.tokenFor([{ role: 'admin', territoryCode: '990100' }]);
    const before = await checkIntegrity(db, { store: client.attachments });
    assert.ok(before.ok);
    assert.ok(before.unsealedAuditRows >= 1, 'creating the admin wrote audit rows');
    const sealed = await checkpointAuditLog(db, Date.now());
    assert.equal(sealed.rows, before.unsealedAuditRows);
    assert.equal(sealed.entries, 1);
    assert.deepEqual(await checkpointAuditLog(db, Date.now()), { entries: 0, rows: 0, through: sealed.through }, 'nothing new: no entry');
    assert.equal((await checkIntegrity(db)).unsealedAuditRows, 0);

    // The administrators' route gives the same report; others are refused.
    const res = await client.request('GET', '/api/integrity/check', { token });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().ok, res.json().entries, res.json().photos], [true, 7, 5]);
    assert.equal((await client.request('GET', '/api/integrity/check', { token: month.world.tokens.office })).statusCode, 403);
    const badAnchor = await client.request('GET', '/api/integrity/check?anchor=4:nothex', { token });
    assert.deepEqual([badAnchor.statusCode, badAnchor.json().error.issues[0].field], [400, 'querystring.anchor[0]']);
  });
});
