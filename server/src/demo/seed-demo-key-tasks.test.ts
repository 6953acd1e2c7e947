// The demo's key-task plan on both databases, for a history ending at noon on Monday 23 Nov 2026 (Beijing), as
// the other demo tests: its counts, the board's colours at that instant, and October's score of 市城市管理综合执法支队
// (ZFZD) worked out by hand from the script of seed-demo-key-tasks.ts:
//   1 户外广告治理 (lead ZFZD) 集中整治 due 10-14 (−40 days): returned on 10-14 00:00 and still open → late −5, returned −2;
//   5 道路交通秩序整治 (ZFZD cooperating) 增划停车位 due 10-24 (−30 days): accepted from a submission 10 days early → +0.5;
//   ZFZD in October: 100 − 5 − 2 + 0.5 = 93.5. The first district (cooperating on task 1 only in October): 100 − 2 = 98.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Actor } from '@cityops/domain/access/scope';
import { describeOnBothDatabases } from '../test/databases.ts';
import { loadGrants } from '../access/access.service.ts';
import { planMonthScores } from '../key-tasks/scores.service.ts';
import { planBoard } from '../key-tasks/views.service.ts';
import { seedDemoCity } from './seed-demo.ts';
import { seedDemoKeyTasks } from './seed-demo-key-tasks.ts';

const UNTIL = Date.parse('2026-11-23T12:00:00+08:00');
const boards: string[] = [];

describeOnBothDatabases('demo key-task plan (双十)', (database) => {
  let result: Awaited<ReturnType<typeof seedDemoKeyTasks>>;
  let ms = 0;
  let districts: string[] = [];
  before(async () => {
    const db = database().db;
    // Without history, so that only the key tasks are seeded here, and timed.
    await seedDemoCity(db, { seed: 7, targetGrids: 200, casesPerGridYear: 0 });
    const city = await db.selectFrom('territory_nodes').select('code').where('level', '=', 'city').executeTakeFirstOrThrow();
    districts = (await db.selectFrom('territory_nodes').select('code').where('level', '=', 'district').orderBy('code').execute()).map((d) => d.code);
    const started = performance.now();
    result = await seedDemoKeyTasks(db, { cityCode: city.code, districtCodes: districts, until: UNTIL });
    ms = performance.now() - started;
  }, { timeout: 120_000 });

  test('seven tasks, fifteen milestones, fourteen reports, three overdue; the board\'s colours at the end of the history', async () => {
    const db = database().db;
    assert.deepEqual(result, { tasks: 7, milestones: 15, reports: 14, flagged: 3 });
    const n = async (table: 'key_task_reviews' | 'key_task_alerts' | 'key_task_units') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    // Reviews: 6 acceptances (3 early, 1 on time, 2 late) and 1 return. Units: 3 + 2 + 2 (inherited) + 1 + 3 + 2 + 2.
    assert.deepEqual([await n('key_task_reviews'), await n('key_task_alerts'), await n('key_task_units')], [7, 3, 15]);
    const user = await db.selectFrom('users').select(['id', 'username']).where('username', '=', 'leader').executeTakeFirstOrThrow();
    const leader: Actor = { kind: 'user', id: user.id, name: user.username, grants: await loadGrants(db, user.id) };
    const plan = await db.selectFrom('key_task_plans').select('id').executeTakeFirstOrThrow();
    const board = await planBoard(db, leader, Number(plan.id), UNTIL);
    assert.equal(board.plan.name, '2026年“双十”专项行动');
    assert.deepEqual(board.counts, { done: 4, done_late: 2, in_review: 1, overdue: 3, due_soon: 1, pending: 4 });
    assert.deepEqual(board.tasks.map((t) => t.seq), ['1', '2', '2.1', '3', '4', '5', '6']);

    const october = await planMonthScores(db, leader, Number(plan.id), '2026-10', UNTIL);
    const zfzd = october.units.find((u) => u.unit.code === 'ZFZD')!;
    assert.equal(zfzd.score, 93.5);
    assert.deepEqual(zfzd.lines.map((l) => `${l.event}${l.points}`).sort(), ['base100', 'early0.5', 'overdue-5', 'returned-2']);
    assert.equal(october.units.find((u) => u.unit.code === districts[0])!.score, 98);
    boards.push(JSON.stringify(board.counts) + JSON.stringify(october.units.map((u) => [u.unit.code, u.score])));
    if (boards.length === 2) assert.equal(boards[0], boards[1]);
    console.log(`demo key tasks seeded in ${ms.toFixed(0)} ms`);
  });
});
