import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileWorkCalendar } from '../calendar/work-calendar.ts';
import { bj, bjWall, cn2026Definition } from '../calendar/test-fixtures.ts';
import { CASE_STATES, CASE_STATE_NAMES } from './case-states.ts';
import { CASE_SOURCES } from './case-sources.ts';
import { allowedActions, decide, requiredInputs, type CaseSnapshot } from './decide.ts';
import { applyClockEffect, clockDeadlines, initialClock } from './handling-clock.ts';
import { distanceM, searchBox } from './duplicates.ts';
import { TRANSITIONS, transitionFor } from './transitions.ts';
import { ROLES } from '../access/roles.ts';

const snapshot = (patch: Partial<CaseSnapshot> = {}): CaseSnapshot => ({ state: 'pending_accept', source: 'inspector', application: null, extensions: 0, satisfaction: null, ...patch });

describe('the transition table', () => {
  test('every row names known states and roles, and actions are unique', () => {
    const actions = new Set<string>();
    for (const row of TRANSITIONS) {
      assert.ok(!actions.has(row.action), `duplicate action ${row.action}`);
      actions.add(row.action);
      for (const s of row.from) assert.ok(s in CASE_STATES, `${row.action}: unknown from ${s}`);
      assert.ok(row.to === 'same' || row.to in CASE_STATES, `${row.action}: unknown to ${row.to}`);
      for (const r of row.roles) assert.ok(r in ROLES, `${row.action}: unknown role ${r}`);
      for (const s of row.from) assert.equal(CASE_STATES[s].terminal && row.to !== 'same', false, `${row.action} leaves terminal ${s}`);
    }
  });

  test('every non-terminal state can be left, and every state but the intake ones can be reached', () => {
    const reachable = new Set<string>(Object.values(CASE_SOURCES).map((s) => s.intakeState));
    for (const row of TRANSITIONS) if (row.to !== 'same') reachable.add(row.to);
    for (const s of CASE_STATE_NAMES) {
      assert.ok(reachable.has(s), `${s} is unreachable`);
      if (!CASE_STATES[s].terminal) assert.ok(TRANSITIONS.some((r) => r.to !== 'same' && (r.from as readonly string[]).includes(s)), `${s} is a dead end`);
    }
  });

  test('returns, voids, rejections, refusals and failed checks require a reason', () => {
    for (const action of ['reject', 'verify_refute', 'void', 'request_return', 'refuse_return', 'request_extension', 'refuse_extension', 'request_suspension', 'refuse_suspension', 'check_fail']) {
      assert.ok(requiredInputs(transitionFor(action)!).includes('reason'), action);
    }
    assert.deepEqual(requiredInputs(transitionFor('dispatch')!), ['departmentId']);
    assert.deepEqual(requiredInputs(transitionFor('feedback')!), ['attachmentIds']);
  });
});

describe('decide', () => {
  test('the happy path of an inspector report, step by step', () => {
    const steps: [string, string, string][] = [
      ['pending_accept', 'accept', 'acceptor'],
      ['pending_register', 'register', 'shift_chief'],
      ['pending_dispatch', 'dispatch', 'dispatcher'],
      ['pending_handle', 'sign', 'department'],
      ['handling', 'feedback', 'department'],
      ['pending_check', 'check_pass', 'inspector'],
      ['pending_close', 'close', 'shift_chief'],
    ];
    const ends: string[] = [];
    for (const [state, action, role] of steps) {
      const d = decide(snapshot({ state: state as CaseSnapshot['state'] }), action, { departmentId: 7, attachmentCount: 1 }, [role as 'acceptor']);
      assert.ok(d.ok, `${action}: ${JSON.stringify(d)}`);
      ends.push(d.to);
    }
    assert.deepEqual(ends, ['pending_register', 'pending_dispatch', 'pending_handle', 'handling', 'pending_check', 'pending_close', 'closed']);
  });

  test('the wrong role is forbidden, the wrong state a conflict, missing input names the field', () => {
    const wrongRole = decide(snapshot({ state: 'pending_dispatch' }), 'dispatch', { departmentId: 3 }, ['acceptor', 'inspector']);
    assert.deepEqual(wrongRole.ok ? null : wrongRole.error.code, 'forbidden');
    const wrongState = decide(snapshot({ state: 'closed' }), 'dispatch', { departmentId: 3 }, ['dispatcher']);
    assert.deepEqual(wrongState.ok ? null : wrongState.error.code, 'invalid_state');
    const noReason = decide(snapshot({ state: 'pending_register' }), 'void', { reason: '   ' }, ['shift_chief']);
    assert.deepEqual(noReason.ok ? null : noReason.error, { code: 'invalid_input', field: 'reason', message: 'a reason is required for this action' });
    const noPhoto = decide(snapshot({ state: 'handling' }), 'feedback', { attachmentCount: 0 }, ['department']);
    assert.equal(noPhoto.ok ? null : noPhoto.error.code, 'invalid_input');
    const unknown = decide(snapshot(), 'teleport', {}, ['admin']);
    assert.equal(unknown.ok ? null : unknown.error.code, 'unknown_action');
  });

  test('applications: one at a time, ruled by the dispatcher, extensions at most twice', () => {
    const pending = snapshot({ state: 'handling', application: 'extension' });
    const second = decide(pending, 'request_return', { reason: 'not ours' }, ['department']);
    assert.equal(second.ok ? null : second.error.code, 'precondition_failed');
    const approve = decide(pending, 'approve_extension', {}, ['dispatcher']);
    assert.ok(approve.ok && approve.to === 'handling' && approve.row.clock === 'extend' && approve.row.application === null);
    const third = decide(snapshot({ state: 'handling', extensions: 2 }), 'request_extension', { reason: 'rain' }, ['department']);
    assert.equal(third.ok ? null : third.error.code, 'precondition_failed');
    const returned = decide(snapshot({ state: 'pending_handle', application: 'return' }), 'approve_return', {}, ['dispatcher']);
    assert.ok(returned.ok && returned.to === 'pending_dispatch' && returned.row.count === 'returns' && returned.row.department === 'clear');
  });

  test('self-handling is for an inspector\'s own report, and only public cases are rated, once', () => {
    const publicCase = snapshot({ source: 'public_web' });
    const selfHandled = decide(publicCase, 'self_handle', { attachmentCount: 2 }, ['inspector']);
    assert.equal(selfHandled.ok ? null : selfHandled.error.code, 'precondition_failed');
    assert.ok(decide(snapshot(), 'self_handle', { attachmentCount: 2 }, ['inspector']).ok);
    assert.equal((decide(snapshot({ state: 'closed', source: 'inspector' }), 'rate', { satisfaction: 'satisfied' }, ['acceptor']) as { ok: false; error: { code: string } }).error.code, 'precondition_failed');
    const bad = decide(snapshot({ state: 'closed', source: 'hotline_12345' }), 'rate', { satisfaction: 'happy' }, ['acceptor']);
    assert.equal(bad.ok ? null : (bad.error as { field: string }).field, 'satisfaction');
    assert.ok(decide(snapshot({ state: 'closed', source: 'hotline_12345' }), 'rate', { satisfaction: 'basically_satisfied' }, ['acceptor']).ok);
    const again = decide(snapshot({ state: 'closed', source: 'hotline_12345', satisfaction: 'dissatisfied' }), 'rate', { satisfaction: 'satisfied' }, ['acceptor']);
    assert.equal(again.ok ? null : again.error.code, 'precondition_failed');
  });

  test('allowedActions offers exactly what decide would accept (input aside)', () => {
    const names = (s: CaseSnapshot, roles: Parameters<typeof allowedActions>[1]) => allowedActions(s, roles).map((r) => r.action);
    assert.deepEqual(names(snapshot({ state: 'handling' }), ['department']), ['feedback', 'request_return', 'request_extension', 'request_suspension']);
    assert.deepEqual(names(snapshot({ state: 'handling', application: 'suspension' }), ['department', 'dispatcher']), ['approve_suspension', 'refuse_suspension']);
    assert.deepEqual(names(snapshot({ state: 'pending_accept' }), ['acceptor']), ['accept', 'send_verify', 'reject', 'merge']);
    assert.deepEqual(names(snapshot({ state: 'closed', source: 'inspector' }), ['acceptor', 'shift_chief']), []);
  });
});

describe('the handling clock', () => {
  const cal = compileWorkCalendar(cn2026Definition());
  const limit = { value: 4, unit: 'working_hours' as const };

  test('dispatch at 16:00 on Friday 18 Sep 2026: 4 working hours end on the 调休 Sunday at 10:00, yellow from 09:12', () => {
    // Fri 16:00–18:00 = 2 h; Sat off; Sun 20 Sep is a working day (National Day 调休): 08:00 + 2 h = 10:00.
    // 80 % = 3.2 h → Sun 09:12.
    const clock = applyClockEffect(initialClock(limit), 'start', bj('2026-09-18 16:00'));
    const d = clockDeadlines(cal, clock, 2);
    assert.equal(bjWall(d.dueAtMs!), '2026-09-20 10:00');
    assert.equal(bjWall(d.warnAtMs!), '2026-09-20 09:12');
  });

  test('Mid-Autumn Festival (Fri 25 Sep 2026) is a holiday: 4 working hours from its 16:00 end Monday 12:00', () => {
    const clock = applyClockEffect(initialClock(limit), 'start', bj('2026-09-25 16:00'));
    assert.equal(bjWall(clockDeadlines(cal, clock, 2).dueAtMs!), '2026-09-28 12:00');
  });

  test('an extension doubles the limit; a suspension across National Day pauses it; rework restarts it', () => {
    let clock = applyClockEffect(initialClock(limit), 'start', bj('2026-09-29 09:00'));
    clock = applyClockEffect(clock, 'extend', bj('2026-09-29 10:00'));
    // 8 working hours from Tue 29 Sep 09:00: 09–12 (3) + 14–18 (4) = 7 → Wed 30 Sep 09:00.
    assert.equal(bjWall(clockDeadlines(cal, clock, 2).dueAtMs!), '2026-09-30 09:00');
    // Suspended Tue 16:00 (5 h used) until Fri 9 Oct 10:00 (holiday 1–7 Oct, 8 Oct Thu worked but paused).
    clock = applyClockEffect(clock, 'pause', bj('2026-09-29 16:00'));
    assert.equal(clockDeadlines(cal, clock, 2).dueAtMs, null);
    clock = applyClockEffect(clock, 'resume', bj('2026-10-09 10:00'));
    // 3 h remain from Fri 9 Oct 10:00: 10–12 (2) + 14:00–15:00 (1) → 15:00.
    assert.equal(bjWall(clockDeadlines(cal, clock, 2).dueAtMs!), '2026-10-09 15:00');
    clock = applyClockEffect(clock, 'restart', bj('2026-10-12 14:00'));
    assert.deepEqual([clock.roundExtensions, clock.pauses.length], [0, 0]);
    assert.equal(bjWall(clockDeadlines(cal, clock, 2).dueAtMs!), '2026-10-12 18:00');
    assert.throws(() => applyClockEffect(clock, 'resume', bj('2026-10-12 15:00')), RangeError);
  });
});

describe('duplicate detection geometry', () => {
  test('50 m is about 0.00045° of latitude, and the search box contains the circle', () => {
    const [lon, lat] = [118.8, 32.0];
    assert.ok(Math.abs(distanceM(lon, lat, lon, lat + 0.00045) - 50.04) < 0.05);
    const box = searchBox(lon, lat, 50);
    assert.ok(distanceM(lon, lat, box.maxLon, lat) >= 49.99 && distanceM(lon, lat, box.maxLon, lat) <= 50.01);
    assert.ok(distanceM(lon, lat, lon, box.minLat) >= 49.99);
  });
});
