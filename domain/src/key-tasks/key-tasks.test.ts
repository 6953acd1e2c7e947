import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { daysEarly, daysLate, dueDateOf, dueEndMs, isLate, milestoneIssues, milestoneStatus, needsOverdueFlag, type MilestoneFacts } from './milestones.ts';
import { defaultScoreRule, monthScores, validateScoreRule, type KeyTaskScoreRule, type ScoredMilestone, type ScoredReturn } from './score.ts';

const at = (iso: string) => Date.parse(iso);
const DUE = '2026-03-31'; // a Tuesday; its day ends at 2026-04-01 00:00 Beijing = 2026-03-31T16:00Z

test('a week milestone is due on the Sunday closing its ISO week; the due day ends at Beijing midnight', () => {
  assert.equal(dueDateOf('2026-03-31', 'week'), '2026-04-05');
  assert.equal(dueDateOf('2026-03-30', 'week'), '2026-04-05'); // Monday
  assert.equal(dueDateOf('2026-03-29', 'week'), '2026-03-29'); // Sunday
  assert.equal(dueDateOf('2026-03-31', 'day'), '2026-03-31');
  assert.equal(dueEndMs(DUE), at('2026-03-31T16:00:00Z'));
});

test('lateness, days late and early, status colours and the overdue flag, at given instants', () => {
  const open: MilestoneFacts = { dueDate: DUE, state: 'open', submittedAt: null };
  assert.equal(isLate(open, at('2026-03-31T15:59:59.999Z')), false);
  assert.equal(isLate(open, at('2026-03-31T16:00:00Z')), true);
  assert.equal(milestoneStatus(open, at('2026-03-20T00:00:00Z')), 'pending'); // 11 days 16 h to go
  assert.equal(milestoneStatus(open, at('2026-03-25T00:00:00Z')), 'due_soon'); // 6 days 16 h
  assert.equal(milestoneStatus(open, at('2026-04-01T00:00:00Z')), 'overdue');
  // 2026-04-02 18:00 Beijing: 1 April is the first day late, 2 April the second.
  assert.equal(daysLate(open, at('2026-04-02T10:00:00Z')), 2);
  assert.equal(needsOverdueFlag(open, at('2026-03-31T16:00:00Z')), true);

  const inTime: MilestoneFacts = { dueDate: DUE, state: 'submitted', submittedAt: at('2026-03-30T02:00:00Z') };
  assert.equal(milestoneStatus(inTime, at('2026-04-03T00:00:00Z')), 'in_review');
  assert.equal(needsOverdueFlag(inTime, at('2026-04-03T00:00:00Z')), false, 'the review time is not the unit\'s delay');
  const submittedLate: MilestoneFacts = { ...inTime, submittedAt: at('2026-04-01T01:00:00Z') };
  assert.equal(needsOverdueFlag(submittedLate, at('2026-04-03T00:00:00Z')), true);
  assert.equal(daysLate(submittedLate, at('2026-04-20T00:00:00Z')), 1, 'counted to the submission, not to now');

  const early: MilestoneFacts = { dueDate: DUE, state: 'accepted', submittedAt: at('2026-03-20T16:00:00Z') };
  assert.equal(daysEarly(early), 11);
  assert.equal(milestoneStatus(early, at('2026-05-01T00:00:00Z')), 'done');
  assert.equal(needsOverdueFlag(early, at('2026-05-01T00:00:00Z')), false);
  assert.equal(milestoneStatus({ ...submittedLate, state: 'accepted' }, at('2026-05-01T00:00:00Z')), 'done_late');
});

test('a milestone as written: each bad field named, the due date inside the task', () => {
  assert.deepEqual(milestoneIssues({ name: '', deliverable: 'x', dueDate: '2026-02-30', granularity: 'month' }, 'milestones[0].').map((i) => i.field),
    ['milestones[0].name', 'milestones[0].granularity', 'milestones[0].dueDate']);
  assert.deepEqual(milestoneIssues({ name: 'a', deliverable: 'b', dueDate: '2026-12-30', granularity: 'week' }, '', { from: '2026-01-01', to: '2026-12-31' }).map((i) => i.message),
    ['is after the task ends (2026-12-31)'], 'a week milestone is due on its Sunday, 2027-01-03');
  assert.deepEqual(milestoneIssues({ name: 'a', deliverable: 'b', dueDate: '2026-06-30' }, '', { from: '2026-01-01', to: '2026-12-31' }), []);
});

// The month of March 2026 (Beijing) and a small plan: task 1 led by A with B cooperating, task 2 led by B with C cooperating.
const MARCH = { firstDate: '2026-03-01', lastDate: '2026-03-31', fromMs: at('2026-02-28T16:00:00Z'), toMs: at('2026-03-31T16:00:00Z') };
const task1 = [{ key: 'A', role: 'lead' as const }, { key: 'B', role: 'cooperating' as const }];
const task2 = [{ key: 'B', role: 'lead' as const }, { key: 'C', role: 'cooperating' as const }];
const MILESTONES: ScoredMilestone[] = [
  { id: 1, label: '1 m1', units: task1, dueDate: '2026-03-15', state: 'open', submittedAt: null },
  { id: 2, label: '2 m2', units: task2, dueDate: '2026-03-31', state: 'accepted', submittedAt: at('2026-03-20T16:00:00Z') },
  { id: 3, label: '1 m3', units: task1, dueDate: '2026-04-10', state: 'open', submittedAt: null },
  { id: 4, label: '2 m4', units: task2, dueDate: '2026-03-10', state: 'accepted', submittedAt: at('2026-03-09T16:00:00Z') },
];
const RETURNS: ScoredReturn[] = [
  { milestoneId: 2, label: '2 m2', at: at('2026-03-18T02:00:00Z'), reason: '材料不全', units: task2 },
  { milestoneId: 1, label: '1 m1', at: at('2026-02-27T02:00:00Z'), reason: '二月的退回', units: task1 },
];
const NOW = at('2026-04-05T00:00:00Z');

test('the month\'s scores by hand: 100 − 5 (A, m1 late, lead); B: −2 (m1, cooperating) +1 (m2 early, lead) −2 (m2 returned, lead); C: +0.5 held to 100', () => {
  const scores = monthScores(defaultScoreRule(), MARCH, { milestones: MILESTONES, returns: RETURNS }, NOW);
  assert.deepEqual(scores.map((s) => [s.unitKey, s.score]), [['A', 95], ['B', 97], ['C', 100]]);
  const b = scores.find((s) => s.unitKey === 'B')!;
  assert.deepEqual(b.lines.map((l) => [l.event, l.points, l.milestoneId ?? null]), [['base', 100, null], ['overdue', -2, 1], ['early', 1, 2], ['returned', -2, 2]]);
  const c = scores.find((s) => s.unitKey === 'C')!;
  assert.deepEqual(c.lines.map((l) => [l.event, l.points]), [['base', 100], ['early', 0.5], ['range', -0.5]]);
  // Before m1's due day ends it is not late: on 10 March, A has nothing against it yet.
  const early = monthScores(defaultScoreRule(), MARCH, { milestones: MILESTONES, returns: [] }, at('2026-03-10T00:00:00Z'));
  assert.deepEqual(early.map((s) => [s.unitKey, s.score]), [['A', 100], ['B', 100], ['C', 100]]);
});

test('the bonus cap and the floor are lines of the trace', () => {
  const rule: KeyTaskScoreRule = { ...defaultScoreRule(), bonusCap: 0.5, min: 90, points: { overdue: { lead: 15, cooperating: 2 }, returned: { lead: 2, cooperating: 0 }, early: { lead: 1, cooperating: 0 } } };
  const scores = monthScores(rule, MARCH, { milestones: MILESTONES, returns: RETURNS }, NOW);
  assert.deepEqual(scores.map((s) => [s.unitKey, s.score]), [['A', 90], ['B', 96.5], ['C', 100]]);
  assert.deepEqual(scores[0]!.lines.at(-1), { event: 'range', points: 5, note: 'held to 90–100' });
  assert.deepEqual(scores[1]!.lines.at(-1), { event: 'bonus_cap', points: -0.5, note: 'bonus capped at 0.5' });
});

test('a rule is refused naming each bad field', () => {
  assert.deepEqual(validateScoreRule(defaultScoreRule()), []);
  const bad = { ...defaultScoreRule(), base: 100.25, min: 80, max: 70, earlyDays: 0, points: { overdue: { lead: -1, cooperating: 2 }, returned: { lead: 2 }, early: { lead: 1, cooperating: 0 }, late: {} } };
  assert.deepEqual(validateScoreRule(bad).map((i) => i.field), ['rule.base', 'rule.min', 'rule.earlyDays', 'rule.points.late', 'rule.points.overdue.lead', 'rule.points.returned.cooperating']);
});

test('property: a score is its trace\'s sum, within the rule\'s range', () => {
  const milestone = fc.record({
    due: fc.integer({ min: 1, max: 31 }), state: fc.constantFrom('open' as const, 'submitted' as const, 'accepted' as const), offsetDays: fc.integer({ min: -20, max: 10 }),
    task: fc.constantFrom(task1, task2),
  });
  fc.assert(fc.property(fc.array(milestone, { maxLength: 30 }), fc.integer({ min: 0, max: 20 }), (ms, returns) => {
    const milestones: ScoredMilestone[] = ms.map((m, i) => {
      const dueDate = `2026-03-${String(m.due).padStart(2, '0')}`;
      return { id: i, label: `m${i}`, units: m.task, dueDate, state: m.state, submittedAt: m.state === 'open' ? null : dueEndMs(dueDate) + m.offsetDays * 86_400_000 };
    });
    const rs: ScoredReturn[] = Array.from({ length: returns }, (_, i) => ({ milestoneId: i, label: `r${i}`, at: MARCH.fromMs + i * 3_600_000, reason: 'x', units: task1 }));
    for (const s of monthScores(defaultScoreRule(), MARCH, { milestones, returns: rs }, NOW)) {
      assert.equal(Math.round(s.lines.reduce((sum, l) => sum + l.points * 10, 0)), Math.round(s.score * 10));
      assert.ok(s.score >= 0 && s.score <= 100);
    }
  }));
});
