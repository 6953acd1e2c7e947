// Properties of the transition table and the handling clock over random cases, actors and inputs.
// The full sequence property (random actions never reach a forbidden state, a refused step changes
// nothing) runs on the server's transition plan, which is what the API and the history import apply:
// server/src/cases/case-workflow.property.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ROLE_NAMES, type Role } from '../access/roles.ts';
import { compileWorkCalendar } from '../calendar/work-calendar.ts';
import { bj, cn2026Definition } from '../calendar/test-fixtures.ts';
import { CASE_STATE_NAMES } from './case-states.ts';
import { CASE_SOURCE_NAMES, SATISFACTION_LEVELS, type SatisfactionLevel } from './case-sources.ts';
import { allowedActions, decide, DEFAULT_WORKFLOW_POLICY, type ActionInput, type CaseSnapshot } from './decide.ts';
import { applyClockEffect, clockDeadlines, initialClock, type HandlingClock } from './handling-clock.ts';
import { APPLICATIONS, CASE_ACTIONS, TRANSITIONS, type Application, type ClockEffect } from './transitions.ts';

const calendar = compileWorkCalendar(cn2026Definition());

const snapshotArb: fc.Arbitrary<CaseSnapshot> = fc.record({
  state: fc.constantFrom(...CASE_STATE_NAMES),
  source: fc.constantFrom(...CASE_SOURCE_NAMES),
  application: fc.constantFrom<Application | null>(null, ...(Object.keys(APPLICATIONS) as Application[])),
  extensions: fc.integer({ min: 0, max: 3 }),
  satisfaction: fc.constantFrom<SatisfactionLevel | null>(null, ...(Object.keys(SATISFACTION_LEVELS) as SatisfactionLevel[])),
});
const rolesArb = fc.uniqueArray(fc.constantFrom<Role>(...ROLE_NAMES), { maxLength: 4 });
/** An input that satisfies every input guard of every row. */
const COMPLETE_INPUT: ActionInput = { reason: '现场核实', attachmentCount: 1, departmentId: 7, mergeTargetId: 9, satisfaction: 'satisfied' };

test('allowedActions offers exactly the actions decide accepts with complete input', () => {
  fc.assert(fc.property(snapshotArb, rolesArb, (s, roles) => {
    const offered = allowedActions(s, roles).map((r) => r.action).sort();
    const accepted = CASE_ACTIONS.filter((a) => decide(s, a, COMPLETE_INPUT, roles).ok).sort();
    assert.deepEqual(offered, accepted);
  }), { numRuns: 3000 });
});

test('an accepted action is one of the table\'s rows: its state, one of its roles, its target', () => {
  fc.assert(fc.property(snapshotArb, rolesArb, fc.constantFrom(...CASE_ACTIONS), (s, roles, action) => {
    const d = decide(s, action, COMPLETE_INPUT, roles);
    if (!d.ok) return;
    const row = TRANSITIONS.find((r) => r.action === action)!;
    assert.ok((row.from as readonly string[]).includes(s.state));
    assert.ok(roles.includes(d.role) && (row.roles as readonly string[]).includes(d.role));
    assert.equal(d.to, row.to === 'same' ? s.state : row.to);
  }), { numRuns: 3000 });
});

test('a role the row does not name is refused as forbidden whatever the case looks like', () => {
  fc.assert(fc.property(snapshotArb, rolesArb, fc.constantFrom(...CASE_ACTIONS), (s, roles, action) => {
    const row = TRANSITIONS.find((r) => r.action === action)!;
    const d = decide(s, action, COMPLETE_INPUT, roles);
    if (!row.roles.some((r) => roles.includes(r))) assert.equal(!d.ok && d.error.code, 'forbidden');
  }), { numRuns: 2000 });
});

test('an action missing one input it needs is refused naming that field, and never passes', () => {
  // input key dropped → [the guard that needs it, the field the error names]
  const inputs = {
    reason: ['reason', 'reason'], attachmentCount: ['photos', 'attachmentIds'], departmentId: ['target_department', 'departmentId'],
    mergeTargetId: ['merge_target', 'mergeTargetId'], satisfaction: ['satisfaction', 'satisfaction'],
  } as const;
  fc.assert(fc.property(snapshotArb, fc.constantFrom(...TRANSITIONS), fc.constantFrom(...(Object.keys(inputs) as (keyof typeof inputs)[])), (s, row, drop) => {
    const d = decide(s, row.action, { ...COMPLETE_INPUT, [drop]: drop === 'attachmentCount' ? 0 : null }, row.roles);
    const full = decide(s, row.action, COMPLETE_INPUT, row.roles);
    if (!full.ok) return assert.equal(d.ok, false);
    const [guard, field] = inputs[drop];
    if ((row.guards as readonly string[]).includes(guard)) assert.deepEqual(d.ok ? null : [d.error.code, 'field' in d.error ? d.error.field : null], ['invalid_input', field]);
    else assert.equal(d.ok, true);
  }), { numRuns: 3000 });
});

test('the handling clock never falls due before it started, and extensions, pauses and time only move it later', () => {
  const effectArb = fc.constantFrom<ClockEffect>('extend', 'pause', 'resume', 'restart', 'stop');
  const start = bj('2026-01-05 08:00');
  fc.assert(fc.property(
    fc.constantFrom({ value: 2, unit: 'working_hours' as const }, { value: 30, unit: 'working_minutes' as const }, { value: 3, unit: 'working_days' as const }, { value: 48, unit: 'calendar_hours' as const }),
    fc.array(fc.tuple(effectArb, fc.integer({ min: 1, max: 5 * 24 * 60 })), { maxLength: 12 }),
    (limit, steps) => {
      let clock: HandlingClock = applyClockEffect(initialClock(limit), 'start', start);
      let now = start;
      let due = clockDeadlines(calendar, clock, 10).dueAtMs!;
      assert.ok(due > start);
      for (const [effect, minutes] of steps) {
        now += minutes * 60_000;
        const paused = clock.pauses.some((p) => p.toMs === null);
        if ((effect === 'pause' && paused) || (effect === 'resume' && !paused)) {
          assert.throws(() => applyClockEffect(clock, effect, now), RangeError);
          continue;
        }
        clock = applyClockEffect(clock, effect, now);
        const d = clockDeadlines(calendar, clock, 10);
        // A pause holds the clock unless the case was already due before it began (overdue stays overdue).
        if (effect === 'pause') { assert.ok(d.dueAtMs === null ? due > now : d.dueAtMs === due && due <= now); continue; }
        if (clock.pauses.some((p) => p.toMs === null)) continue;
        const next = d.dueAtMs!;
        assert.ok(next > clock.startedAtMs!, 'due after the round started');
        assert.ok(d.warnAtMs! <= next && d.warnAtMs! > clock.startedAtMs!, 'warning between start and due');
        if (effect === 'extend' || effect === 'resume' || effect === 'stop') assert.ok(next >= due, `${effect} moved the deadline earlier`);
        if (effect === 'restart') assert.ok(next > now);
        due = next;
      }
    },
  ), { numRuns: 500 });
});

test('the default policy allows two extensions, and a third request is refused by the quota', () => {
  const s: CaseSnapshot = { state: 'handling', source: 'inspector', application: null, extensions: DEFAULT_WORKFLOW_POLICY.maxExtensions, satisfaction: null };
  const d = decide(s, 'request_extension', COMPLETE_INPUT, ['department']);
  assert.deepEqual(d.ok ? null : [d.error.code, 'guard' in d.error ? d.error.guard : null], ['precondition_failed', 'extension_quota']);
});
